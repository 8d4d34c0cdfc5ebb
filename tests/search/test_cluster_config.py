"""A cluster rather than a node: several hosts, connection errors retried on
the next one, shards and replicas from the environment."""

import pytest

from search import client, indices, registry

DEAD = "http://127.0.0.1:1"  # nothing listens there: connection refused


@pytest.fixture
def fresh_client():
    client._client.cache_clear()
    yield
    client._client.cache_clear()


@pytest.mark.elasticsearch
def test_a_dead_node_in_the_host_list_does_not_fail_requests(es_client, settings, fresh_client):
    live = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = DEAD  # the host list wins over the single URL
    settings.ELASTICSEARCH_HOSTS = [DEAD, live, DEAD]
    # Round robin starts anywhere: enough requests that each begins on a dead node too.
    for _attempt in range(6):
        assert client.cluster_info()["version"]["number"] == "7.10.2"


def test_with_every_node_down_the_message_names_them_all(settings, fresh_client):
    settings.ELASTICSEARCH_HOSTS = [DEAD, "http://127.0.0.1:2"]
    with pytest.raises(client.SearchUnavailable) as caught:
        client.cluster_info()
    assert "http://127.0.0.1:1, http://127.0.0.1:2" in str(caught.value)


def test_the_host_list_falls_back_to_the_single_url(settings):
    settings.ELASTICSEARCH_HOSTS = []
    settings.ELASTICSEARCH_URL = "http://es.internal:9200"
    assert client.hosts() == ["http://es.internal:9200"]
    settings.ELASTICSEARCH_HOSTS = ["http://es1:9200", " http://es2:9200 ", ""]
    assert client.hosts() == ["http://es1:9200", "http://es2:9200"]
    settings.ELASTICSEARCH_HOSTS, settings.ELASTICSEARCH_URL = [], ""
    assert not client.is_configured()


def test_the_client_retries_on_the_next_node_and_never_sniffs(settings, fresh_client):
    settings.ELASTICSEARCH_HOSTS = ["http://es1:9200", "http://es2:9200", "http://es3:9200"]
    settings.ELASTICSEARCH_MAX_RETRIES = 4
    transport = client.get_client().transport
    assert len(transport.connection_pool.connections) == 3
    assert transport.max_retries == 4
    assert not transport.sniff_on_start and not transport.sniff_on_connection_fail
    assert transport.sniffer_timeout is None


@pytest.mark.elasticsearch
@pytest.mark.parametrize("name", ["offers", "public-needs"])
def test_new_indexes_take_shards_and_replicas_from_the_settings(
    name, es_prefix, es_client, settings
):
    settings.ELASTICSEARCH_SHARDS = 2
    settings.ELASTICSEARCH_REPLICAS = 1
    spec = registry.spec(name)
    concrete = indices.create_concrete(spec)
    index = es_client.indices.get_settings(index=concrete)[concrete]["settings"]["index"]
    assert (index["number_of_shards"], index["number_of_replicas"]) == ("2", "1")
    assert index["refresh_interval"] == "1s"
    # and the mapping's class keeps no hard-coded topology for the next index
    settings.ELASTICSEARCH_SHARDS, settings.ELASTICSEARCH_REPLICAS = 1, 0
    other = indices.create_concrete(spec)
    index = es_client.indices.get_settings(index=other)[other]["settings"]["index"]
    assert (index["number_of_shards"], index["number_of_replicas"]) == ("1", "0")
