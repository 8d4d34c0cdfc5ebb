"""Proactive discovery reports, their follow codes and their triage."""

import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.core import crypto
from matching.core.states import Transitions
from matching.notifications.models import EventKind
from matching.notifications.services import notify, notify_email

from .. import deadlines
from ..access import can_handle_case
from ..models import Case, DeadlineRule, DiscoveryReport
from matching.core.vocabulary import Urgency
from matching.core.validators import normalize_phone
from .base import CaseRuleError, NotPermitted, _save, _staff_of
from .intake import case_submit, household_create

# --- proactive discovery ------------------------------------------------------


FOLLOW_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
FOLLOW_LENGTH = 16  # about 79 bits: not guessable, even without the rate limit


def follow_code_new():
    code = "".join(secrets.choice(FOLLOW_ALPHABET) for _ in range(FOLLOW_LENGTH))
    return "-".join(code[i : i + 4] for i in range(0, FOLLOW_LENGTH, 4))


def follow_code_normalize(code):
    return "".join(ch for ch in (code or "").upper() if ch in FOLLOW_ALPHABET)


def follow_index(code):
    return crypto.blind_index(follow_code_normalize(code))


@transaction.atomic
def discovery_report_file(
    *,
    jurisdiction,
    person_description,
    location_text,
    reporter_name="",
    reporter_phone="",
    reporter_email="",
    urgency=Urgency.NORMAL,
    categories=(),
    reporter=None,
    language="zh-hans",
    now=None,
):
    """File a report and start its triage clock; an emergency starts the 救急难 clock
    (the short triage deadline and a notice to the staff of the place and the level
    above at once). Returns the report; ``report.follow_code`` is the reporter's
    code, shown once and stored only as a keyed digest."""
    now = now or timezone.now()
    code = follow_code_new()
    report = _save(
        DiscoveryReport(
            jurisdiction=jurisdiction,
            reporter=reporter if reporter and reporter.is_authenticated else None,
            reporter_name=(reporter_name or "").strip(),
            reporter_phone=normalize_phone(reporter_phone),
            urgency=urgency,
            person_description=person_description.strip(),
            location_text=location_text.strip(),
            categories=list(categories),
            received_at=now,
            triage_due=deadlines.deadline_for(
                purpose=DeadlineRule.Purpose.TRIAGE, urgency=urgency, start=now
            ),
            follow_index=follow_index(code),
        )
    )
    audit_record(
        actor=reporter if reporter and reporter.is_authenticated else None,
        action=AuditEntry.Action.CREATE,
        obj=report,
        after={
            "urgency": urgency,
            "jurisdiction": jurisdiction.code,
            "anonymous": report.anonymous,
        },
    )
    transaction.on_commit(lambda: _filed_notice(report.pk))
    if reporter_email:
        transaction.on_commit(lambda: _follow_code_email(reporter_email, code, language))
    report.follow_code = code
    return report


def _filed_notice(report_id):
    report = DiscoveryReport.objects.select_related("jurisdiction__parent").get(pk=report_id)
    place = report.jurisdiction
    emergency = report.urgency == Urgency.EMERGENCY
    notify(
        kind=EventKind.EMERGENCY,
        users=_staff_of(place) + (_staff_of(place.parent) if place.parent else []),
        subject=_lazy("【救急难】紧急主动发现报告 #%(number)s")
        if emergency
        else _lazy("新的主动发现报告 #%(number)s"),
        body=_lazy("%(place)s 收到一份主动发现报告（%(urgency)s），请在 %(due)s 前完成研判。"),
        params={
            "number": report.pk,
            "place": place.name,
            "urgency": Urgency(report.urgency).label,
            "due": report.triage_due,
        },
        link=reverse("cases_admin_triage", args=[report.pk]),
    )


def _follow_code_email(address, code, language):
    notify_email(
        language=language,
        kind=EventKind.EMERGENCY,
        address=address,
        subject=_lazy("您的主动发现报告查询码"),
        body=_lazy(
            "感谢您报告身边需要帮助的人。您的查询码是 %(code)s，"
            "可在平台“查询报告进度”页面凭此码查看处理情况。请妥善保管，查询码不会再次发送。"
        ),
        params={"code": code},
    )


def discovery_report_follow(*, code):
    """The report a follow code belongs to, or None (also for a malformed code)."""
    normalized = follow_code_normalize(code)
    if len(normalized) != FOLLOW_LENGTH:
        return None
    return DiscoveryReport.objects.filter(follow_index=follow_index(normalized)).first()


def discovery_report_assessing(*, report, actor):
    """Staff opened the report for triage: the reporter now reads "being assessed"."""
    if report.status == DiscoveryReport.Status.PENDING and report.assessing_since is None:
        DiscoveryReport.objects.filter(pk=report.pk, assessing_since__isnull=True).update(
            assessing_since=timezone.now()
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
def discovery_report_dismiss(*, report, actor, reason, public_reason=""):
    """Dismiss with the staff's reason and, for the reporter, one of the public phrasings."""
    report = DiscoveryReport.objects.select_for_update().get(pk=report.pk)
    _triage_check(report, actor, DiscoveryReport.Status.DISMISSED)
    if not reason.strip():
        raise CaseRuleError(_("不予受理必须填写理由。"))
    report.dismissal_reason = reason.strip()
    report.public_reason = public_reason
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
    if report.reporter_id:
        transaction.on_commit(lambda: _outcome_notice(report.pk))


def _outcome_notice(report_id):
    """A signed-in reporter hears the outcome in words: no detail of the person or the case."""
    report = DiscoveryReport.objects.select_related("reporter").get(pk=report_id)
    opened = report.status == DiscoveryReport.Status.CASE_OPENED
    notify(
        kind=EventKind.EMERGENCY,
        users=[report.reporter],
        subject=_lazy("您的主动发现报告 #%(number)s 已处理"),
        body=_lazy("您报告的情况已转为救助申请，由属地工作人员跟进。感谢您的关心。")
        if opened
        else _lazy("经研判，您报告的情况未予受理：%(reason)s。感谢您的关心。"),
        params={
            "number": report.pk,
            "reason": DiscoveryReport.PublicReason(report.public_reason).label
            if report.public_reason
            else _lazy("详情请咨询属地民政部门"),
        },
    )
