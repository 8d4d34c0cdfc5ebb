"""Proactive discovery reports and their triage."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.core.states import Transitions

from .. import deadlines
from ..access import can_handle_case
from ..models import Case, DeadlineRule, DiscoveryReport
from matching.core.vocabulary import Urgency
from matching.core.validators import normalize_phone
from .base import CaseRuleError, NotPermitted, _save
from .intake import case_submit, household_create

# --- proactive discovery ------------------------------------------------------


@transaction.atomic
def discovery_report_file(
    *,
    jurisdiction,
    reporter_name,
    reporter_phone,
    person_description,
    location_text,
    urgency=Urgency.NORMAL,
    categories=(),
    reporter=None,
    now=None,
):
    now = now or timezone.now()
    report = _save(
        DiscoveryReport(
            jurisdiction=jurisdiction,
            reporter=reporter if reporter and reporter.is_authenticated else None,
            reporter_name=reporter_name.strip(),
            reporter_phone=normalize_phone(reporter_phone),
            urgency=urgency,
            person_description=person_description.strip(),
            location_text=location_text.strip(),
            categories=list(categories),
            received_at=now,
            triage_due=deadlines.deadline_for(
                purpose=DeadlineRule.Purpose.TRIAGE, urgency=urgency, start=now
            ),
        )
    )
    audit_record(
        actor=reporter,
        action=AuditEntry.Action.CREATE,
        obj=report,
        after={"urgency": urgency, "jurisdiction": jurisdiction.code},
    )
    return report


_R = DiscoveryReport.Status
DISCOVERY_TRANSITIONS = Transitions(
    _R,
    {_R.PENDING: {_R.CASE_OPENED, _R.DISMISSED}, _R.CASE_OPENED: set(), _R.DISMISSED: set()},
    error=CaseRuleError,
    message=_lazy("该报告已研判，不能重复处理。"),
)


def _triage_check(report, actor, to_status):
    DISCOVERY_TRANSITIONS.check(report, to_status)
    if not can_handle_case(actor, report):
        raise NotPermitted(_("您无权研判该辖区的主动发现报告。"))


@transaction.atomic
def discovery_report_open_case(
    *, report, actor, title, contact_phone, categories, forms=(), members=(), address=""
):
    """Triage into a case; members may be added later when no ID number is known."""
    report = DiscoveryReport.objects.select_for_update().get(pk=report.pk)
    _triage_check(report, actor, DiscoveryReport.Status.CASE_OPENED)
    household = household_create(
        jurisdiction=report.jurisdiction,
        address=address or report.location_text,
        members=members,
        actor=actor,
    )
    case = case_submit(
        household=household,
        jurisdiction=report.jurisdiction,
        channel=Case.Channel.DISCOVERY,
        categories=categories,
        forms=forms,
        urgency=report.urgency,
        title=title,
        description=report.person_description,
        contact_phone=contact_phone,
        actor=actor,
    )
    _triage_close(report, actor, DiscoveryReport.Status.CASE_OPENED, case=case)
    return case


@transaction.atomic
def discovery_report_dismiss(*, report, actor, reason):
    report = DiscoveryReport.objects.select_for_update().get(pk=report.pk)
    _triage_check(report, actor, DiscoveryReport.Status.DISMISSED)
    if not reason.strip():
        raise CaseRuleError(_("不予受理必须填写理由。"))
    report.dismissal_reason = reason.strip()
    _triage_close(report, actor, DiscoveryReport.Status.DISMISSED)
    return report


def _triage_close(report, actor, status, case=None):
    before = DISCOVERY_TRANSITIONS.move(report, status)
    report.case = case
    report.triaged_at, report.triaged_by = timezone.now(), actor
    _save(report)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=report,
        before={"status": before.value},
        after={
            "status": status,
            "case": case.pk if case else None,
            "on_time": report.triaged_at <= report.triage_due,
        },
    )
