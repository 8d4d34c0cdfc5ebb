"""Fixtures for the real services that ``make test`` starts.

A test that needs a service asks for its fixture; when the service does not
answer, the fixture *fails* the test with the address it tried. Nothing is
skipped for a missing service.
"""

import os
import shutil
import uuid

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def es_client():
    """A client to the real Elasticsearch node; fails the test if it does not answer."""
    from search.client import SearchUnavailable, cluster_info, get_client

    try:
        cluster_info()
    except SearchUnavailable as error:
        pytest.fail(f"Elasticsearch is required for this test: {error}")
    return get_client()


@pytest.fixture(scope="session")
def redis_cache():
    """The shared Redis cache; fails the test with its address if it does not answer."""
    from django.core.cache import cache

    try:
        cache._cache.get_client(None, write=True).ping()
    except Exception as error:  # any failure means the same: no Redis
        pytest.fail(
            f"Redis is required for this test at {settings.CACHES['default']['LOCATION']}: "
            f"{error} (start it with scripts/redis.sh start, or set CACHE_URL)"
        )
    return cache


@pytest.fixture
def es_index(es_client):
    """A fresh, uniquely named index, deleted after the test."""
    name = f"{settings.ELASTICSEARCH_INDEX_PREFIX}-t-{uuid.uuid4().hex[:10]}"
    yield name
    es_client.indices.delete(index=name, ignore_unavailable=True)


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium driven by Playwright, kept off the network.

    Started before any test's database set-up when a browser test is in the
    run (``_browser_first``): started inside a transactional test that follows
    another one, it left that test on a connection without the serialized
    migrated rows, so nothing was restored and the test found no workflows.
    """
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is required for browser tests and was not found at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # (used by the live server's test data set-up) must be allowed beside it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-US")  # Chinese must win without asking
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session", autouse=True)
def _browser_first(request):
    if any(item.get_closest_marker("browser") for item in request.session.items):
        request.getfixturevalue("browser")


def pytest_collection_modifyitems(items):
    """Every transactional test restores the data that migrations created.

    A ``transaction=True`` test truncates every table when it ends, taking
    with it Wagtail's site, home page and workflows, which migrations made.
    With ``serialized_rollback`` the next such test starts from the
    migrated state again, so the order tests run in does not matter.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None and "transactional_db" in getattr(item, "fixturenames", ()):
            # The fixture asked for by name is the same kind of test: restore too.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
        elif (
            marker
            and marker.kwargs.get("transaction")
            and "serialized_rollback" not in marker.kwargs
        ):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English leaves English active in the thread (LocaleMiddleware
    never deactivates); the next test starts in the interface's own language."""
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)
