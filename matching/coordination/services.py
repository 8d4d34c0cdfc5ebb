"""Writes for joint meetings: the body, its sessions, the agenda, decisions,
the tasks given to departments, their completion and their escalation.

Every staff decision is audited; no personal data goes into an audit entry,
a notification or a refusal message (receipt numbers and department names only).
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.cases.access import can_handle_case
from matching.cases.deadlines import add_working_days
from matching.cases.models import CaseStatus
from matching.core.errors import DomainError
from matching.core.states import Transitions
from matching.directory.models import STAFF_ROLES, Department, Profile, Role
from matching.directory.selectors import is_liaison_of, staff_profile
from matching.notifications.models import EventKind
from matching.notifications.services import notify

from .models import AgendaItem, JointMeeting, JointMeetingBody, MeetingTask


class CoordinationError(DomainError):
    """A joint-meeting request the rules refuse."""


class NotPermitted(CoordinationError):
    http_status = 403


ITEM_TRANSITIONS = Transitions(
    AgendaItem.Status,
    {AgendaItem.Status.PENDING: {AgendaItem.Status.DECIDED}, AgendaItem.Status.DECIDED: set()},
    error=CoordinationError,
    message=_("该议题已议定，不能重复记录决定。"),
)
TASK_TRANSITIONS = Transitions(
    MeetingTask.Status,
    {MeetingTask.Status.OPEN: {MeetingTask.Status.DONE}, MeetingTask.Status.DONE: set()},
    error=CoordinationError,
    message=_("该任务已办结。"),
)


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def may_convene(user, body):
    """City or district civil-affairs staff whose jurisdiction holds the body's."""
    profile = staff_profile(user)
    return bool(
        profile
        and profile.role in (Role.CITY_STAFF, Role.DISTRICT_STAFF)
        and profile.jurisdiction.contains(body.jurisdiction)
    )


def _require_convenor(user, body):
    if not may_convene(user, body):
        raise NotPermitted(_("只有本级或上级民政工作人员可以办理该联席会议的事项。"))


# --- the body and its sessions ----------------------------------------------------


@transaction.atomic
def meeting_body_ensure(*, jurisdiction, name=""):
    """The joint-meeting body of ``jurisdiction``, its members every department there."""
    body, _created = JointMeetingBody.objects.get_or_create(
        jurisdiction=jurisdiction,
        defaults={"name": name or f"{jurisdiction.name}社会救助工作联席会议"},
    )
    departments = Department.objects.filter(jurisdiction=jurisdiction)
    body.members.add(*departments)
    convenor = departments.filter(kind=Department.Kind.CIVIL_AFFAIRS).first()
    if convenor and body.convenor_id != convenor.pk:
        body.convenor = convenor
        body.save(update_fields=["convenor"])
    return body


@transaction.atomic
def meeting_schedule(*, body, title, held_at, place, chair, actor):
    _require_convenor(actor, body)
    meeting = _save(
        JointMeeting(
            body=body, title=title, held_at=held_at, place=place, chair=chair, convened_by=actor
        )
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=meeting,
        after={"body": body.pk, "held_at": held_at.isoformat()},
        jurisdiction=body.jurisdiction,
    )
    return meeting


# --- the agenda and decisions -------------------------------------------------------


@transaction.atomic
def agenda_item_add(*, meeting, case, question, reason, actor, now=None):
    """Put a hard case on a session's agenda, with the question and the reason."""
    meeting = JointMeeting.objects.select_related("body__jurisdiction").get(pk=meeting.pk)
    _require_convenor(actor, meeting.body)
    if not (can_handle_case(actor, case) and meeting.body.jurisdiction.contains(case.jurisdiction)):
        raise NotPermitted(_("该救助申请不属于本联席会议的辖区。"), field="receipt_number")
    if case.status == CaseStatus.CLOSED:
        raise CoordinationError(_("已办结的申请不能提交联席会议。"), field="receipt_number")
    if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
        raise CoordinationError(_("该申请已列入本次会议议题。"), field="receipt_number")
    item = _save(
        AgendaItem(
            meeting=meeting,
            case=case,
            question=question,
            reason=reason,
            put_by=actor,
            put_at=now or timezone.now(),
        )
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=item,
        summary=f"case {case.receipt_number} put on joint meeting {meeting.pk}",
        after={"meeting": meeting.pk},
    )
    return item


@transaction.atomic
def agenda_item_decide(*, item, outcome, decision, tasks=(), actor, now=None):
    """Record the meeting's decision on one case and the tasks it gives departments.

    ``tasks``: ``(department, description, working_days)``; each department must
    be a member of the body. "分工办理" needs at least one task.
    """
    item = (
        AgendaItem.objects.select_for_update()
        .select_related("meeting__body__jurisdiction", "case")
        .get(pk=item.pk)
    )
    _require_convenor(actor, item.meeting.body)
    ITEM_TRANSITIONS.check(item, AgendaItem.Status.DECIDED)
    tasks = list(tasks)
    if outcome == AgendaItem.Outcome.ASSIGNED and not tasks:
        raise CoordinationError(_("分工办理须至少交办一个部门。"), field="tasks")
    members = set(item.meeting.body.members.values_list("pk", flat=True))
    if any(department.pk not in members for department, _text, _days in tasks):
        raise CoordinationError(_("只能向联席会议成员单位交办任务。"), field="tasks")
    now = now or timezone.now()
    ITEM_TRANSITIONS.move(item, AgendaItem.Status.DECIDED)
    item.outcome, item.decision = outcome, decision
    item.decided_at, item.decided_by = now, actor
    _save(item)
    created = [_task_create(item, department, text, days, now) for department, text, days in tasks]
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=item,
        before={"status": AgendaItem.Status.PENDING},
        after={"status": item.status, "outcome": outcome, "tasks": [t.pk for t in created]},
    )
    for task in created:
        transaction.on_commit(lambda pk=task.pk: _task_notice(pk))
    return item


def _task_create(item, department, description, working_days, now):
    task = MeetingTask(
        item=item,
        department=department,
        description=description,
        working_days=working_days,
        assigned_at=now,
        due_at=add_working_days(now, working_days),
    )
    return _save(task)


def _liaisons_of(department):
    profiles = department.members.filter(role=Role.LIAISON).select_related("user")
    return [profile.user for profile in profiles]


def _task_notice(task_id):
    task = MeetingTask.objects.select_related("item__case", "item__meeting", "department").get(
        pk=task_id
    )
    notify(
        kind=EventKind.REFERRAL,
        users=_liaisons_of(task.department),
        subject=_("联席会议交办任务 %(receipt)s"),
        body=_(
            "%(department)s：%(meeting)s 议定由贵部门办理救助申请 %(receipt)s 的事项，"
            "请于 %(due)s 前办结。"
        ),
        params={
            "department": task.department,
            "meeting": task.item.meeting,
            "receipt": task.item.case.receipt_number,
            "due": task.due_at,
        },
        link=reverse("coordination_department"),
    )


# --- the department's answer ------------------------------------------------------


@transaction.atomic
def meeting_task_complete(*, task, result, actor, now=None):
    """The liaison of the task's department reports it done."""
    task = MeetingTask.objects.select_for_update().select_related("department").get(pk=task.pk)
    if not is_liaison_of(actor, task.department):
        raise NotPermitted(_("只有承办部门的联络员可以办结该任务。"))
    TASK_TRANSITIONS.move(task, MeetingTask.Status.DONE)
    task.result, task.done_at, task.done_by = result, now or timezone.now(), actor
    _save(task)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=task,
        before={"status": MeetingTask.Status.OPEN},
        after={"status": task.status},
        jurisdiction=task.department.jurisdiction,
    )
    return task


# --- escalation ---------------------------------------------------------------------


@transaction.atomic
def meeting_task_escalate(*, task, now=None):
    """Mark an overdue task escalated and tell the convenor and the department's
    superiors; a task already escalated is left alone (one notice per task)."""
    task = (
        MeetingTask.objects.select_for_update()
        .select_related("department__jurisdiction")
        .get(pk=task.pk)
    )
    now = now or timezone.now()
    if task.status != MeetingTask.Status.OPEN or task.due_at >= now or task.escalated_at:
        return False
    task.escalated_at = now
    task.escalated_to = task.department.jurisdiction.parent or task.department.jurisdiction
    _save(task)
    audit_record(
        actor=None,
        action=AuditEntry.Action.TRANSITION,
        obj=task,
        before={"escalated": False},
        after={"escalated": True, "escalated_to": task.escalated_to_id},
        jurisdiction=task.department.jurisdiction,
    )
    transaction.on_commit(lambda: _escalation_notice(task.pk))
    return True


def escalation_recipients(task):
    """The meeting's convenor (who called it, and civil-affairs staff at the body's
    level) and the department's superiors (the same kind of department one level up)."""
    body = task.item.meeting.body
    staff = Profile.objects.filter(jurisdiction=body.jurisdiction, role__in=STAFF_ROLES)
    users = [profile.user for profile in staff.select_related("user")]
    if task.item.meeting.convened_by:
        users.append(task.item.meeting.convened_by)
    superior = Department.objects.filter(
        kind=task.department.kind, jurisdiction=task.escalated_to
    ).exclude(pk=task.department_id)
    for department in superior:
        users += _liaisons_of(department)
    return list({user.pk: user for user in users}.values())


def _escalation_notice(task_id):
    task = MeetingTask.objects.select_related(
        "item__case",
        "item__meeting__body__jurisdiction",
        "item__meeting__convened_by",
        "department",
        "escalated_to",
    ).get(pk=task_id)
    notify(
        kind=EventKind.REFERRAL,
        users=escalation_recipients(task),
        subject=_("【督办】联席会议交办任务逾期 %(receipt)s"),
        body=_(
            "%(department)s 未在 %(due)s 前办结 %(meeting)s 交办的救助申请 %(receipt)s 事项，"
            "已提请督办。"
        ),
        params={
            "department": task.department,
            "due": task.due_at,
            "meeting": task.item.meeting,
            "receipt": task.item.case.receipt_number,
        },
        link=reverse("coordination_tasks"),
    )


def meeting_tasks_escalate_overdue(*, now=None):
    """The sweep: escalate every open task past its deadline once; returns how many."""
    now = now or timezone.now()
    overdue = MeetingTask.objects.filter(
        status=MeetingTask.Status.OPEN, due_at__lt=now, escalated_at__isnull=True
    )
    return sum(1 for task in overdue if meeting_task_escalate(task=task, now=now))
