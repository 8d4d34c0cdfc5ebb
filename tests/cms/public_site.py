"""What the public-site tests share: a small published city (one need with an
account and a gift, one project), the pages every visitor must be able to
reach from the home page, and a link-following crawler."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.urls import NoReverseMatch, reverse
from wagtail.models import Locale

from cms.demo import PLATFORM_NOTICE, STANDARD_POLICY, notice_add, policy_add
from cms.publicity import NoticeIndexPage, PolicyIndexPage
from matching.ledger.models import Account
from matching.ledger.services import account_open
from matching.payments.services import donation_create, donation_receive
from matching.publication.services import public_need_derive
from tests.matching.publication import publication_factories as pf

# Never followed: the staff side, signing out, files, the language switch.
SKIPPED_PREFIXES = ("/admin/", "/accounts/logout", "/static/", "/media/", "/documents/", "/i18n/")
# Chinese characters and the full-width punctuation that must not appear in English either.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")


def published_city(settings):
    """One published need (k = 1: a lone test household), its account holding
    one gift, and one project of a verified charity."""
    settings.PUBLICATION_K = 1
    places = pf.places()
    case = pf.approved_case(places["hongqi"], names=["欧阳翠花"], amount="20000.00")
    # Published directly (the approval workflow has its own tests), so that a
    # browser test after a flushing one needs none of the workflow's groups.
    need = public_need_derive(case=case)
    need.save_revision().publish()
    need.refresh_from_db()
    assert need.is_public
    account = account_open(
        code=f"need:{need.pk}",
        kind=Account.Kind.NEED,
        category="medical",
        earmark_cap_minor=2_000_000,
    )
    donation = donation_receive(
        donation=donation_create(target_code=account.code, amount_minor=50_000), reason="test"
    )
    project = pf.project(pf.organization(places["city"], "长春市慈善总会"), "大病救助项目")
    chinese = Locale.get_default()
    policy = policy_add(PolicyIndexPage.objects.get(locale=chinese), STANDARD_POLICY)
    notice = notice_add(NoticeIndexPage.objects.get(locale=chinese), PLATFORM_NOTICE)
    return {
        "need": need,
        "donation": donation,
        "project": project,
        "places": places,
        "policy": policy,
        "notice": notice,
    }


def _reverse(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def public_pages(city):
    """{name: path} of every public page a visitor must reach from home. Pages
    other helpers are building count once their URL names exist."""
    need, project = city["need"], city["project"]
    pages = {
        "home": "/",
        "needs": "/needs/",
        "need": f"/needs/{need.pk}/",
        "projects": "/projects/",
        "give": _reverse("giving:give", "need", str(need.pk)),
        "track": reverse("funding:track_lookup"),
        "transparency": reverse("funding:transparency"),
        "apply": reverse("cases_apply"),
        "status": reverse("cases_status"),
        "complaints": reverse("complaint_file"),
        "complaint_follow": reverse("complaint_follow"),
        "login": reverse("login"),
        "project": _reverse("project_detail", str(project.pk)),
        "join_volunteer": _reverse("join_volunteer"),
        "join_organization": _reverse("join_organization"),
        "report": _reverse("report"),
        # Publicity (docs/publicity.md): the four pages under home, one policy, one notice.
        "policies": "/policies/",
        "policy": f"/policies/{city['policy'].slug}/",
        "notices": "/notices/",
        "notice": f"/notices/{city['notice'].slug}/",
        "figures": "/figures/",
        "dishonesty": "/dishonesty/",
    }
    return {name: path for name, path in pages.items() if path}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def same_site_links(html):
    parser = _Links()
    parser.feed(html)
    links = set()
    for href in parser.hrefs:
        href = urldefrag(href)[0]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # another site, tel:, mailto: or a fragment
        if parts.path.startswith(SKIPPED_PREFIXES):
            continue
        links.add(parts.path)  # query strings (filters, facets) are the same page
    return links


def crawl(client, start="/", limit=300):
    """Follow links from ``start``: {path: status}, and {path: the page it was found on}."""
    seen, found_on = {}, {start: None}
    queue = deque([start])
    while queue and len(seen) < limit:
        path = queue.popleft()
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in same_site_links(response.content.decode()):
            if link not in found_on:
                found_on[link] = path
                queue.append(link)
    return seen, found_on


class _VisibleText(HTMLParser):
    """The text a reader sees, without scripts, styles and anything marked as
    Chinese on purpose (``lang="zh…"``: the language switch, data in Chinese)."""

    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "wbr",
    }

    def __init__(self):
        super().__init__()
        self.stack, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        hidden = tag in ("script", "style") or (dict(attrs).get("lang") or "").startswith("zh")
        self.stack.append(hidden or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)

    def handle_startendtag(self, tag, attrs):
        pass


def chinese_outside_marked_spots(html):
    """Each run of Chinese text outside elements marked lang="zh…", with context."""
    parser = _VisibleText()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    return [text[max(0, m.start() - 25) : m.end() + 25] for m in CJK.finditer(text)]


def region(html, tag):
    """The first <header>…</header> or <footer>…</footer> of a page."""
    start = html.find(f"<{tag}")
    return html[start : html.find(f"</{tag}>", start) + len(tag) + 3] if start >= 0 else ""
