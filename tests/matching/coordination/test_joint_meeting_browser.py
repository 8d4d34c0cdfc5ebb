"""In Chromium at 390 and 1366 px: a department's liaison opens the joint-meeting
screen and sees what the department must do — receipt number, categories,
urgency, the question, its own task on the clock, the applicant masked — and
nothing of another department's task; then reports the task done."""

import pytest

from matching.coordination import services
from matching.coordination.models import AgendaItem, MeetingTask
from tests.browser_kit import SIZES, assert_accessible, new_page, shoot
from tests.matching.cases import case_factories as cf
from tests.matching.coordination.coordination_factories import (
    APPLICANT_NAME,
    APPLICANT_PHONE,
    joint_meeting,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _signed_in(browser, live_server, user, target, size):
    page = new_page(browser, size)
    page.goto(f"{live_server.url}/accounts/login/?next={target}")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(cf.PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{target}")
    return page


def _decided(world):
    item = services.agenda_item_add(
        meeting=world.meeting,
        case=world.case,
        question="医疗费用超出医疗救助封顶线，能否叠加临时救助？",
        reason="涉及卫生健康、民政两个部门。",
        actor=world.staff,
    )
    services.agenda_item_decide(
        item=item,
        outcome=AgendaItem.Outcome.ASSIGNED,
        decision="卫生健康局核定自付费用，民政部门据此给予临时救助。",
        tasks=[
            (world.health, "核定住院自付费用并出具证明", 3),
            (world.education, "为其子女办理教育资助", 5),
        ],
        actor=world.staff,
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_the_liaison_sees_only_the_departments_task(browser, live_server, size):
    world = joint_meeting()
    _decided(world)
    target = "/admin/coordination/department/"
    page = _signed_in(browser, live_server, world.health_liaison, target, size)

    item = page.get_by_test_id("department-item")
    assert item.count() == 1
    text = item.inner_text()
    assert world.case.receipt_number in text
    assert "医疗救助" in text and "临时救助" in text and "一般" in text
    assert "能否叠加临时救助" in text
    assert page.get_by_test_id("masked-name").inner_text() == "王**"
    assert page.get_by_test_id("department-task").count() == 1
    assert "核定住院自付费用并出具证明" in text
    assert "教育资助" not in page.content()  # another department's task
    for secret in (APPLICANT_NAME, APPLICANT_PHONE, world.applicant_id, "工农大路"):
        assert secret not in page.content()
    assert page.get_by_test_id("clock-ok").count() == 1
    shoot(page, "joint-meeting-liaison")
    assert_accessible(page)

    page.get_by_label("办理结果").fill("已出具自付费用证明。")
    page.get_by_role("button", name="报告办结").click()
    page.wait_for_url(f"**{target}")
    assert "已报告办结" in page.content()
    assert "已出具自付费用证明" in page.get_by_test_id("department-task").inner_text()
    assert MeetingTask.objects.get(department=world.health).status == MeetingTask.Status.DONE
    shoot(page, "joint-meeting-liaison-done")
    page.context.close()


def test_the_convenor_puts_a_case_on_the_agenda_and_records_the_decision(browser, live_server):
    world = joint_meeting()
    target = f"/admin/coordination/meeting/{world.meeting.pk}/"
    page = _signed_in(browser, live_server, world.staff, target, "desktop")

    page.get_by_label("受理编号").fill("CC000000000000")
    page.get_by_label("提请会议研究的问题").fill("能否叠加临时救助？")
    page.get_by_label("提交理由").fill("跨部门")
    page.get_by_role("button", name="列入议题").click()
    assert "没有找到该受理编号的救助申请" in page.get_by_role("alert").first.inner_text()
    page.get_by_label("受理编号").fill(world.case.receipt_number)
    page.get_by_role("button", name="列入议题").click()
    page.wait_for_url(f"**{target}")
    assert world.case.receipt_number in page.get_by_test_id("agenda-item").inner_text()

    page.get_by_role("link", name="记录会议决定").click()
    page.get_by_label("分工办理").check()
    page.get_by_label("会议决定").fill("卫生健康局核定自付费用。")
    page.get_by_label("承办部门 1").select_option(str(world.health.pk))
    page.get_by_label("交办任务 1").fill("核定住院自付费用并出具证明")
    page.get_by_label("办理时限(工作日) 1").fill("3")
    shoot(page, "joint-meeting-decision")
    assert_accessible(page)
    page.get_by_role("button", name="保存决定").click()
    page.wait_for_url(f"**{target}")
    item = page.get_by_test_id("agenda-item").inner_text()
    assert "分工办理" in item and "核定住院自付费用并出具证明" in item
    assert APPLICANT_NAME not in page.content() and APPLICANT_PHONE not in page.content()
    # Wagtail's own "saved" banner fades in: axe, reading it mid-animation, finds
    # its colours too faint. The page itself is checked once the banner is read.
    page.get_by_role("status").or_(page.locator(".messages")).first.wait_for()
    page.reload()
    shoot(page, "joint-meeting-session")
    assert_accessible(page)
    page.context.close()
