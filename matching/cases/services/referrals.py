"""Referrals to departments, their deadlines, reminders and escalation."""

from datetime import timedelta

from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.core.states import Transitions
from matching.core.vocabulary import Category
from matching.directory.models import Department

from .. import deadlines
from matching.notifications.models import EventKind
from matching.notifications.services import notify
from ..access import can_handle_case
from matching.directory.selectors import is_liaison_of
from ..models import (
    Case,
    DeadlineRule,
    Referral,
)
from .base import CaseRuleError, NotPermitted, _liaisons_of, _save, _snapshot, _staff_of
from .transitions import S, case_transition

REFERRAL_TRANSITIONS = Transitions(
    Referral.Status,
    {Referral.Status.OPEN: {Referral.Status.ANSWERED}, Referral.Status.ANSWERED: set()},
    error=CaseRuleError,
    message=_lazy("该转办事项已答复，不能重复答复。"),
)


# --- referrals and escalation ------------------------------------------------


@transaction.atomic
def referral_create(*, case, department, category, actor, note="", now=None):
    """Refer ``case`` to ``department``; the deadline follows category and urgency."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_handle_case(actor, case):
        raise NotPermitted(_("您无权办理该辖区的救助申请。"))
    if case.status not in (S.UNDER_REVIEW, S.REFERRED):
        raise CaseRuleError(_("只有审核中或已转办的申请可以转办。"))
    now = now or timezone.now()
    referral = _save(
        Referral(
            case=case,
            department=department,
            category=category,
            note=note,
            referred_at=now,
            referred_by=actor,
            due_at=deadlines.deadline_for(
                purpose=DeadlineRule.Purpose.REFERRAL,
                urgency=case.urgency,
                category=category,
                start=now,
            ),
        )
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=referral,
        after={"department": department.pk, "due_at": referral.due_at.isoformat()},
    )
    if case.status == S.UNDER_REVIEW:
        case_transition(case=case, to_status=S.REFERRED, actor=actor)
    transaction.on_commit(lambda: _referral_notice(referral.pk))
    return referral


def _referral_notice(referral_id):
    referral = Referral.objects.select_related("case", "department").get(pk=referral_id)
    notify(
        kind=EventKind.REFERRAL,
        users=_liaisons_of(referral.department),
        subject=_lazy("%(urgent)s新转办事项 %(receipt)s"),
        body=_lazy(
            "%(department)s：救助申请 %(receipt)s（%(category)s）已转办贵部门，"
            "请于 %(due)s 前答复。"
        ),
        params={
            "urgent": _lazy("【紧急】") if referral.case.is_emergency else "",
            "department": referral.department,
            "receipt": referral.case.receipt_number,
            "category": Category(referral.category).label,
            "due": referral.due_at,
        },
        link=reverse("cases_admin_referral_answer", args=[referral.pk]),
    )


@transaction.atomic
def referral_answer(*, referral, outcome, answer, actor=None, department=None):
    """The liaison's (or the department API's) answer to an open referral."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    allowed = (department is not None and department.pk == referral.department_id) or (
        actor is not None and is_liaison_of(actor, referral.department)
    )
    if not allowed:
        raise NotPermitted(_("只有承办部门可以答复该转办事项。"))
    before = _snapshot(referral, "status")
    REFERRAL_TRANSITIONS.move(referral, Referral.Status.ANSWERED)
    referral.outcome, referral.answer = outcome, answer
    referral.answered_at, referral.answered_by = timezone.now(), actor
    _save(referral)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=referral,
        before=before,
        after={"status": referral.status, "outcome": outcome},
        summary=f"answered by department {referral.department_id}",
    )
    return referral


def supervising_level(jurisdiction):
    """The level that supervises a department at ``jurisdiction`` (the city supervises itself)."""
    return jurisdiction.parent or jurisdiction


@transaction.atomic
def referral_escalate(*, referral, now=None):
    """Mark an overdue referral escalated and notify the supervising level."""
    referral = (
        Referral.objects.select_for_update()
        .select_related("department__jurisdiction")
        .get(pk=referral.pk)
    )
    now = now or timezone.now()
    if referral.status != Referral.Status.OPEN or referral.due_at >= now:
        raise CaseRuleError(_("只有逾期未答复的转办事项可以督办。"))
    if referral.escalated_at:
        return referral
    referral.escalated_at = now
    referral.escalated_to = supervising_level(referral.department.jurisdiction)
    _save(referral)
    audit_record(
        actor=None,
        action=AuditEntry.Action.TRANSITION,
        obj=referral,
        before={"escalated": False},
        after={"escalated": True, "escalated_to": referral.escalated_to_id},
    )
    transaction.on_commit(lambda: _escalation_notice(referral.pk))
    return referral


def _escalation_notice(referral_id):
    referral = Referral.objects.select_related("case", "department", "escalated_to").get(
        pk=referral_id
    )
    supervisor = Department.objects.filter(
        kind=referral.department.kind, jurisdiction=referral.escalated_to
    ).first()
    users = _staff_of(referral.escalated_to) + (_liaisons_of(supervisor) if supervisor else [])
    notify(
        kind=EventKind.REFERRAL,
        users=users,
        subject=_lazy("【督办】转办事项逾期未答复 %(receipt)s"),
        body=_lazy(
            "%(department)s 未在 %(due)s 前答复救助申请 %(receipt)s 的转办，已提请 %(level)s 督办。"
        ),
        params={
            "department": referral.department,
            "receipt": referral.case.receipt_number,
            "due": referral.due_at,
            "level": referral.escalated_to,
        },
    )


def referrals_escalate_overdue(*, now=None):
    """The sweep: escalate every open referral past its deadline; returns how many."""
    now = now or timezone.now()
    overdue = Referral.objects.filter(
        status=Referral.Status.OPEN, due_at__lt=now, escalated_at__isnull=True
    )
    return sum(1 for referral in overdue if referral_escalate(referral=referral, now=now))


@transaction.atomic
def referrals_remind(*, now=None, within=timedelta(hours=24)):
    """E-mail liaisons once about open referrals falling due within ``within``."""
    now = now or timezone.now()
    due_soon = Referral.objects.filter(
        status=Referral.Status.OPEN,
        reminded_at__isnull=True,
        due_at__gte=now,
        due_at__lt=now + within,
    )
    count = 0
    for referral in due_soon.select_related("case", "department"):
        referral.reminded_at = now
        referral.save(update_fields=["reminded_at"])
        transaction.on_commit(lambda pk=referral.pk: _reminder_notice(pk))
        count += 1
    return count


def _reminder_notice(referral_id):
    referral = Referral.objects.select_related("case", "department").get(pk=referral_id)
    notify(
        kind=EventKind.REFERRAL,
        users=_liaisons_of(referral.department),
        subject=_lazy("转办事项即将到期 %(receipt)s"),
        body=_lazy("救助申请 %(receipt)s 的转办将于 %(due)s 到期，请及时答复。"),
        params={"receipt": referral.case.receipt_number, "due": referral.due_at},
        link=reverse("cases_admin_referral_answer", args=[referral.pk]),
    )


# Sent after the holiday schedule of some years changed and open referral
# deadlines were recomputed; other apps recompute their own working-day
# deadlines (governance: complaints). Arguments: ``years``, ``actor``.
holiday_schedule_changed = Signal()


def deadline_move(*, record, due_at, actor=None):
    """Move ``record``'s ``due_at`` (a referral's, a complaint's) to ``due_at``, saved and
    audited; returns whether it moved."""
    if due_at == record.due_at:
        return False
    before = record.due_at
    record.due_at = due_at
    _save(record)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=record,
        before={"due_at": before.isoformat()},
        after={"due_at": due_at.isoformat()},
    )
    return True


def referral_deadlines_recompute(*, years, actor=None):
    """After staff entered or changed the holiday schedule of ``years``: recompute the
    working-day deadlines of open referrals that run into those years; returns how many moved."""
    years = sorted(set(years))
    moved = 0
    with transaction.atomic():
        candidates = (
            Referral.objects.select_for_update()
            .filter(status=Referral.Status.OPEN, due_at__year__gte=years[0])
            .select_related("case")
        )
        for referral in candidates:
            start_year = timezone.localtime(referral.referred_at).year
            end_year = timezone.localtime(referral.due_at).year
            if not any(start_year <= year <= end_year for year in years):
                continue
            amount, unit = deadlines.rule_for(
                purpose=DeadlineRule.Purpose.REFERRAL,
                urgency=referral.case.urgency,
                category=referral.category,
            )
            if unit != DeadlineRule.Unit.WORKING_DAYS:
                continue
            due_at = deadlines.add_working_days(referral.referred_at, amount)
            moved += deadline_move(record=referral, due_at=due_at, actor=actor)
    holiday_schedule_changed.send(sender=Referral, years=years, actor=actor)
    return moved
