"""Joint meetings: a hard case goes on the agenda, is decided, its task runs on
the working-day clock and escalates once when overdue; each department's liaison
sees only its own task, masked; the minutes carry no ID number or phone."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from matching.audit.models import AuditEntry
from matching.cases.deadlines import add_working_days
from matching.coordination import services
from matching.coordination.models import AgendaItem, MeetingTask
from matching.coordination.queues import meeting_tasks_due
from matching.notifications.models import Message
from tests.matching.cases import case_factories as cf
from tests.matching.coordination.coordination_factories import (
    APPLICANT_NAME,
    APPLICANT_PHONE,
    joint_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return joint_meeting()


def _decide(world, django_capture_on_commit_callbacks, *, days=3):
    item = services.agenda_item_add(
        meeting=world.meeting,
        case=world.case,
        question="医疗费用超出医疗救助封顶线，能否叠加临时救助？",
        reason="涉及卫生健康、民政两个部门，单一部门无法办结。",
        actor=world.staff,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_decide(
            item=item,
            outcome=AgendaItem.Outcome.ASSIGNED,
            decision="由区卫生健康局核定自付费用，民政部门据此给予临时救助。",
            tasks=[(world.health, "核定住院自付费用并出具证明", days)],
            actor=world.staff,
        )
    return item


def test_a_case_put_on_the_meeting_is_decided_and_its_task_runs_on_working_days(
    world, django_capture_on_commit_callbacks
):
    item = _decide(world, django_capture_on_commit_callbacks)
    item.refresh_from_db()
    task = MeetingTask.objects.get()
    assert item.status == AgendaItem.Status.DECIDED
    assert task.department == world.health
    assert task.due_at == add_working_days(task.assigned_at, 3)
    audited = set(AuditEntry.objects.values_list("object_type", "action"))
    assert ("coordination.agendaitem", AuditEntry.Action.CREATE) in audited
    assert ("coordination.agendaitem", AuditEntry.Action.TRANSITION) in audited
    assert not any(APPLICANT_NAME in str(e.summary) for e in AuditEntry.objects.all())
    notice = Message.objects.get(recipient=world.health_liaison)
    assert world.case.receipt_number in notice.subject
    assert not Message.objects.filter(recipient=world.education_liaison).exists()


def test_an_overdue_task_escalates_to_the_convenor_and_superiors_exactly_once(
    world, django_capture_on_commit_callbacks
):
    _decide(world, django_capture_on_commit_callbacks, days=1)
    task = MeetingTask.objects.get()
    later = task.due_at + timedelta(hours=1)
    assert services.meeting_tasks_escalate_overdue(now=task.due_at - timedelta(hours=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_tasks_escalate_overdue(now=later) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_tasks_escalate_overdue(now=later + timedelta(days=2)) == 0
        assert services.meeting_task_escalate(task=task, now=later + timedelta(days=3)) is False
    task.refresh_from_db()
    assert task.escalated_to == world.places["city"]
    escalations = Message.objects.filter(subject__startswith="【督办】")
    assert escalations.filter(recipient=world.staff).count() == 1
    city_health = world.places["city"].departments.get(kind="health")
    assert not escalations.filter(recipient=world.health_liaison).exists()
    assert escalations.count() == len(services.escalation_recipients(task))
    assert city_health.pk != world.health.pk


def test_the_liaison_sees_only_what_the_department_needs_and_reports_it_done(
    world, client, django_capture_on_commit_callbacks
):
    _decide(world, django_capture_on_commit_callbacks)
    client.force_login(world.health_liaison)
    page = client.get("/admin/coordination/department/").content.decode()
    assert world.case.receipt_number in page
    assert "医疗救助" in page and "核定住院自付费用并出具证明" in page
    assert "王**" in page
    for secret in (APPLICANT_NAME, APPLICANT_PHONE, world.applicant_id, "工农大路", "3 单元"):
        assert secret not in page
    assert "户主患病" not in page  # the case's own description stays with civil affairs
    task = MeetingTask.objects.get()
    done = client.post("/admin/coordination/department/", {"task": task.pk, "result": "已出具证明"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == MeetingTask.Status.DONE and task.result == "已出具证明"


def test_the_liaison_of_another_department_does_not_see_the_case(
    world, client, django_capture_on_commit_callbacks
):
    _decide(world, django_capture_on_commit_callbacks)
    client.force_login(world.education_liaison)
    for url in ("/admin/coordination/department/", "/admin/coordination/tasks/"):
        page = client.get(url).content.decode()
        assert world.case.receipt_number not in page
    assert client.get(f"/admin/coordination/meeting/{world.meeting.pk}/").status_code == 404
    task = MeetingTask.objects.get()
    refused = client.post("/admin/coordination/department/", {"task": task.pk, "result": "x"})
    assert refused.status_code == 404
    assert MeetingTask.objects.get().status == MeetingTask.Status.OPEN
    assert not meeting_tasks_due(user=world.education_liaison).exists()


def test_the_work_queue_counts_the_departments_overdue_task(
    world, client, django_capture_on_commit_callbacks
):
    _decide(world, django_capture_on_commit_callbacks)
    MeetingTask.objects.update(due_at=timezone.now() - timedelta(hours=2))
    assert meeting_tasks_due(user=world.health_liaison).count() == 1
    assert meeting_tasks_due(user=world.staff).count() == 1
    client.force_login(world.health_liaison)
    listed = client.get("/admin/coordination/tasks/?queue=meeting_tasks_due").content.decode()
    assert world.case.receipt_number in listed and "已超期" in listed


def test_the_minutes_pdf_masks_the_applicant(world, client, django_capture_on_commit_callbacks):
    _decide(world, django_capture_on_commit_callbacks)
    client.force_login(world.staff)
    response = client.get(f"/admin/coordination/meeting/{world.meeting.pk}/minutes.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    text = text.replace("\n", "")
    assert world.case.receipt_number in text and "王**" in text
    assert "核定住院自付费用并出具证明" in text and "卫生健康" in text
    assert world.applicant_id not in text and APPLICANT_PHONE not in text
    assert APPLICANT_NAME not in text and "工农大路" not in text


def test_the_overview_lists_open_tasks_per_department_overdue_first(
    world, client, django_capture_on_commit_callbacks
):
    item = _decide(world, django_capture_on_commit_callbacks)
    second = cf.case(world.places["hongqi"], status="under_review")
    other = services.agenda_item_add(
        meeting=world.meeting, case=second, question="住房困难", reason="跨部门", actor=world.staff
    )
    services.agenda_item_decide(
        item=other,
        outcome=AgendaItem.Outcome.ASSIGNED,
        decision="教育局落实资助",
        tasks=[(world.education, "落实助学金", 5)],
        actor=world.staff,
    )
    MeetingTask.objects.filter(item=item).update(due_at=timezone.now() - timedelta(days=1))
    client.force_login(world.staff)
    page = client.get("/admin/coordination/").content.decode()
    assert page.index(world.health.name) < page.index(world.education.name)
    assert "逾期 1" in page


def test_bad_input_gets_a_clear_message_and_writes_nothing(world, client):
    client.force_login(world.staff)
    url = f"/admin/coordination/meeting/{world.meeting.pk}/"
    unknown = client.post(url, {"receipt_number": "NOPE-1", "question": "q", "reason": "r"})
    assert unknown.status_code == 422
    assert "没有找到该受理编号的救助申请" in unknown.content.decode()
    stranger = cf.case(world.places["nanling"], status="under_review")
    foreign = client.post(
        url, {"receipt_number": stranger.receipt_number, "question": "q", "reason": "r"}
    )
    assert foreign.status_code == 422 and "不属于本联席会议的辖区" in foreign.content.decode()
    assert not AgendaItem.objects.exists()
    item = services.agenda_item_add(
        meeting=world.meeting, case=world.case, question="q", reason="r", actor=world.staff
    )
    no_task = client.post(
        f"/admin/coordination/item/{item.pk}/decide/", {"outcome": "assigned", "decision": "分工"}
    )
    assert no_task.status_code == 422
    assert "分工办理须至少交办一个部门" in no_task.content.decode()
    half = client.post(
        f"/admin/coordination/item/{item.pk}/decide/",
        {"outcome": "assigned", "decision": "分工", "department_1": world.health.pk},
    )
    assert half.status_code == 422 and "请同时填写" in half.content.decode()
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.PENDING and not MeetingTask.objects.exists()


def test_only_convenors_decide(world, client):
    item = services.agenda_item_add(
        meeting=world.meeting, case=world.case, question="q", reason="r", actor=world.staff
    )
    client.force_login(world.health_liaison)
    assert client.get(f"/admin/coordination/item/{item.pk}/decide/").status_code == 404
    street = cf.staff(world.places["hongqi"], "street_staff")
    client.force_login(street)
    assert client.get(f"/admin/coordination/item/{item.pk}/decide/").status_code == 404
    with pytest.raises(services.NotPermitted):
        services.agenda_item_decide(
            item=item, outcome="resolved", decision="x", actor=world.health_liaison
        )


def test_the_liaison_screen_reads_in_english(world, client, django_capture_on_commit_callbacks):
    from wagtail.users.models import UserProfile

    _decide(world, django_capture_on_commit_callbacks)
    UserProfile.objects.update_or_create(
        user=world.health_liaison, defaults={"preferred_language": "en"}
    )
    client.force_login(world.health_liaison)
    page = client.get("/admin/coordination/department/").content.decode()
    assert "Joint-meeting tasks for my department" in page
    assert "Question put to the meeting" in page and "My department's tasks" in page
    assert "Medical assistance, Temporary assistance" in page and "Report completed" in page
    assert "联席会议交办事项" not in page and "本部门任务" not in page and "、" not in page
