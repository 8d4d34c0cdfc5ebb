import pytest
from django.core.cache import cache

from tests.matching.publication import publication_factories as pf


@pytest.fixture
def places(db):
    return pf.places()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reviewer(places):
    """District staff of 朝阳区, where the organizations register."""
    return pf.staff(places["chaoyang"])
