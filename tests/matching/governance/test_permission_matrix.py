"""The permission matrix (docs/permissions.md) as HTTP-level tests: every role
against every screen, export and API endpoint of ours, one test per cell.

The world (permission_world.py) is built once for the module inside a
transaction that is rolled back at the end; each test runs in a savepoint of
it, so a write one cell makes is gone before the next.
"""

import fnmatch
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from permission_matrix import MATRIX, ROWS
from permission_world import ANONYMOUS, COLUMNS, TOKEN, build
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from matching.directory.models import STAFF_ROLES

DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"
OUR_PACKAGES = ("matching.", "cms.", "search.", "config.")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from search import indices
    from search.public_needs import PUBLIC_NEEDS

    with django_db_blocker.unblock():
        indices.ensure(PUBLIC_NEEDS)  # the public listing searches this index
        with transaction.atomic():
            built = build()
            yield built
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _client(world, column):
    if column == TOKEN:
        return Client(HTTP_AUTHORIZATION=f"Bearer {world.a.token}")
    client = Client()
    if column != ANONYMOUS:
        client.force_login(world.user(column))
    return client


def _body(response):
    # Downloads (XLSX, PDF) are binary: undecodable bytes become U+FFFD.
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8-sig", errors="replace")
    return response.content.decode(errors="replace")


def refused(response, ok_redirects=()):
    if response.status_code in (400, 401, 403, 404, 405):
        return True
    if response.status_code == 302:
        location = response["Location"]
        if location in ok_redirects:
            return False
        return "/login/" in location or location == "/admin/"
    return False


def _request(world, row, column):
    client = _client(world, column)
    url = row.url(world)
    if row.method == "GET":
        return client.get(url)
    data = row.data(world, column)
    if row.json_body:
        return client.post(url, data=json.dumps(data), content_type="application/json")
    return client.post(url, data)


CELLS = [
    pytest.param(row.key, column, row.cells[index], id=f"{row.key}--{column}")
    for row in ROWS
    for index, column in enumerate(COLUMNS)
    if row.cells[index] != "-"
]


@pytest.mark.parametrize(("key", "column", "code"), CELLS)
def test_cell(world, key, column, code):
    row = MATRIX[key]
    before = row.snapshot(world) if row.snapshot else None
    response = _request(world, row, column)
    body = _body(response)
    answer = (response.status_code, response.get("Location"))
    leaked = [secret for secret in world.secrets() if secret in body]
    if code == "N":
        assert refused(response, row.ok_redirects), answer
        assert not leaked, f"a refused answer carries personal data: {leaked}"
    else:
        assert not refused(response, row.ok_redirects), answer
        assert response.status_code in (200, 201, 302), response.status_code
        if column not in STAFF_ROLES and not row.personal:
            assert not leaked, f"personal data shown outside civil-affairs staff: {leaked}"
    if row.effect is not None:
        assert row.effect(world, before) is (code != "N"), "the write's effect"
    if row.markers is not None and code != "N":
        mine, theirs = row.markers(world)
        shown = (mine in body, theirs in body)
        assert shown == {"C": (True, True), "A": (True, False), "0": (False, False)}[code]


def test_lists_and_exports_carry_no_personal_data(world):
    """Scoped or not, a listing shows receipt numbers and titles, never a person."""
    for row in ROWS:
        if row.markers is None:
            continue
        for index, column in enumerate(COLUMNS):
            if row.cells[index] in "CA":
                body = _body(_request(world, row, column))
                assert not [s for s in world.secrets() if s in body], (row.key, column)


def test_a_staff_member_sees_personal_data_only_in_their_own_jurisdiction(world):
    from matching.directory.models import Role

    district = _client(world, Role.DISTRICT_STAFF)
    own = _body(district.get(f"/admin/cases/case/{world.a.case.pk}/"))
    number = world.a.id_number  # masked on the case page; the full one only by reveal
    assert number[:4] + "*" * (len(number) - 8) + number[-4:] in own
    other = district.get(f"/admin/cases/case/{world.b.case.pk}/")
    assert refused(other) and world.b.id_number not in _body(other)


# --- the documented table and the Python table agree ------------------------------


def _doc_table():
    """{row key: cell codes} from the matrix table in docs/permissions.md."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- matrix:start -->")[1].split("<!-- matrix:end -->")[0]
    lines = [line for line in table.strip().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    end = 2 + len(COLUMNS)
    assert header[2:end] == COLUMNS, "the doc's columns are the roles, in COLUMNS order"
    rows = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0].strip("`")] = "".join(cells[2:end])
    return rows


def test_the_documented_matrix_is_the_tested_matrix():
    documented = _doc_table()
    tested = {row.key: row.cells for row in ROWS}
    assert sorted(documented) == sorted(tested), "the same rows in the doc and the test"
    differing = {
        key: (documented[key], tested[key]) for key in tested if documented[key] != tested[key]
    }
    assert not differing, differing


def matrix_table():
    """The table for docs/permissions.md, generated from ROWS."""
    lines = [
        "| endpoint | method | " + " | ".join(COLUMNS) + " | note |",
        "|---|---|" + "---|" * (len(COLUMNS) + 1),
    ]
    for row in ROWS:
        cells = " | ".join(row.cells)
        lines.append(f"| `{row.key}` | {row.method} | {cells} | {row.note} |")
    return "\n".join(lines)


# --- every endpoint of ours is in the matrix -----------------------------------------

# Endpoints of ours left out of the matrix, each with the reason.
EXCLUDED = {
    "*:index_results": "the AJAX half of a listing: same view class and queryset as its index row",
    "*:list_results": "the AJAX half of a snippet listing: same view and queryset as its list row",
    "*:history_results": "the AJAX half of a history view: same view and object check as history",
    "*:choose*": "Wagtail's chooser modal over a snippet; opens inside an admin form",
    "*:chosen*": "Wagtail's chooser modal over a snippet; opens inside an admin form",
    "wagtailsnippetchoosers_*:create": "Wagtail's chooser modal over a snippet",
    "wagtailsnippets_*:revisions_*": "Wagtail's revision machinery: the object goes through "
    "scope_object_views (checked below for every pk-only URL)",
    "wagtailsnippets_*:workflow*": "Wagtail's workflow machinery: the object goes through "
    "scope_object_views; workflow actions are the approval task's (docs/publication.md)",
    "wagtailsnippets_*:collect_workflow_action_data": "Wagtail's workflow machinery",
    "wagtailsnippets_*:confirm_workflow_cancellation": "Wagtail's workflow machinery",
    "wagtailsnippets_*:preview_on_*": "the edit form's live preview (same object check as edit)",
    "wagtailsnippets_*:unpublish": "goes through scope_object_views (checked below)",
    "wagtailsnippets_*:usage": "goes through scope_object_views (checked below)",
    "api:api-root": "the API's mount point: no operation answers there",
    "audit_site_history*": "our scoped site history report, at the URLs of "
    "wagtailadmin_reports:site_history (and its results): that row covers it",
}


def _our_app_labels():
    return {
        config.label
        for config in apps.get_app_configs()
        if config.name.split(".")[0] in {p.rstrip(".") for p in OUR_PACKAGES}
    }


def _is_ours(pattern, urlconfs, labels):
    if any(getattr(conf, "__name__", conf) for conf in urlconfs if _ours_module(conf)):
        return True
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None)
    module = (view_class or callback).__module__
    if module.startswith(OUR_PACKAGES):
        return True
    model = getattr(callback, "view_initkwargs", {}).get("model")
    if isinstance(model, str):
        model = apps.get_model(model)
    return model is not None and model._meta.app_label in labels


def _ours_module(urlconf):
    name = urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", "")
    return name.startswith(OUR_PACKAGES)


def _walk(patterns, namespace=None, urlconfs=(), prefix=""):
    """(pattern, namespaced name, enclosing urlconfs, full route) for every URL."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner, (*urlconfs, pattern.urlconf_name), route)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield pattern, name, urlconfs, route


# The API's namespace (site/config/api.py): its views are django-ninja's, its
# operations ours.
OUR_API = "api:"


def our_endpoints():
    labels = _our_app_labels()
    return sorted(
        {
            name or pattern.pattern.describe()
            for pattern, name, urlconfs, _route in _walk(get_resolver().url_patterns)
            if _is_ours(pattern, urlconfs, labels) or (name or "").startswith(OUR_API)
        }
    )


def _excluded(name):
    return any(fnmatch.fnmatch(name, pattern) for pattern in EXCLUDED)


# Our Wagtail page types and their routes → the matrix rows that cover them.
PAGE_ROWS = {
    "cms.HomePage": "wagtail_serve[home]",
    "cms.NeedIndexPage.listing": "wagtail_serve[needs]",
    # Wagtail's default route at "", answered by ``listing`` (declared at "" too).
    "cms.NeedIndexPage.index_route": "wagtail_serve[needs]",
    "cms.NeedIndexPage.detail": "wagtail_serve[need-approved]",
    "cms.ProjectIndexPage.index_route": "wagtail_serve[projects]",
    "cms.ProjectIndexPage.detail": "wagtail_serve[project-public]",
    "cms.PolicyIndexPage": "wagtail_serve[policies]",
    "cms.PolicyPage": "wagtail_serve[policy]",
    "cms.NoticeIndexPage": "wagtail_serve[notices]",
    "cms.NoticePage": "wagtail_serve[notice]",
    "cms.ImplementationFiguresPage": "wagtail_serve[figures]",
    "cms.DishonestyDisclosurePage": "wagtail_serve[dishonesty]",
}


def _page_endpoints():
    for model in apps.get_models():
        if not issubclass(model, Page) or model._meta.app_label not in _our_app_labels():
            continue
        if issubclass(model, RoutablePageMixin):
            for route in model.get_subpage_urls():
                yield f"{model._meta.label}.{route.name}"
        else:
            yield model._meta.label


def test_every_endpoint_of_ours_is_in_the_matrix():
    covered = {row.url_name for row in ROWS}
    missing = [name for name in our_endpoints() if name not in covered and not _excluded(name)]
    assert not missing, f"add these endpoints to the matrix: {missing}"
    pages = [page for page in _page_endpoints() if PAGE_ROWS.get(page) not in MATRIX]
    assert not pages, f"add these page routes to the matrix: {pages}"


def test_exclusions_name_real_endpoints():
    names = our_endpoints()
    stale = [p for p in EXCLUDED if not any(fnmatch.fnmatch(n, p) for n in names)]
    assert not stale, stale


def test_every_scoped_snippet_view_refuses_another_districts_record(world):
    """The object views that scope_object_views wraps, including those the matrix
    leaves out, refuse district A's staff a record of district B."""
    from matching.directory.models import Role

    client = _client(world, Role.DISTRICT_STAFF)
    checked = 0
    for _pattern, name, _urlconfs, route in _walk(get_resolver().url_patterns):
        if not (name or "").startswith("wagtailsnippets_publication_publicneed:"):
            continue
        if set(re.findall(r"<(?:\w+:)?(\w+)>", route)) != {"pk"}:
            continue
        response = client.get("/" + route.replace("<int:pk>", str(world.b.need.pk)))
        assert refused(response), (name, response.status_code)
        checked += 1
    assert checked >= 8
