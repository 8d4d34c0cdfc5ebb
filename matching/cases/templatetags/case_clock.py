from django import template

from ..clock import clock

register = template.Library()


@register.inclusion_tag("cases/admin/_clock.html")
def deadline(due, done=False):
    """A deadline badge: colour, icon and words (cases.clock)."""
    return {"clock": clock(due, done=done)}
