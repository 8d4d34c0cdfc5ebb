import uuid

import pytest


@pytest.fixture
def es_prefix(es_client, settings):
    """A private index prefix for one test; every index under it is deleted afterwards."""
    prefix = f"t{uuid.uuid4().hex[:10]}"
    settings.ELASTICSEARCH_INDEX_PREFIX = prefix
    yield prefix
    es_client.indices.delete(index=f"{prefix}-*", ignore_unavailable=True)


@pytest.fixture
def offers_index(es_prefix):
    from search import indices, registry

    indices.ensure(registry.spec("offers"))
    return indices.read_alias("offers")
