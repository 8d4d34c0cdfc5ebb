"""In Chromium, at 390 px and 1366 px: every public page passes axe-core (no
serious or critical violation), the navigation collapses to a menu button on
a phone, and a donor goes from the home page to their gift's tracking page."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache

from search import indexer, indices
from search.public_needs import PUBLIC_NEEDS
from tests.browser_kit import assert_accessible, new_page, shoot
from tests.cms.public_site import public_pages, published_city

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # A flushing test before this one may have re-created content types under new ids.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def city(settings, es_client):
    es_client.indices.delete(
        index=indices.index_name("public-needs") + "*", ignore_unavailable=True
    )
    indices.ensure(PUBLIC_NEEDS)
    cache.clear()
    city = published_city(settings)
    indexer.drain()
    es_client.indices.refresh(index=indices.read_alias("public-needs"))
    yield city
    cache.clear()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_public_page_is_accessible(live_server, browser, city, size):
    page = new_page(browser, size)
    pages = {**public_pages(city), "gift": f"/track/{city['donation'].tracking_code}/"}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert page.locator("h1").count() >= 1, name
        assert_accessible(page)
        shoot(page, f"public-{name}")
    page.context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_from_the_home_page_to_the_gifts_tracking_page(live_server, browser, city, size):
    page = new_page(browser, size)
    page.goto(live_server.url + "/")
    nav_track = page.get_by_test_id("nav-track")
    if size == "phone":
        assert not nav_track.is_visible()  # collapsed behind the menu button
        page.get_by_test_id("nav-toggle").click()
    nav_track.wait_for(state="visible")
    assert page.get_by_test_id("figure-raised").inner_text() == "¥500.00"

    page.get_by_label("输入追踪码，查看善款去向").fill("not a code!")
    page.get_by_test_id("track-box").get_by_test_id("track-submit").click()
    assert "追踪码由字母、数字、-和_组成" in page.get_by_test_id("form-errors").inner_text()
    assert_accessible(page)

    page.get_by_label("追踪码").fill(city["donation"].tracking_code)
    page.get_by_test_id("track-lookup-form").get_by_test_id("track-submit").click()
    assert "善款已到账" in page.get_by_test_id("gift-whereabouts").inner_text()
    assert page.get_by_test_id("gift-held").inner_text() == "¥500.00"
    shoot(page, "journey-track")
    page.get_by_test_id("gift-target-link").click()
    assert page.get_by_test_id("need-detail").is_visible()
    assert page.url == f"{live_server.url}/needs/{city['need'].pk}/"
    page.context.close()
