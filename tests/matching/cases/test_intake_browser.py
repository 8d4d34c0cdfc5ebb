"""In Chromium at 1366 px: a street clerk takes an applicant with three
household members on one screen, is shown an existing application for the
ID number before saving, corrects a refused submission from the error
summary, then closes the case only through the confirmed dialog."""

import datetime as dt
import re

import pytest
from case_factories import PASSWORD, case, city_tree, id_number, staff

from matching.cases.models import Case, CaseStatus
from matching.directory.models import Role
from tests.browser_kit import assert_accessible, new_page, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

APPLICANT = id_number(born=dt.date(1963, 6, 21))
MEMBERS = [
    ("钱桂芝", id_number(born=dt.date(1965, 2, 14), male=False), "spouse"),
    ("赵小军", id_number(born=dt.date(1990, 8, 3)), "child"),
    ("赵雨桐", id_number(born=dt.date(2015, 12, 1), male=False), "grandchild"),
]


def signed_in(browser, live_server, user, target):
    page = new_page(browser, "desktop")
    page.goto(f"{live_server.url}/accounts/login/?next={target}")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{target}")
    return page


def test_intake_with_three_members_a_duplicate_and_the_error_summary(browser, live_server):
    places = city_tree()
    earlier = case(
        places["nanling"],
        members=[{"name": "赵春生", "id_number": APPLICANT, "relation": "self", "phone": ""}],
    )
    clerk = staff(places["hongqi"], Role.STREET_STAFF)
    page = signed_in(browser, live_server, clerk, "/admin/cases/window/")

    assert page.locator("#id_jurisdiction").input_value() == places["hongqi"].code
    page.locator("#id_name").fill("赵春生")
    page.locator("#id_id_number").fill(APPLICANT)
    page.locator("#id_phone").fill("13504310088")  # leaving the ID field runs the check
    check = page.get_by_test_id("id-check")
    check.get_by_test_id("id-check-existing").wait_for()
    assert "南岭街道" in check.inner_text() and "男" in check.inner_text()
    assert earlier.receipt_number not in check.inner_text()  # another district's case

    page.locator("#id_address").fill("红旗街道某小区 2 栋 301")
    for index, (name, number, relation) in enumerate(MEMBERS):
        page.get_by_test_id("add-member").click()
        page.locator(f"#id_members-{index}-name").fill(name)
        page.locator(f"#id_members-{index}-id_number").fill(number)
        page.locator(f"#id_members-{index}-relation").select_option(relation)
    page.get_by_label("医疗救助").check()
    page.locator("#id_title").fill("突发重病医疗救助")
    shoot(page, "intake")
    assert_accessible(page)

    # The description is missing: the browser would stop it, so submit past
    # the browser's own check to see the server's summary.
    page.locator("#intake-form").evaluate("form => form.noValidate = true")
    page.get_by_test_id("save").click()
    summary = page.get_by_test_id("error-summary")
    assert "困难情况说明" in summary.inner_text()
    assert page.get_by_test_id("existing-applications").is_visible()
    assert page.locator("#id_members-2-name").input_value() == "赵雨桐"  # nothing lost
    assert page.locator("#id_address").input_value() == "红旗街道某小区 2 栋 301"
    assert_accessible(page)

    summary.get_by_role("link").filter(has_text="困难情况说明").click()
    page.locator("#id_description").fill("突发脑梗住院，医疗费用难以负担。")
    page.get_by_label("已核对上方的已有申请，仍需新建本申请").check()
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r"/admin/cases/case/\d+/"))
    opened = Case.objects.exclude(pk=earlier.pk).get()
    assert opened.household.members.count() == 4
    assert page.get_by_test_id("household-line").inner_text().startswith("4 人")
    page.context.close()


def test_a_case_is_closed_only_through_the_confirmed_dialog(browser, live_server):
    places = city_tree()
    opened = case(places["hongqi"])
    worker = staff(places["chaoyang"])
    target = f"/admin/cases/case/{opened.pk}/"
    page = signed_in(browser, live_server, worker, target)
    shoot(page, "case-page")
    assert_accessible(page)

    page.get_by_test_id("open-closed").click()
    dialog = page.get_by_test_id("dialog-closed")
    assert dialog.is_visible() and "不能再变更状态或重新打开" in dialog.inner_text()
    dialog.get_by_role("button", name="取消").click()
    assert not dialog.is_visible()
    opened.refresh_from_db()
    assert opened.status == CaseStatus.RECEIVED

    page.get_by_test_id("open-closed").click()
    dialog.get_by_label("理由").fill("申请人已迁出本市")
    dialog.get_by_label("我已核实：此决定不可撤销，确认提交").check()
    dialog.get_by_test_id("confirm-closed").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("case-status").inner_text() == "已办结"
    opened.refresh_from_db()
    assert opened.status == CaseStatus.CLOSED
    page.context.close()
