"""Disbursement: staff pay out of an earmarked ledger account toward an
approved match. Every refusal is a ``ValidationError`` (bad request) or a
``PermissionDenied`` (wrong person) with a Chinese message; every step is
audited; the ledger posting is keyed by the disbursement's id, so a retried
post never pays twice.
"""

import datetime
import hmac
import logging
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.cases.access import can_handle_case
from matching.cases.services import platform_assistance_record
from matching.core.rules import refuse_first
from matching.core.errors import DomainError
from matching.core.states import Transitions
from matching.directory.models import STAFF_ROLES, Department, Role
from matching.directory.selectors import profile_get, staff_profile
from matching.ledger.models import Account, Transaction
from matching.ledger.money import format_yuan, yuan_to_minor
from matching.ledger.selectors import account_balance
from matching.ledger.services import account_open, transaction_post
from matching.offers.models import Match, MatchStatus
from matching.notifications.models import EventKind
from matching.notifications.services import notify
from matching.offers.services import match_assistance_record

from ..models import Disbursement, InKindGift, ReceiptConfirmation, VolunteerHours
from ..selectors import match_account_codes
from .confirmations import confirmation_issue
from .government import government_money_for_its_purpose
from .transitions import DISBURSEMENT_TRANSITIONS


logger = logging.getLogger(__name__)

DISBURSED_CODE = "disbursed"
OPEN_STATUSES = (Disbursement.Status.REQUESTED, Disbursement.Status.APPROVED)


# --- rules run on request and on approval --------------------------------------------


def _match_is_approved(disbursement, actor):
    if disbursement.match.status != MatchStatus.APPROVED:
        return _("只能为已批准的匹配拨付资金。")
    return None


def _account_belongs_to_match(disbursement, actor):
    # 专款专用: a need's money pays that need's match, a project's or fund's
    # money pays a match with that project or fund; nothing else.
    if disbursement.account.code not in match_account_codes(match=disbursement.match):
        return _("该账户的善款已定向用于其他求助或项目，不能用于本匹配。")
    return None


def _actor_handles_the_case(disbursement, actor):
    if not can_handle_case(actor, disbursement.match.need):
        return _("您无权办理该辖区的拨付。")
    return None


# Each rule: (disbursement, actor) -> a refusal message or None. Governance
# appends its own (e.g. the near-relative recusal rule); every rule is run.
DISBURSEMENT_RULES = []
_BUILT_IN_RULES = [
    _actor_handles_the_case,
    _match_is_approved,
    _account_belongs_to_match,
    government_money_for_its_purpose,
]


def _run_rules(disbursement, actor, rules=None):
    refuse_first(_BUILT_IN_RULES if rules is None else rules, disbursement, actor)


def _run_extension_rules(disbursement, actor):
    """The rules other capabilities add, run BEFORE the caller's transaction.

    A rule may record why it refused (the recusal rule writes a Recusal and
    an audit entry); inside the atomic block its record would be rolled back
    with the refusal.
    """
    _run_rules(disbursement, actor, rules=list(DISBURSEMENT_RULES))


def _probe(disbursement):
    return Disbursement.objects.select_related("match__need", "account").get(pk=disbursement.pk)


def needs_second_approval(*, amount_minor):
    return amount_minor > settings.DISBURSEMENT_SECOND_APPROVAL_MINOR


# --- amounts -----------------------------------------------------------------------


def _available_minor(*, account, excluding=None):
    """Balance less what open (requested, approved) disbursements will take."""
    reserved = Disbursement.objects.filter(account=account, status__in=OPEN_STATUSES)
    if excluding is not None:
        reserved = reserved.exclude(pk=excluding.pk)
    held = reserved.aggregate(total=Sum("amount_minor"))["total"] or 0
    return account_balance(account=account) - held


def _match_room_minor(*, match, excluding=None):
    """What the match may still receive: its approved amount less payouts; None = no cap."""
    if match.amount is None:
        return None
    paid = Disbursement.objects.filter(
        match=match, status__in=(*OPEN_STATUSES, Disbursement.Status.POSTED)
    )
    if excluding is not None:
        paid = paid.exclude(pk=excluding.pk)
    total = paid.aggregate(total=Sum("amount_minor"))["total"] or 0
    return yuan_to_minor(match.amount) - total


def _check_amount(disbursement):
    available = _available_minor(account=disbursement.account, excluding=disbursement)
    if disbursement.amount_minor > available:
        raise ValidationError(
            _("拨付金额超过该账户可用余额（%(available)s）。")
            % {"available": format_yuan(max(available, 0))}
        )
    room = _match_room_minor(match=disbursement.match, excluding=disbursement)
    if room is not None and disbursement.amount_minor > room:
        raise ValidationError(
            _("拨付金额超过该匹配批准的资助金额（尚可拨付%(room)s）。")
            % {"room": format_yuan(max(room, 0))}
        )


def _locked_account(account):
    return Account.objects.select_for_update().get(pk=account.pk)


# --- disbursement ------------------------------------------------------------------


def disbursement_request(
    *,
    match,
    account,
    amount_minor,
    payee_kind,
    payee_name,
    actor,
    invoice_number="",
    evidence=None,
    note="",
):
    """Record a payout request; at or below the threshold it is ready to post."""
    if type(amount_minor) is not int or amount_minor <= 0:
        raise ValidationError(_("拨付金额必须是大于零的整数（分）。"))
    if not invoice_number.strip() and evidence is None:
        raise ValidationError(_("请填写发票/凭证号或上传凭证文件。"))
    _run_extension_rules(
        Disbursement(
            match=Match.objects.select_related("need").get(pk=match.pk),
            account=account,
            amount_minor=amount_minor,
            requested_by=actor,
        ),
        actor,
    )
    with transaction.atomic():
        # The account row lock serializes requests against one balance.
        account = _locked_account(account)
        match = Match.objects.select_related("need").get(pk=match.pk)
        disbursement = Disbursement(
            match=match,
            account=account,
            amount_minor=amount_minor,
            payee_kind=payee_kind,
            payee_name=payee_name.strip(),
            invoice_number=invoice_number.strip(),
            evidence=evidence,
            note=note.strip(),
            requested_by=actor,
        )
        _run_rules(disbursement, actor)
        _check_amount(disbursement)
        if not needs_second_approval(amount_minor=amount_minor):
            DISBURSEMENT_TRANSITIONS.move(disbursement, Disbursement.Status.APPROVED)
        disbursement.full_clean()
        disbursement.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=disbursement,
            summary=f"disbursement requested {amount_minor} fen from {account.code}",
            after={"status": disbursement.status, "amount_minor": amount_minor},
        )
        if disbursement.status == Disbursement.Status.REQUESTED:
            transaction.on_commit(lambda: _second_approver_notice(disbursement.pk))
    return disbursement


def _second_approver_notice(disbursement_id):
    """A payout above the threshold waits for a second staff member of the case's levels."""
    disbursement = Disbursement.objects.select_related("match__need__jurisdiction").get(
        pk=disbursement_id
    )
    need = disbursement.match.need
    codes = need.jurisdiction.path.split("/")
    users = [
        u
        for u in get_user_model().objects.filter(
            profile__role__in=STAFF_ROLES, profile__jurisdiction_id__in=codes, is_active=True
        )
        if u.pk != disbursement.requested_by_id
    ]
    notify(
        kind=EventKind.DISBURSEMENT,
        users=users,
        subject=_lazy("拨付待复核：%(receipt)s"),
        body=_lazy("受理编号 %(receipt)s 的拨付 %(amount)s 超过单人审批限额，请另一名工作人员复核。"),
        params={"receipt": need.receipt_number, "amount": format_yuan(disbursement.amount_minor)},
    )


def _locked_disbursement(disbursement):
    return (
        # Only this row: locking the joined match or account here would take
        # locks in another order than a request does (account first), and
        # deadlock against it. The account is locked separately, after.
        Disbursement.objects.select_for_update(of=("self",))
        .select_related("match__need", "account")
        .get(pk=disbursement.pk)
    )


def _transition(disbursement, *, actor, to_status, summary, **fields):
    before = DISBURSEMENT_TRANSITIONS.move(disbursement, to_status)
    for name, value in fields.items():
        setattr(disbursement, name, value)
    disbursement.full_clean()
    disbursement.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=disbursement,
        summary=summary,
        before={"status": before},
        after={"status": to_status},
    )
    return disbursement


def disbursement_approve(*, disbursement, actor):
    """The second pair of eyes: a different staff member approves a large payout."""
    _run_extension_rules(_probe(disbursement), actor)
    with transaction.atomic():
        disbursement = _locked_disbursement(disbursement)
        DISBURSEMENT_TRANSITIONS.check(disbursement, Disbursement.Status.APPROVED)
        if actor.pk == disbursement.requested_by_id:
            raise PermissionDenied(_("申请人不能复核自己的拨付申请，请由另一名工作人员复核。"))
        _run_rules(disbursement, actor)
        _locked_account(disbursement.account)
        _check_amount(disbursement)
        return _transition(
            disbursement,
            actor=actor,
            to_status=Disbursement.Status.APPROVED,
            summary="disbursement approved (second approver)",
            approved_by=actor,
            approved_at=timezone.now(),
        )


def disbursement_post(*, disbursement, actor):
    """Move the money: earmarked account -> ``disbursed``, once.

    Returns (disbursement, code): ``code`` is the household's one-time
    receipt code, shown once (None when the payout was already posted).
    """
    _run_extension_rules(_probe(disbursement), actor)
    with transaction.atomic():
        disbursement = _locked_disbursement(disbursement)
        if disbursement.status == Disbursement.Status.POSTED:
            return disbursement, None
        DISBURSEMENT_TRANSITIONS.check(disbursement, Disbursement.Status.POSTED)
        if staff_profile(actor) is None or not can_handle_case(actor, disbursement.match.need):
            raise PermissionDenied(_("您无权办理该辖区的拨付。"))
        if disbursement.match.status != MatchStatus.APPROVED:
            raise PermissionDenied(_("只能为已批准的匹配拨付资金。"))
        account = _locked_account(disbursement.account)
        if disbursement.amount_minor > account_balance(account=account):
            raise ValidationError(_("该账户余额不足，不能拨付。"))
        posted, _created = transaction_post(
            kind=Transaction.Kind.DISBURSEMENT,
            idempotency_key=f"disbursement-{disbursement.pk}",
            lines=[
                (account, -disbursement.amount_minor),
                (
                    account_open(code=DISBURSED_CODE, kind=Account.Kind.DISBURSED),
                    disbursement.amount_minor,
                ),
            ],
            memo=f"disbursement {disbursement.pk} match {disbursement.match_id}",
            created_by=actor,
        )
        now = timezone.now()
        disbursement = _transition(
            disbursement,
            actor=actor,
            to_status=Disbursement.Status.POSTED,
            summary=f"disbursement posted {disbursement.amount_minor} fen",
            posted_by=actor,
            posted_at=now,
            transaction=posted,
        )
        _paid_counts_as_assistance(disbursement.match)
        code = confirmation_issue(disbursement=disbursement, delivered_at=now)
    return disbursement, code


def _paid_counts_as_assistance(match):
    """What the platform paid for a match is assistance received (its record's amount)."""
    paid = Disbursement.objects.filter(match=match, status=Disbursement.Status.POSTED)
    total = paid.aggregate(total=Sum("amount_minor"))["total"] or 0
    match_assistance_record(match=match, amount=Decimal(total) / 100)


def disbursement_cancel(*, disbursement, actor, reason):
    if not reason.strip():
        raise ValidationError(_("撤销拨付必须填写理由。"))
    with transaction.atomic():
        disbursement = _locked_disbursement(disbursement)
        DISBURSEMENT_TRANSITIONS.check(disbursement, Disbursement.Status.CANCELLED)
        if not can_handle_case(actor, disbursement.match.need):
            raise PermissionDenied(_("您无权办理该辖区的拨付。"))
        return _transition(
            disbursement,
            actor=actor,
            to_status=Disbursement.Status.CANCELLED,
            summary=f"disbursement cancelled: {reason.strip()[:120]}",
        )
