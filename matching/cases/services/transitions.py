"""The case status machine: one service validates and records every move."""

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.core.rules import refuse_first
from matching.core.states import Transitions
from matching.notifications.models import EventKind
from matching.notifications.services import notify_phone

from ..access import can_handle_case
from ..models import (
    Case,
    CaseStatus,
    CaseTransition,
    DuplicateFlag,
)
from .base import NotPermitted, TransitionNotAllowed, _save
from .duplicates import case_check_duplicates

# Sent after commit for every transition (``sender`` is Case; ``case_id``,
# ``from_status``, ``to_status``); other subsystems (publication, the matcher)
# react here instead of watching saves.
case_status_changed = Signal()

S = CaseStatus
ALLOWED_TRANSITIONS = Transitions(
    S,
    {
        S.RECEIVED: {S.UNDER_REVIEW, S.REJECTED, S.CLOSED},
        S.UNDER_REVIEW: {S.REFERRED, S.VERIFIED, S.REJECTED},
        S.REFERRED: {S.VERIFIED, S.REJECTED},
        S.VERIFIED: {S.APPROVED, S.REJECTED},
        S.APPROVED: {S.PUBLISHED, S.MATCHED, S.FULFILLED, S.CLOSED},
        S.REJECTED: {S.UNDER_REVIEW, S.CLOSED},
        S.PUBLISHED: {S.MATCHED, S.CLOSED},
        S.MATCHED: {S.FULFILLED, S.PUBLISHED},
        S.FULFILLED: {S.CLOSED},
        S.CLOSED: set(),
    },
    error=TransitionNotAllowed,
    message=_lazy("不能从“%(from)s”变更为“%(to)s”。"),
)
NOTE_REQUIRED = {S.REJECTED, S.CLOSED}
# Rules ``(case, actor, to_status)`` run before every move a person makes and
# return a refusal message or None; governance appends its recusal rule. They
# run outside the move's transaction, so what a rule records about its
# refusal (a recusal) is kept.
TRANSITION_RULES = []


# --- the status machine ------------------------------------------------------


def _check_guards(case, to_status, note):
    if to_status in NOTE_REQUIRED and not note.strip():
        raise TransitionNotAllowed(_("请填写理由：不予批准或办结必须说明原因。"))
    if to_status == S.REFERRED and not case.referrals.exists():
        raise TransitionNotAllowed(_("尚未转办任何部门，不能标记为已转办。"))
    if to_status == S.VERIFIED and not case.verifications.exists():
        raise TransitionNotAllowed(_("尚未完成家庭经济状况核对，不能标记为已核对。"))
    pending = case.duplicate_flags.filter(decision=DuplicateFlag.Decision.PENDING)
    if to_status == S.APPROVED and pending.exists():
        raise TransitionNotAllowed(_("存在待裁定的重复救助提示，请先裁定后再批准。"))


def case_transition(*, case, to_status, actor, note=""):
    """Move ``case`` to ``to_status`` if the map allows it and its guards pass.

    Before an approval the duplicate check runs in its own transaction, so
    the flags it raises survive the refusal and wait for adjudication.
    """
    if actor is not None:
        refuse_first(TRANSITION_RULES, case, actor, to_status, error=NotPermitted)
    if to_status == S.APPROVED and case.status == S.VERIFIED:
        case_check_duplicates(case=case)
    return _case_transition(case=case, to_status=to_status, actor=actor, note=note)


@transaction.atomic
def _case_transition(*, case, to_status, actor, note):
    case = Case.objects.select_for_update().get(pk=case.pk)
    if actor is not None and not can_handle_case(actor, case):
        raise NotPermitted(_("您无权办理该辖区的救助申请。"))
    from_status = ALLOWED_TRANSITIONS.check(case, to_status)
    _check_guards(case, to_status, note)
    now = timezone.now()
    ALLOWED_TRANSITIONS.move(case, to_status)
    case.status_changed_at = now
    if from_status == S.RECEIVED and not case.first_responded_at:
        case.first_responded_at = now
    _save(case)
    CaseTransition.objects.create(
        case=case, from_status=from_status, to_status=to_status, actor=actor, at=now, note=note
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=case,
        before={"status": from_status.value},
        after={"status": to_status},
        summary=f"{from_status.value} → {to_status}",
    )
    if case.contact_phone:
        transaction.on_commit(lambda: _status_sms(case.pk))
    transaction.on_commit(
        lambda: case_status_changed.send(
            sender=Case, case_id=case.pk, from_status=from_status.value, to_status=str(to_status)
        )
    )
    return case


def _status_sms(case_id):
    """The applicant's text: the receipt number and the new status, in Chinese, no name."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None or not case.contact_phone:
        return
    notify_phone(
        kind=EventKind.CASE_STATUS,
        phone=case.contact_phone,
        body=_lazy(
            "【长春市社会救助】您的申请 %(receipt)s 办理进度：%(status)s。"
            "可凭受理编号和手机号后四位查询详情。"
        ),
        params={"receipt": case.receipt_number, "status": S(case.status).label},
    )
