"""Fresh economic data: refresh requests to a department, their answer by new
data, and the daily sweep that flags departments overdue (docs/cases.md)."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.directory.models import Department
from matching.notifications.models import EventKind
from matching.notifications.services import notify

from .. import freshness
from ..access import can_handle_case
from ..models import RefreshAlert, RefreshRequest
from .base import CaseRuleError, NotPermitted, _liaisons_of, _save, _staff_of


def _stale_from(household, department):
    records = household.economic_records.select_related("department")
    return [s for s in freshness.stale(records) if s.record.department_id == department.pk]


@transaction.atomic
def refresh_request_create(*, case, department, actor):
    """Ask ``department`` for fresh data on the case's household; one open request at a time."""
    if not can_handle_case(actor, case):
        raise NotPermitted(_("您无权办理该辖区的救助申请。"))
    if not _stale_from(case.household, department):
        raise CaseRuleError(_("该部门提供的数据均在有效期内，无需请求更新。"))
    existing = RefreshRequest.objects.filter(
        household=case.household, department=department, status=RefreshRequest.Status.OPEN
    ).first()
    if existing is not None:
        return existing
    request = _save(
        RefreshRequest(household=case.household, case=case, department=department, requested_by=actor)
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=request,
        after={"department": department.pk, "case": case.pk},
        jurisdiction=case.jurisdiction,
    )
    transaction.on_commit(lambda: _request_notice(request.pk))
    return request


def _request_notice(request_id):
    request = RefreshRequest.objects.select_related("department", "case").get(pk=request_id)
    notify(
        kind=EventKind.REFERRAL,
        users=_liaisons_of(request.department),
        subject=_lazy("家庭经济状况数据更新请求"),
        body=_lazy(
            "%(department)s：救助申请 %(receipt)s 所涉家庭的经济状况数据已过期，"
            "请尽快报送最新数据。"
        ),
        params={"department": request.department, "receipt": request.case.receipt_number},
        link=reverse("cases_stale_economic:index"),
    )


def refresh_requests_answer(*, household, department):
    """New data arrived: close the open requests it leaves nothing stale for."""
    if _stale_from(household, department):
        return []
    answered = list(
        RefreshRequest.objects.select_for_update().filter(
            household=household, department=department, status=RefreshRequest.Status.OPEN
        )
    )
    for request in answered:
        request.status, request.answered_at = RefreshRequest.Status.ANSWERED, timezone.now()
        request.save(update_fields=["status", "answered_at"])
        audit_record(
            actor=None,
            action=AuditEntry.Action.TRANSITION,
            obj=request,
            after={"status": request.status},
            summary=f"answered by department {department.pk}",
            jurisdiction=household.jurisdiction,
        )
        transaction.on_commit(lambda pk=request.pk: _answered_notice(pk))
    return answered


def _answered_notice(request_id):
    request = RefreshRequest.objects.select_related("department", "case", "requested_by").get(
        pk=request_id
    )
    if request.requested_by is None or request.case is None:
        return
    notify(
        kind=EventKind.REFERRAL,
        users=[request.requested_by],
        subject=_lazy("经济状况数据已更新"),
        body=_lazy("%(department)s已报送救助申请 %(receipt)s 所涉家庭的最新数据，可重新核对。"),
        params={"department": request.department, "receipt": request.case.receipt_number},
        link=reverse("cases_admin_handle", args=[request.case.pk]),
    )


def economic_refresh_overdue(*, today=None):
    """Daily: tell each department past its next due date, and its supervisors, once per period.

    The period is the due date: a department is told once for it, and again only
    after a new import has moved its due date and that date has passed too.
    """
    today = today or timezone.localdate()
    ages = freshness.max_ages()
    alerted = []
    for department in Department.objects.select_related("jurisdiction"):
        due = freshness.department_refresh_due(department, ages=ages)
        if due is None or due[2] >= today:
            continue
        try:
            with transaction.atomic():
                alert = RefreshAlert.objects.create(department=department, due_on=due[2])
        except IntegrityError:
            continue  # told already for this period
        _overdue_notice(department, due)
        alerted.append(alert)
    return alerted


def _overdue_notice(department, due):
    last, cadence, due_on = due
    notify(
        kind=EventKind.REFERRAL,
        users=[*_liaisons_of(department), *_staff_of(department.jurisdiction)],
        subject=_lazy("%(department)s家庭经济状况数据逾期未更新"),
        body=_lazy(
            "%(department)s应每 %(days)s 天报送一次家庭经济状况数据，上次报送于 %(last)s，"
            "应于 %(due)s 前更新，现已逾期。"
        ),
        params={"department": department, "days": cadence, "last": last, "due": due_on},
        link=reverse("cases_admin_refresh_schedule"),
    )
