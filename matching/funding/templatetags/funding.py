from django import template
from django.utils.translation import gettext as _

from matching.directory.place_names import place_name
from matching.ledger.money import format_yuan

from ..selectors.transparency import OTHER

register = template.Library()


@register.filter
def yuan(amount_minor):
    """Fen to "¥1,234.56"; empty for None."""
    return "" if amount_minor is None else format_yuan(amount_minor)


@register.filter
def cell_label(value):
    """A transparency cell's district or category in the active language: the
    merged cell "其他" is kept literal in the data (the CSV is stable), so it is
    translated here; district names are romanised on English pages."""
    if value == OTHER:
        return _("其他")
    return place_name(value)
