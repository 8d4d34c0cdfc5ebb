"""In Chromium at 390 px: an anonymous reporter files an emergency report, keeps the
follow code and follows it; the district's staff find the alert in their inbox and
the report in the triage list with its 救急难 clock running. axe-core checks the
report, follow and inbox pages."""

import re
from urllib.parse import urlsplit

import pytest
from browser_kit import assert_accessible, new_page, shoot
from case_factories import PASSWORD, city_tree

from matching.cases import services
from matching.directory.services import role_groups_sync

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_anonymous_emergency_report_is_followed_and_its_clock_runs(browser, live_server):
    from tests.matching.publication import publication_factories as pf

    places = city_tree()
    role_groups_sync()
    services.case_permissions_sync()
    district = pf.staff(places["chaoyang"])

    page = new_page(browser, "phone")
    page.goto(f"{live_server.url}/report/")
    assert page.locator("h1").inner_text() == "报告身边需要帮助的人"
    assert_accessible(page)
    page.get_by_test_id("report-submit").click()  # empty: refused, explained at the top
    assert "报告未能提交" in page.get_by_test_id("form-errors").inner_text()

    page.get_by_label("发现地点所在区县或街道(乡镇)").select_option(places["hongqi"].code)
    page.get_by_label("具体位置").fill("红旗街道工农大路公交站旁")
    page.get_by_label("发生了什么").fill("一位老人倒在路边，意识模糊，身边无人。")
    page.get_by_label("紧急（救急难）").check()
    shoot(page, "report-form")
    page.get_by_test_id("report-submit").click()

    code = page.get_by_test_id("follow-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code)
    assert page.get_by_test_id("report-emergency").is_visible()
    assert "意识模糊" not in page.content()
    assert_accessible(page)
    shoot(page, "report-done")

    page.get_by_test_id("follow-link").click()
    page.get_by_label("查询码").fill(code)
    page.get_by_test_id("follow-submit").click()
    assert "已收到" in page.get_by_test_id("report-status").inner_text()
    assert "工农大路" not in page.content()
    assert_accessible(page)
    shoot(page, "report-follow")
    page.context.close()

    staff_page = new_page(browser, "phone")
    staff_page.goto(f"{live_server.url}/accounts/login/?next=/inbox/")
    staff_page.fill("input[name=username]", district.username)
    staff_page.fill("input[name=password]", PASSWORD)
    staff_page.locator("input[name=password]").press("Enter")
    staff_page.wait_for_url(lambda url: urlsplit(url).path == "/inbox/")
    message = staff_page.get_by_test_id("inbox-message").first
    assert "救急难" in message.inner_text()
    assert_accessible(staff_page)
    shoot(staff_page, "inbox")
    message.click()
    assert "意识模糊" not in staff_page.content()  # the alert names the place and deadline only

    staff_page.goto(f"{live_server.url}/admin/cases_discovery/")
    listing = staff_page.locator("main").inner_text()
    assert re.search(r"剩余 1[01] 小时 \d+ 分", listing), listing[:500]
    staff_page.context.close()
