from django import template

from matching.ledger.money import format_yuan

register = template.Library()


@register.filter
def yuan(amount_minor):
    """Fen to "¥1,234.56"; empty for None."""
    return "" if amount_minor is None else format_yuan(amount_minor)
