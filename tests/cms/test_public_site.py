"""The public site as a visitor finds it: every public page reachable by links
from the home page, no broken link on the way, and English pages in English."""

import pytest
from django.core.cache import cache

from search import indexer, indices
from search.public_needs import PUBLIC_NEEDS
from tests.cms.public_site import (
    chinese_outside_marked_spots,
    crawl,
    public_pages,
    published_city,
    region,
)

pytestmark = pytest.mark.django_db

# Pages this part of the site owns: checked whole in English. The others
# (listings, need, project, giving, joining, reporting) show data written in
# Chinese and are checked in the chrome they share (header and footer).
WHOLE_PAGES_IN_ENGLISH = {
    "home",
    "track",
    "transparency",
    "apply",
    "status",
    "complaints",
    "complaint_follow",
    "login",
    "policies",
    "policy",
    "notices",
    "notice",
    "figures",
    "dishonesty",
}


@pytest.fixture
def public_index(es_client):
    """A fresh public-needs index (the listing is served from Elasticsearch here)."""
    es_client.indices.delete(
        index=indices.index_name("public-needs") + "*", ignore_unavailable=True
    )
    indices.ensure(PUBLIC_NEEDS)
    return indices.read_alias("public-needs")


@pytest.fixture
def city(settings, public_index, es_client):
    cache.clear()  # rate-limit counters and cached figures of earlier tests
    city = published_city(settings)
    indexer.drain()
    es_client.indices.refresh(index=public_index)
    yield city
    cache.clear()


def test_every_public_page_is_reachable_from_home_and_no_link_is_broken(client, city):
    seen, found_on = crawl(client)
    missing = {name: path for name, path in public_pages(city).items() if path not in seen}
    assert not missing, f"not reachable from the home page: {missing}"
    broken = {path: (status, found_on[path]) for path, status in seen.items() if status >= 400}
    assert not broken, f"broken links (status, found on): {broken}"


def test_the_gift_page_is_reached_through_the_tracking_box(client, city):
    code = city["donation"].tracking_code
    response = client.get("/track/", {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == f"/track/{code}/"
    assert 'data-testid="gift-summary"' in response.content.decode()


def test_english_pages_have_no_chinese_outside_marked_spots(client, city):
    client.cookies["django_language"] = "en"
    pages = public_pages(city)
    pages["gift"] = f"/track/{city['donation'].tracking_code}/"
    problems = {}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        html = response.content.decode()
        assert '<html lang="en">' in html
        parts = (
            [html]
            if name in WHOLE_PAGES_IN_ENGLISH | {"gift"}
            else [region(html, "header"), region(html, "footer")]
        )
        found = [run for part in parts for run in chinese_outside_marked_spots(part)]
        if found:
            problems[name] = found[:5]
    assert not problems, f"Chinese on English pages: {problems}"


def test_chinese_stays_the_default_and_the_marked_spots_are_the_only_exceptions(client, city):
    html = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in html and "长春市社会救助服务平台" in html
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    # The language switch names Chinese in Chinese, marked as such.
    assert '<option value="zh-hans" lang="zh-hans">简体中文</option>' in html
    assert chinese_outside_marked_spots(html) == []
