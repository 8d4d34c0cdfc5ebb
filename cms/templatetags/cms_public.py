import segno
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

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


def _suppressed(k):
    """A cell of the public figures withheld because it counts 1 to k - 1."""
    text = gettext("少于%(k)s") % {"k": k}
    return format_html('<span class="text-body-secondary" data-suppressed="1">{}</span>', text)


@register.filter
def k_count(value, k):
    """A published count, or "少于5" for a suppressed one (``None``)."""
    return _suppressed(k) if value is None else value


@register.filter
def k_yuan(minor, k):
    return _suppressed(k) if minor is None else format_yuan(minor)


@register.filter
def k_hours(hours, k):
    return _suppressed(k) if hours is None else gettext("%(hours)s 小时") % {"hours": hours}
