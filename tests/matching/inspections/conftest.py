import pytest
from inspection_factories import city_tree


@pytest.fixture
def places(db):
    return city_tree()


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
