import pytest
from django.core.cache import cache

from search import indices
from search.public_needs import PUBLIC_NEEDS
from tests.matching.publication import publication_factories as pf


@pytest.fixture
def places(db):
    return pf.places()


@pytest.fixture
def reviewer(places):
    return pf.staff(places["chaoyang"])


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_index(es_client):
    """A fresh public-needs index behind the aliases (documents of earlier tests removed)."""
    es_client.indices.delete(
        index=indices.index_name("public-needs") + "*", ignore_unavailable=True
    )
    indices.ensure(PUBLIC_NEEDS)
    return indices.read_alias("public-needs")
