import pytest
from django.core.cache import cache

from matching.notifications.sms import MemorySmsSender


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.SMS_SENDER = "matching.notifications.sms.MemorySmsSender"
    MemorySmsSender.outbox.clear()
    yield
    MemorySmsSender.outbox.clear()


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()
