"""Reads for inspections: who sees which inspection and finding, and the
figures the monthly supervision report takes (docs/inspections.md).

Two kinds of reader: the inspectors (the inspection's team; city staff and
inspectors read every inspection) and the inspected unit's staff (civil-affairs
staff whose jurisdiction contains the unit, or the liaisons of the inspected
department).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.core.scope import subtree
from matching.directory.models import STAFF_ROLES, Role
from matching.directory.selectors import profile_get

from .models import Evidence, Finding, Inspection

CITY_WIDE = frozenset({Role.CITY_STAFF, Role.INSPECTOR})


def _finding_rows():
    return Finding.objects.select_related(
        "inspection", "unit", "department", "department__jurisdiction"
    )


def is_inspector(*, user, inspection):
    """A member of the inspection's team."""
    return user.is_authenticated and inspection.team.filter(pk=user.pk).exists()


def inspection_list_for(*, user):
    """Inspections the user sits on, or every one for city staff and inspectors."""
    rows = Inspection.objects.select_related("scope")
    profile = profile_get(user=user)
    if user.is_superuser or (profile and profile.role in CITY_WIDE):
        return rows
    return rows.filter(team=user) if user.is_authenticated else rows.none()


def unit_finding_q(profile):
    """``Q`` of the findings a unit's staff member answers for."""
    if profile.role in STAFF_ROLES:
        return subtree(profile.jurisdiction.path, field="place_path")
    if profile.role == Role.LIAISON and profile.department_id:
        return Q(department_id=profile.department_id)
    return Q(pk__in=[])


def finding_list_for(*, user):
    """Findings of the user's inspections, plus those against the user's unit."""
    rows = _finding_rows()
    profile = profile_get(user=user)
    if user.is_superuser or (profile and profile.role in CITY_WIDE):
        return rows
    if profile is None:
        return rows.none()
    return rows.filter(Q(inspection__team=user) | unit_finding_q(profile)).distinct()


def finding_may_answer(*, user, finding):
    """Whether ``user`` is staff of the inspected unit (who submits the evidence)."""
    profile = profile_get(user=user)
    if profile is None or is_inspector(user=user, inspection=finding.inspection):
        return False
    return _finding_rows().filter(unit_finding_q(profile), pk=finding.pk).exists()


def unit_findings_due(*, user):
    """Findings the user's unit still has to rectify (not awaiting review)."""
    profile = profile_get(user=user)
    if profile is None or profile.role in CITY_WIDE:
        return None
    if profile.role not in STAFF_ROLES and profile.role != Role.LIAISON:
        return None
    rows = _finding_rows().filter(unit_finding_q(profile))
    return rows.filter(status__in=[Finding.Status.OPEN, Finding.Status.RETURNED])


def evidence_to_review(*, user):
    """Findings of the user's inspections whose evidence waits for review, or
    which are overdue."""
    if not user.is_authenticated or not Inspection.objects.filter(team=user).exists():
        return None  # not on any team: no such queue
    rows = _finding_rows().filter(inspection__team=user)
    overdue = Q(due_at__lt=timezone.now()) & ~Q(status=Finding.Status.RECTIFIED)
    return rows.filter(Q(status=Finding.Status.SUBMITTED) | overdue)


def evidence_pending(*, finding):
    return finding.evidence.filter(decision=Evidence.Decision.PENDING).last()


# --- the monthly report ------------------------------------------------------


class State:
    OPEN = "open"
    IN_RECTIFICATION = "in_rectification"
    OVERDUE = "overdue"
    RECTIFIED = "rectified"


STATES = (State.OPEN, State.IN_RECTIFICATION, State.OVERDUE, State.RECTIFIED)
STATE_LABELS = {
    State.OPEN: _("待整改"),
    State.IN_RECTIFICATION: _("整改中"),
    State.OVERDUE: _("逾期未整改"),
    State.RECTIFIED: _("已整改"),
}


def finding_state(finding, *, now):
    """Where a finding stands at ``now``: rectified, overdue, in rectification
    (evidence submitted or returned) or open."""
    if finding.status == Finding.Status.RECTIFIED and finding.rectified_at <= now:
        return State.RECTIFIED
    if finding.due_at < now:
        return State.OVERDUE
    if finding.status in (Finding.Status.SUBMITTED, Finding.Status.RETURNED):
        return State.IN_RECTIFICATION
    return State.OPEN


@dataclass(frozen=True)
class FindingFigures:
    total: int
    open: int
    in_rectification: int
    overdue: int
    rectified: int
    rows: list  # of (finding, state)


def findings_in_period(*, jurisdiction, start, end, now):
    """Findings against units inside ``jurisdiction`` recorded before ``end`` and
    not rectified before ``start``: what the period had to deal with."""
    rows = (
        _finding_rows()
        .filter(subtree(jurisdiction.path, field="place_path"), recorded_at__lt=end)
        .exclude(rectified_at__lt=start)
        .order_by("place_path", "recorded_at", "pk")
    )
    at = min(now, end)
    states = [(finding, finding_state(finding, now=at)) for finding in rows]
    count = {state: sum(1 for _f, s in states if s == state) for state in STATES}
    return FindingFigures(
        total=len(states),
        open=count[State.OPEN],
        in_rectification=count[State.IN_RECTIFICATION],
        overdue=count[State.OVERDUE],
        rectified=count[State.RECTIFIED],
        rows=states,
    )
