import segno
from django import template
from django.utils.safestring import mark_safe

from matching.directory.place_names import place_name
from matching.ledger.money import format_yuan, yuan_to_minor

register = template.Library()

# One Bootstrap Icon per assistance category: decorative, the text says it too.
CATEGORY_ICONS = {
    "subsistence": "basket",
    "extreme_poverty": "person-heart",
    "disaster": "cloud-lightning-rain",
    "medical": "heart-pulse",
    "education": "book",
    "housing": "house-heart",
    "employment": "briefcase",
    "temporary": "life-preserver",
    "judicial": "shield-check",
}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def place(name):
    """A division's name in the page's language (romanised on English pages)."""
    return place_name(name) if name else ""


@register.filter
def category_icon(code):
    return CATEGORY_ICONS.get(code, "hand-thumbs-up")


@register.filter
def yuan_amount(amount):
    """Yuan as a Decimal (the published fields) → "¥1,234.56"; empty for None."""
    return "" if amount is None else format_yuan(yuan_to_minor(amount))


@register.simple_tag
def qr_svg(url, title):
    """The URL as an inline SVG QR code (no image request, no inline style)."""
    svg = segno.make(url, error="m").svg_inline(scale=4, title=title, dark="#212529")
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 - segno's own markup
