from django import template

from matching.directory.place_names import place_name as _place_name

register = template.Library()


@register.filter
def place_name(name):
    """A district, street or community name in the active language (Chinese unchanged)."""
    return _place_name(name)
