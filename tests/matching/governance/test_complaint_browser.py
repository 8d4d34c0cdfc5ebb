"""In Chromium: file a complaint anonymously, get the receipt, see it routed and
escalated when overdue, then follow it by receipt number and code."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from governance_factories import city_tree, staff

from matching.directory.models import Role
from matching.governance.models import Complaint

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_file_anonymously_escalate_and_follow_by_receipt(page, live_server):
    places = city_tree()
    district_staff = staff(places["chaoyang"])
    city_staff = staff(places["city"], role=Role.CITY_STAFF)
    violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(1))

    page.goto(f"{live_server.url}/complaints/")
    assert page.locator("h1").inner_text() == "投诉举报"
    page.get_by_label("救助案件办理").check()
    page.get_by_label("发生地（区县或街道）").select_option(places["hongqi"].code)
    page.get_by_label("投诉举报内容").fill("申请低保三个月无人答复，街道称材料丢失。")
    page.get_by_test_id("complaint-submit").click()

    receipt = page.get_by_test_id("receipt-number").inner_text()
    code = page.get_by_test_id("follow-code").inner_text()
    assert receipt.startswith("TS") and len(receipt) == 16 and len(code) == 4

    complaint = Complaint.objects.get(receipt_number=receipt)
    assert complaint.anonymous
    assert complaint.routed_to == places["chaoyang"]
    assert any(district_staff.email in message.to for message in mail.outbox)

    Complaint.objects.filter(pk=complaint.pk).update(due_at=timezone.now() - timedelta(hours=2))
    call_command("escalate_complaints")
    complaint.refresh_from_db()
    assert complaint.escalated_to == places["city"]
    assert any(city_staff.email in message.to for message in mail.outbox)

    page.get_by_test_id("follow-link").click()
    page.get_by_label("受理编号").fill(receipt)
    page.get_by_label("查询码（4 位数字）").fill(code)
    page.get_by_test_id("follow-submit").click()
    assert page.get_by_test_id("complaint-status").inner_text() == "已转办"
    assert page.get_by_test_id("complaint-escalated").is_visible()
    assert "材料丢失" not in page.content()

    page.goto(f"{live_server.url}/complaints/statistics/")
    row = page.locator('tr[data-district="220104"][data-outcome="open"]')
    assert row.locator("td").last.inner_text() == "1"
    assert violations == []
