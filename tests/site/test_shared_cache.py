"""Rate limits and the login lockout hold across server processes.

Two separate Python processes, each a Django with the test settings and the
same CACHE_URL, stand for two application servers behind the TLS proxy: the
second sees the first's complaint-form count (django-ratelimit, in Redis) and
failed logins (django-axes, in the database), so a visitor cannot double their
budget by landing on another server.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from matching.directory.models import Jurisdiction, Role
from matching.directory.services import account_create, role_groups_sync

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "shared-cache-pass-2026"
PROXY = "10.0.0.2"

# One "server": replays a list of POSTs through Django's test client (the
# whole middleware stack, the real views) and prints the status codes.
SERVER = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
setup_test_environment()
plan = json.loads(sys.argv[1])
codes = []
with override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=1, COMPLAINT_FILE_RATE="3/d"):
    for url, data, client_address in plan:
        client = Client(REMOTE_ADDR=plan_proxy, HTTP_X_FORWARDED_FOR=client_address)
        codes.append(client.post(url, data).status_code)
print(json.dumps({"prefix": settings.CACHES["default"]["KEY_PREFIX"], "codes": codes}))
"""


def serve(plan):
    """Run ``plan`` in a fresh process against this test's database and cache."""
    db = settings.DATABASES["default"]
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "PYTHONPATH": f"{REPO / 'site'}:{REPO}",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
            ),
            "CACHE_URL": settings.CACHES["default"]["LOCATION"],
            "TEST_INDEX_PREFIX": os.environ.get("TEST_INDEX_PREFIX", "test"),
            "PYTEST_XDIST_WORKER": os.environ.get("PYTEST_XDIST_WORKER", ""),
        }
    )
    script = f"plan_proxy = {PROXY!r}\n" + SERVER
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(plan)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    # The same keys as this process: the count below is the shared one.
    assert answer["prefix"] == settings.CACHES["default"]["KEY_PREFIX"]
    return answer["codes"]


# Two server processes read the rows this test writes: a transactional test
# (conftest adds serialized_rollback, so the migrated rows come back after it).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def district(redis_cache):
    redis_cache.clear()
    city = Jurisdiction.objects.create(code="220100", name="长春市", level="city", path="220100")
    district = Jurisdiction.objects.create(
        code="220104", name="朝阳区", level="district", parent=city, path="220100/220104"
    )
    role_groups_sync()
    account_create(
        username="li.staff", password=PASSWORD, role=Role.DISTRICT_STAFF, jurisdiction=district
    )
    yield district
    redis_cache.clear()


def test_two_server_processes_share_the_rate_limit_and_the_lockout(district):
    complaint = (
        reverse("complaint_file"),
        {"subject_kind": "charity", "place": district.code, "content": "资金去向不明。"},
    )
    wrong = ("/accounts/login/", {"username": "li.staff", "password": "wrong"})
    right = ("/accounts/login/", {"username": "li.staff", "password": PASSWORD})
    visitor, neighbour = "203.0.113.7", "203.0.113.8"

    first = serve([(*complaint, visitor)] * 2 + [(*wrong, visitor)] * 3)
    assert first == [302, 302, 200, 200, 200]

    second = serve(
        [
            (*complaint, visitor),
            (*complaint, visitor),
            (*wrong, visitor),
            (*wrong, visitor),
            (*right, visitor),
            (*complaint, neighbour),
            (*right, neighbour),
        ]
    )
    # Third complaint allowed, fourth over the 3/d budget counted across both servers;
    # the fifth failed login locks the account for this visitor, even with the right
    # password; the neighbour behind the same proxy has budgets of their own.
    assert second == [302, 429, 200, 429, 429, 302, 302]


def test_clearing_the_cache_leaves_another_sites_keys_alone(redis_cache):
    from config.cache import RedisCache

    other = RedisCache(settings.CACHES["default"]["LOCATION"], {"KEY_PREFIX": "another-site"})
    try:
        other.set("counter", 7)
        redis_cache.set("counter", 3)
        redis_cache.clear()
        assert redis_cache.get("counter") is None
        assert other.get("counter") == 7
    finally:
        other.clear()
