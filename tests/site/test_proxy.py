"""The client's address behind the TLS proxy (config.proxy.client_ip): rate limits
and the login lockout count per client, not per proxy."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.urls import reverse

from config.proxy import client_ip
from matching.directory.models import Jurisdiction

PROXY = "10.0.0.2"


def _request(forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_the_header_is_ignored():
    assert client_ip(_request("203.0.113.7", remote="198.51.100.4")) == "198.51.100.4"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_one_proxy_vouches_for_the_address_it_received_from():
    assert client_ip(_request("203.0.113.7")) == "203.0.113.7"
    # A client that forges the header only prepends: the proxy's own entry still wins.
    assert client_ip(_request("1.2.3.4, 203.0.113.7")) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_two_proxies_each_add_a_hop():
    assert client_ip(_request("1.2.3.4, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"
    assert client_ip(_request("2001:db8::1, 10.0.0.9")) == "2001:db8::1"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_a_short_or_garbled_header_falls_back_to_the_nearest_proxy():
    assert client_ip(_request("203.0.113.7")) == PROXY
    assert client_ip(_request("")) == PROXY
    assert client_ip(_request(None)) == PROXY
    assert client_ip(_request("not-an-address, 10.0.0.9")) == PROXY


@pytest.fixture
def district(db, redis_cache):
    redis_cache.clear()
    city = Jurisdiction.objects.create(code="220100", name="长春市", level="city", path="220100")
    yield Jurisdiction.objects.create(
        code="220104", name="朝阳区", level="district", parent=city, path="220100/220104"
    )
    cache.clear()


@override_settings(TRUSTED_PROXY_COUNT=1, COMPLAINT_FILE_RATE="2/d")
def test_two_visitors_behind_the_proxy_have_a_complaint_budget_each(client, district):
    data = {"subject_kind": "charity", "place": district.code, "content": "资金去向不明。"}
    url = reverse("complaint_file")
    first = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    second = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.8"}
    assert [client.post(url, data, **first).status_code for _ in range(3)] == [302, 302, 429]
    assert client.post(url, data, **second).status_code == 302
