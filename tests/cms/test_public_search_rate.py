"""The public listings' filters and search are rate-limited per client address
(PUBLIC_SEARCH_RATE); over the limit the visitor gets 429 with a Chinese page."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from search import indices
from search.public_needs import PUBLIC_NEEDS
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db

# django-ratelimit counts in fixed windows; a daily window keeps a slow run from
# crossing into a fresh one between the requests of a test.


@pytest.fixture(autouse=True)
def _site(es_client):
    pf.ensure_site_data()
    indices.ensure(PUBLIC_NEEDS)
    cache.clear()
    yield
    cache.clear()


@override_settings(PUBLIC_SEARCH_RATE="3/d")
@pytest.mark.parametrize("url", ["/needs/?q=透析", "/projects/?district=220104"])
def test_a_listing_over_its_rate_gets_429_and_another_address_does_not(client, url):
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR="10.0.0.7").status_code == 200
    refused = client.get(url, REMOTE_ADDR="10.0.0.7")
    assert refused.status_code == 429
    assert "操作过于频繁" in refused.content.decode()
    assert client.get(url, REMOTE_ADDR="10.0.0.8").status_code == 200


@override_settings(PUBLIC_SEARCH_RATE="3/d")
def test_the_two_listings_share_one_budget_and_a_need_page_is_not_counted(client):
    for url in ["/needs/", "/projects/", "/needs/?category=medical"]:
        assert client.get(url).status_code == 200
    assert client.get("/needs/999999/").status_code == 404  # a need's own page: not a search
    assert client.get("/projects/").status_code == 429


@override_settings(PUBLIC_SEARCH_RATE="")
def test_an_empty_rate_turns_the_limit_off(client):
    assert all(client.get("/needs/?q=助学").status_code == 200 for _ in range(65))
