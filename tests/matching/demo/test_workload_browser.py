"""In Chromium at 1366 px: each staff role's dashboard (screenshots
dashboard-<role>), and the street caseworker follows two counts to lists of
exactly that many rows."""

import pytest

from matching.demo.city import DEMO_PASSWORD, seed_cases, seed_directory
from matching.demo.offers import seed_offers
from matching.demo.workload import seed_workload
from tests.browser_kit import assert_accessible, new_page, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROLES = ["hongqi", "chaoyang", "city", "health", "charity", "inspector"]


def _login(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/admin/")


def _follow(page, key):
    tally = page.get_by_test_id("my-queue").get_by_test_id(f"queue-{key}")
    count = int(tally.get_attribute("data-count"))
    assert count > 0
    tally.get_by_test_id(f"queue-link-{key}").click()
    page.wait_for_load_state()
    assert page.locator("table.listing tbody tr").count() == count
    page.go_back()


def test_each_role_opens_on_its_queue_and_counts_open_their_rows(browser, live_server):
    seed_directory()
    seed_offers()
    seed_cases()
    seed_workload()
    for username in ROLES:
        page = new_page(browser, "desktop")
        _login(page, live_server, username)
        assert page.get_by_test_id("work-queue-panel").is_visible()
        shoot(page, f"dashboard-{username}")
        assert_accessible(page)
        if username == "hongqi":
            overdue = page.get_by_test_id("my-queue").get_by_test_id("queue-referrals_overdue")
            assert "已超时" in overdue.inner_text()
            _follow(page, "cases_new")
            _follow(page, "referrals_overdue")
        page.context.close()
