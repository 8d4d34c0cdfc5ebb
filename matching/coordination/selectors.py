"""Reads for joint meetings, each scoped to the reader.

Civil-affairs staff and inspectors read the bodies, sessions and tasks of their
jurisdiction and below. A department's liaison reads only the agenda items that
gave their department a task, and of each only what the department needs
(``DepartmentItem``): receipt number, categories, urgency, the question, their
own tasks and the applicant's name masked; never an ID number, a phone or an address.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import pgettext

from matching.cases.models import Member
from matching.core.masking import mask_name
from matching.core.scope import subtree
from matching.core.vocabulary import Category
from matching.directory.models import STAFF_ROLES, Department, Role
from matching.directory.selectors import profile_get

from .models import AgendaItem, JointMeeting, JointMeetingBody, MeetingTask

READERS = frozenset({*STAFF_ROLES, Role.INSPECTOR})
TASK_READERS = READERS | {Role.LIAISON}


def _supervisor(user):
    profile = profile_get(user=user)
    return profile if profile is not None and profile.role in READERS else None


def meeting_body_list(*, user):
    profile = _supervisor(user)
    if profile is None:
        return JointMeetingBody.objects.none()
    return JointMeetingBody.objects.filter(
        subtree(profile.jurisdiction.path, field="jurisdiction__path")
    ).select_related("jurisdiction", "convenor")


def meeting_list(*, user):
    profile = _supervisor(user)
    if profile is None:
        return JointMeeting.objects.none()
    return JointMeeting.objects.filter(
        subtree(profile.jurisdiction.path, field="body__jurisdiction__path")
    ).select_related("body__jurisdiction")


def meeting_get(*, user, pk):
    return meeting_list(user=user).filter(pk=pk).first()


def agenda_item_list(*, meeting):
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case")
        .prefetch_related("tasks__department")
    )


def task_list(*, user, open_only=False):
    """Staff: the tasks of their jurisdiction's meetings; a liaison: their department's.
    Open and overdue first, then by deadline."""
    profile = profile_get(user=user)
    if profile is None:
        return MeetingTask.objects.none()
    if profile.role == Role.LIAISON:
        rows = MeetingTask.objects.filter(department_id=profile.department_id)
    elif profile.role in READERS:
        rows = MeetingTask.objects.filter(
            subtree(profile.jurisdiction.path, field="item__meeting__body__jurisdiction__path")
        )
    else:
        return MeetingTask.objects.none()
    if open_only:
        rows = rows.filter(status=MeetingTask.Status.OPEN)
    return rows.select_related(
        "department", "item__case", "item__meeting__body", "escalated_to"
    ).order_by("-status", "due_at", "pk")  # "open" sorts after "done": descending


@dataclass
class DepartmentLoad:
    department: Department
    open: int
    overdue: int
    soonest: object


def open_tasks_by_department(*, user, now=None):
    """Per department: open and overdue tasks and the soonest deadline, overdue first."""
    now = now or timezone.now()
    rows = (
        task_list(user=user, open_only=True)
        .order_by()
        .values("department")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            soonest=Min("due_at"),
        )
    )
    departments = Department.objects.in_bulk([row["department"] for row in rows])
    loads = [
        DepartmentLoad(departments[row["department"]], row["open"], row["overdue"], row["soonest"])
        for row in rows
    ]
    return sorted(loads, key=lambda load: (-load.overdue, load.soonest, load.department.pk))


@dataclass
class DepartmentItem:
    """One agenda item as a department's liaison sees it."""

    receipt_number: str
    categories: str
    urgency: str
    applicant: str  # masked
    meeting: JointMeeting
    question: str
    decision: str
    outcome: str
    tasks: list = field(default_factory=list)


def category_text(case):
    return pgettext("list separator", "、").join(
        str(Category(code).label) for code in case.categories
    )


def _applicant_name(case):
    member = case.household.members.filter(relation=Member.Relation.SELF).first()
    return mask_name(member.name) if member else ""


def department_item_list(*, user):
    """For a liaison: the agenda items that gave their department a task, nothing else."""
    profile = profile_get(user=user)
    if profile is None or profile.role != Role.LIAISON:
        return []
    tasks = (
        MeetingTask.objects.filter(department_id=profile.department_id)
        .select_related("item__case__household", "item__meeting__body")
        .order_by("-status", "due_at", "pk")
    )
    items = {}
    for task in tasks:
        item = task.item
        if item.pk not in items:
            items[item.pk] = DepartmentItem(
                receipt_number=item.case.receipt_number,
                categories=category_text(item.case),
                urgency=item.case.get_urgency_display(),
                applicant=_applicant_name(item.case),
                meeting=item.meeting,
                question=item.question,
                decision=item.decision,
                outcome=item.get_outcome_display(),
            )
        items[item.pk].tasks.append(task)
    return list(items.values())


def minutes_rows(*, meeting):
    """The minutes' rows: each item with the case's public facts and the applicant
    masked, its decision and its tasks."""
    rows = []
    for item in agenda_item_list(meeting=meeting).select_related("case__household"):
        rows.append(
            {
                "item": item,
                "receipt_number": item.case.receipt_number,
                "categories": category_text(item.case),
                "urgency": item.case.get_urgency_display(),
                "applicant": _applicant_name(item.case),
                "tasks": list(item.tasks.all()),
            }
        )
    return rows
