"""In Chromium, on a phone (390 px) and a desktop (1366 px): a donor opens the needs
listing, filters and sorts it (in the drawer on the phone, the sidebar on the
desktop), opens a need and follows its give button to the give page; the
listing, the need and a project page pass axe-core."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from matching.publication.models import PublicNeed
from matching.publication.services import public_need_derive
from tests.browser_kit import assert_accessible, new_page, shoot
from tests.matching.publication import publication_factories as pf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # A transactional test before this one may have re-created the content types.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def city(settings):
    settings.ELASTICSEARCH_URL = ""  # the database listing; the index has its own tests
    settings.ELASTICSEARCH_HOSTS = []
    settings.PUBLICATION_K = 1
    settings.PUBLIC_SEARCH_RATE = ""
    cache.clear()
    places = pf.places()
    needs = {}
    for title, place, categories, raised in [
        ("透析费用求助", "hongqi", ["medical"], 0),
        ("化疗费用快筹满了", "hongqi", ["medical"], 4500),
        ("南关的住院费用求助", "nanling", ["medical"], 0),
        ("高中学费求助", "hongqi", ["education"], 0),
    ]:
        case = pf.approved_case(places[place], title=title, categories=categories, amount="5000")
        need = public_need_derive(case=case)
        need.save_revision().publish()  # the approval workflow has its own browser test
        PublicNeed.objects.filter(pk=need.pk).update(raised_amount=raised)
        needs[title] = need
    charity = pf.organization(places["city"], "长春市慈善总会")
    project = pf.project(charity, "大病救助项目", budget_remaining="50000.00")
    return needs, project


def _styled(page):
    """Bootstrap's script and styles are in (base.html's, or public.js's stand-in)."""
    page.wait_for_function(
        "() => window.bootstrap !== undefined && [...document.styleSheets].some("
        "s => (s.href || '').includes('bootstrap.min.css'))"
    )


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_donor_filters_sorts_opens_a_need_and_reaches_the_give_page(
    live_server, browser, city, size
):
    needs, project = city
    page = new_page(browser, size)
    page.goto(f"{live_server.url}/needs/")
    _styled(page)
    assert page.get_by_test_id("need-card").count() == 4
    assert_accessible(page)
    shoot(page, "needs-listing")

    drawer = page.get_by_test_id("need-filter-drawer")
    if size == "phone":
        # On a phone the filters wait in a drawer, out of the way of the needs.
        assert not page.get_by_test_id("need-filter-submit").is_visible()
        page.get_by_test_id("need-filter-open").click()
        page.wait_for_function(
            "() => document.getElementById('need-filter-drawer').classList.contains('show')"
        )
        shoot(page, "needs-filter-drawer")
    else:
        assert not page.get_by_test_id("need-filter-open").is_visible()
    assert drawer.get_by_test_id("need-filter-submit").is_visible()
    drawer.get_by_label("救助类别").select_option("medical")
    drawer.get_by_label("排序").select_option("nearly_funded")
    drawer.get_by_test_id("need-filter-submit").click()
    page.wait_for_url("**/needs/?*")
    _styled(page)

    cards = page.get_by_test_id("need-card")
    assert cards.count() == 3  # the school fees need is filtered out
    assert cards.first.get_by_test_id("need-card-link").inner_text() == "化疗费用快筹满了"
    assert "¥4,500.00" in cards.first.inner_text()
    assert page.get_by_test_id("need-chosen").is_visible()  # the filter in force, removable

    cards.first.get_by_test_id("need-card-link").click()
    need = needs["化疗费用快筹满了"]
    page.wait_for_url(f"**/needs/{need.pk}/")
    _styled(page)
    assert "化疗费用快筹满了" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_test_id("need-qr").locator("svg").is_visible()
    assert_accessible(page)
    shoot(page, "need-page")

    # The prominent give button: in the sidebar on a desktop, a bar at the bottom on a phone.
    give = page.get_by_test_id("give-link-phone" if size == "phone" else "give-link")
    assert give.is_visible()
    give.click()
    page.wait_for_url(f"**/give/need/{need.pk}/")
    assert "化疗费用快筹满了" in page.get_by_test_id("give-target").inner_text()

    page.goto(f"{live_server.url}/projects/{project.pk}/")
    _styled(page)
    assert "长春市慈善总会" in page.get_by_test_id("project-organization").inner_text()
    assert_accessible(page)
    shoot(page, "project-page")
    page.context.close()
