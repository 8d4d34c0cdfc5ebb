"""Complaints: filed anonymously, routed with a deadline, followed by receipt and
code (revealing nothing else), concluded by staff, escalated when overdue, counted."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from governance_factories import staff

from matching.audit.selectors import audit_entry_list
from matching.core.errors import DomainError, refusal_message
from matching.directory.models import Role
from matching.governance import services
from matching.governance.models import Complaint

pytestmark = pytest.mark.django_db

CONTENT = "低保评审时工作人员要求送礼，否则不予受理。"


def _file(client, place, kind="case_handling", **extra):
    data = {"subject_kind": kind, "place": place.code, "content": CONTENT, **extra}
    return client.post(reverse("complaint_file"), data)


def test_an_anonymous_complaint_gets_a_receipt_and_a_code_and_is_routed_to_the_district(
    client, places, django_capture_on_commit_callbacks
):
    district_staff = staff(places["chaoyang"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _file(client, places["hongqi"])
    assert response.status_code == 302
    done = client.get(response["Location"])
    complaint = Complaint.objects.get()
    assert complaint.receipt_number in done.content.decode()
    assert complaint.anonymous
    assert complaint.routed_to == places["chaoyang"]
    assert complaint.district == places["chaoyang"]
    assert complaint.status == Complaint.Status.ROUTED
    assert complaint.due_at > complaint.filed_at + timedelta(days=14)
    assert [district_staff.email] == mail.outbox[0].to
    assert CONTENT not in mail.outbox[0].body


def test_a_complaint_about_a_staff_member_goes_one_level_up(places):
    at_street, _ = services.complaint_file(
        place=places["hongqi"], subject_kind=Complaint.Subject.STAFF, content=CONTENT
    )
    at_district, _ = services.complaint_file(
        place=places["chaoyang"], subject_kind=Complaint.Subject.STAFF, content=CONTENT
    )
    assert at_street.routed_to == places["chaoyang"]
    assert at_district.routed_to == places["city"]


def test_following_needs_the_receipt_and_its_code_and_reveals_nothing_else(client, places):
    complaint, code = services.complaint_file(
        place=places["hongqi"],
        subject_kind=Complaint.Subject.CHARITY,
        content=CONTENT,
        contact_name="王秀兰",
        contact_phone="13904310000",
    )
    url = reverse("complaint_follow")
    lowered = complaint.receipt_number.lower()
    found = client.post(url, {"receipt_number": lowered, "follow_code": code})
    assert found.status_code == 200
    assert "已转办" in found.content.decode()
    page = found.content.decode()
    assert "王秀兰" not in page and CONTENT not in page and "13904310000" not in page

    wrong = "0000" if code != "0000" else "1111"
    refused = client.post(url, {"receipt_number": complaint.receipt_number, "follow_code": wrong})
    unknown = client.post(url, {"receipt_number": "TS000000XXXXXXXX", "follow_code": code})
    assert refused.status_code == unknown.status_code == 404
    message = "未找到匹配的投诉举报"
    assert message in refused.content.decode() and message in unknown.content.decode()
    assert complaint.receipt_number not in refused.content.decode().replace(
        f'value="{complaint.receipt_number}"', ""
    )


def test_contact_details_are_stored_encrypted(places):
    from django.db import connection

    complaint, _ = services.complaint_file(
        place=places["hongqi"],
        subject_kind=Complaint.Subject.CHARITY,
        content=CONTENT,
        contact_phone="13904310000",
    )
    with connection.cursor() as cursor:
        sql = "SELECT contact_phone FROM governance_complaint WHERE id = %s"
        cursor.execute(sql, [complaint.pk])
        assert "13904310000" not in cursor.fetchone()[0]


def test_an_overdue_complaint_is_escalated_once_by_the_sweep(
    places, django_capture_on_commit_callbacks
):
    city_staff = staff(places["city"], role=Role.CITY_STAFF)
    complaint, _ = services.complaint_file(
        place=places["hongqi"], subject_kind=Complaint.Subject.VOLUNTEER, content=CONTENT
    )
    Complaint.objects.filter(pk=complaint.pk).update(due_at=timezone.now() - timedelta(hours=1))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_complaints")
    complaint.refresh_from_db()
    assert complaint.escalated_to == places["city"]
    assert complaint.escalated_at is not None
    assert city_staff.email in mail.outbox[0].to
    assert "督办" in mail.outbox[0].subject

    assert services.complaints_escalate_overdue() == 0
    assert len(mail.outbox) == 1
    actions = [entry.summary for entry in audit_entry_list(obj=complaint)]
    assert "overdue complaint escalated" in actions


def test_a_concluded_or_not_yet_due_complaint_is_not_escalated(places):
    staff_user = staff(places["chaoyang"])
    due, _ = services.complaint_file(
        place=places["hongqi"], subject_kind=Complaint.Subject.CHARITY, content=CONTENT
    )
    concluded, _ = services.complaint_file(
        place=places["hongqi"], subject_kind=Complaint.Subject.CHARITY, content=CONTENT
    )
    services.complaint_conclude(
        complaint=concluded, actor=staff_user, outcome="unsubstantiated", reply="经核查不属实。"
    )
    Complaint.objects.filter(pk=concluded.pk).update(due_at=timezone.now() - timedelta(days=1))
    assert services.complaints_escalate_overdue() == 0
    due.refresh_from_db()
    assert due.escalated_at is None


def test_statistics_count_by_district_kind_and_outcome_without_personal_data(client, places):
    staff_user = staff(places["chaoyang"])
    for _ in range(2):
        complaint, _ = services.complaint_file(
            place=places["hongqi"],
            subject_kind=Complaint.Subject.CHARITY,
            content=CONTENT,
            contact_name="李建国",
        )
    services.complaint_conclude(
        complaint=complaint, actor=staff_user, outcome="substantiated", reply="已责令整改。"
    )
    services.complaint_file(
        place=places["nanling"], subject_kind=Complaint.Subject.STAFF, content=CONTENT
    )
    response = client.get(reverse("complaint_statistics"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "累计受理 3 件，已办结 1 件" in page
    assert 'data-district="220104" data-outcome="substantiated"' in page
    assert 'data-district="220104" data-outcome="open"' in page
    assert 'data-district="220102" data-outcome="open"' in page
    assert "李建国" not in page and CONTENT not in page and complaint.receipt_number not in page


def test_every_state_change_is_audited(places):
    staff_user = staff(places["chaoyang"])
    complaint, _ = services.complaint_file(
        place=places["hongqi"], subject_kind=Complaint.Subject.CHARITY, content=CONTENT
    )
    services.complaint_start(complaint=complaint, actor=staff_user)
    services.complaint_conclude(
        complaint=complaint, actor=staff_user, outcome="partly", reply="部分属实，已处理。"
    )
    entries = list(audit_entry_list(obj=complaint).order_by("id"))
    assert [e.after["status"] if "status" in (e.after or {}) else e.action for e in entries] == [
        "create",
        "in_progress",
        "concluded",
    ]
    assert entries[2].actor == staff_user
    for entry in entries:
        assert CONTENT not in str(entry.after)


def test_a_concluded_complaint_is_neither_started_nor_concluded_again(places):
    staff_user = staff(places["chaoyang"])
    complaint, _ = services.complaint_file(
        place=places["hongqi"], subject_kind=Complaint.Subject.CHARITY, content=CONTENT
    )
    services.complaint_conclude(
        complaint=complaint, actor=staff_user, outcome="partly", reply="部分属实，已处理。"
    )
    with pytest.raises(DomainError) as refused:
        services.complaint_start(complaint=complaint, actor=staff_user)
    assert refusal_message(refused.value) == "只有已转办的投诉可以开始办理。"
    with pytest.raises(DomainError, match="该投诉已办结"):
        services.complaint_conclude(
            complaint=complaint, actor=staff_user, outcome="substantiated", reply="再次办结。"
        )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.outcome) == (Complaint.Status.CONCLUDED, "partly")


@pytest.mark.parametrize(
    "phone",
    [
        "13904310000\r\nBcc: someone@example.com",
        "1390431\x070000",
        "139\x000431\x000000",
        "请回电",
        "13904310000; DROP TABLE",
    ],
    ids=["crlf-header", "bell", "nul", "text", "trailing-text"],
)
def test_a_contact_phone_that_is_not_a_phone_number_is_refused(client, places, phone):
    response = _file(client, places["hongqi"], contact_phone=phone)
    assert response.status_code == 200
    assert "电话号码无效" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_contact_phone_is_stored_as_the_application_form_stores_it(client, places):
    response = _file(client, places["hongqi"], contact_phone="+86 139 0431 0000")
    assert response.status_code == 302
    assert Complaint.objects.get().contact_phone == "13904310000"


def test_the_service_refuses_a_contact_phone_with_control_characters(places):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.complaint_file(
            place=places["hongqi"],
            subject_kind=Complaint.Subject.CASE_HANDLING,
            content=CONTENT,
            contact_phone="1390431\r\n0000\x1b[2J",
        )
    assert not Complaint.objects.exists()
