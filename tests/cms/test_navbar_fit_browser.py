"""In Chromium: the public navbar holds on one line at the widths desktop
visitors use (1366 and 1200 px), in Chinese and in English, signed out and
signed in; the "更多" dropdown opens from the keyboard; on a phone the whole
bar folds behind the menu button, "更多"'s entries listed flat with the
others (docs/design.md, "The navbar")."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

from tests.browser_kit import SCREENSHOT_DIR, assert_accessible, new_page, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "a-long-navbar-secret-42"

# Every visible top-level control of the header: its box, the height of one
# line of its text, and its vertical centre (all must share one row).
MEASURE = """() => [...document.querySelectorAll(
    '[data-testid=primary-nav] > li > .nav-link, [data-testid=account-nav] .nav-link,'
    + ' [data-testid=switch-language], #language-select')]
  .filter(el => el.offsetParent !== null)
  .map(el => {
    const box = el.getBoundingClientRect(), css = getComputedStyle(el);
    const inner = box.height - parseFloat(css.paddingTop) - parseFloat(css.paddingBottom)
      - parseFloat(css.borderTopWidth) - parseFloat(css.borderBottomWidth);
    let line = parseFloat(css.lineHeight);
    if (Number.isNaN(line)) line = parseFloat(css.fontSize) * 1.5;
    return {name: el.dataset.testid || el.id, text: el.innerText.trim(), inner, line,
            middle: box.top + box.height / 2, right: box.right};
  })"""


@pytest.fixture
def nav_user(db):
    cache.clear()
    yield get_user_model().objects.create_user(username="nav-reader", password=PASSWORD)
    cache.clear()


def _open(browser, live_server, width, language, user=None):
    page = new_page(browser, "desktop", locale="en-US" if language == "en" else "zh-CN")
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    if user is not None:
        page.goto(live_server.url + "/accounts/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.get_by_test_id("my-account").wait_for(state="attached")
    page.goto(live_server.url + "/")
    return page


def _assert_one_line(page, where):
    items = page.evaluate(MEASURE)
    assert len(items) >= 8, where
    for item in items:
        assert item["inner"] < item["line"] * 1.5, f"{where}: {item['text']!r} wraps"
    middles = [item["middle"] for item in items]
    assert max(middles) - min(middles) < 8, f"{where}: the bar breaks into rows"
    assert max(item["right"] for item in items) <= page.viewport_size["width"], where
    assert page.get_by_test_id("nav-toggle").is_hidden(), where


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [1366, 1200])
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
def test_each_navbar_entry_is_one_line(browser, live_server, nav_user, language, width, signed_in):
    page = _open(browser, live_server, width, language, nav_user if signed_in else None)
    who = "signed-in" if signed_in else "visitor"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.locator(".site-header").screenshot(
        path=SCREENSHOT_DIR / f"navbar-{language}-{who}-{width}.png"
    )
    _assert_one_line(page, f"{language} {width} px, {who}")
    page.context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_more_opens_from_the_keyboard(browser, live_server, nav_user, language):
    page = _open(browser, live_server, 1366, language)
    transparency = page.get_by_test_id("nav-transparency")
    assert transparency.is_hidden()
    page.get_by_test_id("nav-more").focus()
    page.keyboard.press("Enter")
    transparency.wait_for(state="visible")
    assert page.get_by_test_id("nav-more").get_attribute("aria-expanded") == "true"
    assert_accessible(page)
    page.keyboard.press("Escape")
    transparency.wait_for(state="hidden")
    page.get_by_test_id("nav-more").click()
    transparency.click()
    page.wait_for_url("**/transparency/**")
    more = page.get_by_test_id("nav-more")
    assert "active" in more.get_attribute("class")  # the section shows on the toggle
    page.context.close()


def test_on_a_phone_the_bar_folds_behind_the_menu_button(browser, live_server, nav_user):
    page = new_page(browser, "phone")
    page.goto(live_server.url + "/")
    assert page.get_by_test_id("nav-needs").is_hidden()
    page.get_by_test_id("nav-toggle").click()
    page.wait_for_function("() => document.getElementById('site-nav').classList.contains('show')")
    # The menu button already folds the bar: "更多"'s entries are listed flat.
    assert page.get_by_test_id("nav-more").is_hidden()
    page.get_by_test_id("nav-complaints").wait_for(state="visible")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert_accessible(page)
    shoot(page, "navbar-menu-open")
    page.context.close()
