"""The site's chrome: primary navigation and the links of the public page tree.

The needs and projects listings are Wagtail pages (their titles come from the
page tree, translated per locale); every other entry is a URL name, shown only
once the app that serves it is installed (``{% url … as x %}`` stays silent).
"""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.models import NeedIndexPage, ProjectIndexPage

register = template.Library()

LISTINGS_CACHE_SECONDS = 300

# (key, label, URL name, Bootstrap icon) after the two listings, in nav order.
# The first entries are what most visitors come for; those keyed in
# MORE_ENTRIES sit under the "更多" dropdown so that the bar keeps to one line
# at 1200 px in Chinese and in English (docs/design.md, "The navbar").
NAMED_ENTRIES = [
    ("volunteer", _("志愿服务"), "join_volunteer", "people"),
    ("report", pgettext_lazy("navigation", "主动发现"), "report", "megaphone"),
    ("track", _("善款追踪"), "funding:track_lookup", "search-heart"),
    ("transparency", _("信息公开"), "funding:transparency", "bar-chart"),
    ("complaints", _("投诉建议"), "complaint_file", "chat-left-text"),
]
MORE_ENTRIES = {"report", "transparency", "complaints"}


def _page_link(model):
    # The default locale's page; .localized then picks the visitor's translation.
    page = model.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if page is None:
        return None
    page = page.localized
    return {"title": page.title, "url": page.url}


def public_listings():
    """``{"needs": {title, url}, "projects": {…}}`` in the active language, cached briefly."""
    key = f"cms:listings:{translation.get_language()}"
    found = cache.get(key)
    if found is None:
        found = {"needs": _page_link(NeedIndexPage), "projects": _page_link(ProjectIndexPage)}
        cache.set(key, found, LISTINGS_CACHE_SECONDS)
    return found


def _named(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@register.simple_tag
def listing_url(key):
    """The URL of the needs or projects listing ("" if the page is missing)."""
    link = public_listings().get(key)
    return link["url"] if link else ""


@register.inclusion_tag("includes/primary_nav.html", takes_context=True)
def primary_nav(context):
    listings = public_listings()
    items = []
    if listings["needs"]:
        items.append(("needs", listings["needs"]["title"], listings["needs"]["url"], "heart"))
    if listings["projects"]:
        items.append(
            ("projects", listings["projects"]["title"], listings["projects"]["url"], "briefcase")
        )
    if listings["needs"]:
        items.append(("give", _("我要捐赠"), listings["needs"]["url"], "gift"))
    for key, label, name, icon in NAMED_ENTRIES:
        url = _named(name)
        if url:
            items.append((key, label, url, icon))
    request = context.get("request")
    path = request.path if request else ""
    current = _current_key(items, path)
    entries = [
        {"key": k, "label": label, "url": url, "icon": icon, "current": k == current}
        for k, label, url, icon in items
    ]
    more = [entry for entry in entries if entry["key"] in MORE_ENTRIES]
    return {
        "items": [entry for entry in entries if entry["key"] not in MORE_ENTRIES],
        "more": more,
        "more_current": any(entry["current"] for entry in more),
    }


def _current_key(items, path):
    """The entry whose URL is the longest prefix of the path ("/" never counts)."""
    best, length = None, 0
    for key, _label, url, _icon in items:
        if url and url != "/" and path.startswith(url) and len(url) > length:
            best, length = key, len(url)
    return best


@register.simple_tag
def target_url(kind, ref):
    """Where a gift's earmark is shown: a need's or a project's own page, the
    projects listing for a fund, or the needs listing filtered to a category
    ("" if none)."""
    listings = public_listings()
    needs, projects = listings.get("needs"), listings.get("projects")
    if kind == "need" and needs:
        return f"{needs['url']}{ref}/"
    if kind == "project" and projects:
        return f"{projects['url']}{ref}/"
    if kind == "fund" and projects:
        return projects["url"]
    if kind == "general" and needs:
        return f"{needs['url']}?category={ref}"
    return ""
