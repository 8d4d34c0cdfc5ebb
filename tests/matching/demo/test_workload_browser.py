"""In Chromium at 1366 px: each staff role's dashboard (screenshots
dashboard-<role>), and the street caseworker follows two counts to lists of
exactly that many rows; at 390 px the same dashboards are usable on a phone
(no sideways scroll, counts readable, every count a link big enough to tap)."""

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
        _shoot_whole_dashboard(page, f"dashboard-{username}")
        assert_accessible(page)
        if username == "hongqi":
            overdue = page.get_by_test_id("my-queue").get_by_test_id("queue-referrals_overdue")
            assert "已超时" in overdue.inner_text()
            _follow(page, "cases_new")
            _follow(page, "referrals_overdue")
        page.context.close()


# Each queue card a phone shows (a unit's empty queues are left out there): its
# size, its count, and whether a tap near its bottom-left corner (below the
# label) lands on the count's link.
QUEUE_BOXES = """() => [...document.querySelectorAll(
    '[data-testid=work-queue-panel] .work-queue__item')]
  .filter(item => item.checkVisibility()).map(item => {
    item.scrollIntoView({block: 'center', behavior: 'instant'});
    const link = item.querySelector('a'), count = item.querySelector('.work-queue__count');
    const box = item.getBoundingClientRect(), countBox = count.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + 12, box.bottom - 6);
    return {key: item.dataset.testid, width: box.width, height: box.height, right: box.right,
            tapsLink: hit !== null && link.contains(hit),
            unit: !!item.closest('[data-testid^=unit-]'),
            count: count.innerText.trim(), countSize: parseFloat(getComputedStyle(count).fontSize),
            countVisible: countBox.width > 0 && countBox.right <= window.innerWidth};
  })"""


def _shoot_whole_dashboard(page, name):
    """The admin scrolls inside its own frame, so a full-page shot would stop
    at the fold: grow the window to the panel's height for the picture."""
    size = page.viewport_size
    height = page.evaluate(
        "Math.ceil(document.querySelector('[data-testid=work-queue-panel]')"
        ".getBoundingClientRect().bottom + window.scrollY + 24)"
    )
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    shoot(page, name)
    page.set_viewport_size(size)


def test_each_roles_dashboard_is_usable_on_a_phone(browser, live_server):
    seed_directory()
    seed_offers()
    seed_cases()
    seed_workload()
    for username in ROLES:
        page = new_page(browser, "phone")
        _login(page, live_server, username)
        assert page.get_by_test_id("work-queue-panel").is_visible()
        _shoot_whole_dashboard(page, f"dashboard-{username}")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390, username
        boxes = page.evaluate(QUEUE_BOXES)
        assert boxes, username
        for box in boxes:
            where = f"{username} {box['key']}"
            assert box["height"] >= 24 and box["width"] >= 24, where
            assert box["tapsLink"], f"{where}: the card's lower part is not its link"
            assert box["right"] <= 390, where
            assert box["countVisible"] and box["count"].isdigit(), where
            assert box["countSize"] >= 16, where
            assert not (box["unit"] and box["count"] == "0"), f"{where}: a unit's empty queue"
        assert_accessible(page)
        page.context.close()
