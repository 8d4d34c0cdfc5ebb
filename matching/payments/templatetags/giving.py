from django import template

from matching.ledger.money import format_yuan

register = template.Library()


@register.filter
def yuan(amount_minor):
    """Fen to "¥1,234.56"; empty for None."""
    return "" if amount_minor is None else format_yuan(amount_minor)


@register.inclusion_tag("payments/_funding_summary.html")
def funding_summary(summary, give_url=""):
    """Raised, disbursed and balance of a giving target, and its "我要捐赠" link."""
    return {"summary": summary, "give_url": give_url}


@register.filter
def whole_yuan(yuan):
    """A preset amount in whole yuan ("1000") as "¥1,000"."""
    return f"¥{int(yuan):,}"
