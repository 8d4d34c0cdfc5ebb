import pytest
from django.core.cache import cache
from governance_factories import city_tree


@pytest.fixture
def places(db):
    return city_tree()


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()
