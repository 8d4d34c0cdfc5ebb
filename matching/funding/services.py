"""Writes for money out and what follows a gift.

Disbursement: staff pay out of an earmarked ledger account toward an
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
from matching.core.errors import DomainError
from matching.core.states import Transitions
from matching.directory.models import Department, Role
from matching.directory.selectors import profile_get, staff_profile
from matching.ledger.models import Account, Transaction
from matching.ledger.money import format_yuan, yuan_to_minor
from matching.ledger.selectors import account_balance
from matching.ledger.services import account_open, transaction_post
from matching.offers.models import Match, MatchStatus
from matching.offers.services import match_assistance_record

from .models import Disbursement, InKindGift, ReceiptConfirmation, VolunteerHours
from .selectors import match_account_codes

logger = logging.getLogger(__name__)

DISBURSED_CODE = "disbursed"
OPEN_STATUSES = (Disbursement.Status.REQUESTED, Disbursement.Status.APPROVED)

_D, _G, _H = Disbursement.Status, InKindGift.Status, VolunteerHours.Status
DISBURSEMENT_TRANSITIONS = Transitions(
    _D,
    {
        _D.REQUESTED: {_D.APPROVED, _D.CANCELLED},
        _D.APPROVED: {_D.POSTED, _D.CANCELLED},
        _D.POSTED: set(),
        _D.CANCELLED: set(),
    },
    messages={
        _D.APPROVED: _lazy("该拨付不在待复核状态。"),
        _D.POSTED: _lazy("该拨付尚未通过复核，不能拨付。"),
        _D.CANCELLED: _lazy("只能撤销尚未拨付的申请。"),
    },
)
# Delivered goods to a need are confirmed by the household's receipt code.
IN_KIND_TRANSITIONS = Transitions(
    _G,
    {_G.PENDING: {_G.DELIVERED}, _G.DELIVERED: {_G.CONFIRMED}, _G.CONFIRMED: set()},
    messages={_G.DELIVERED: _lazy("该物资已登记送达。")},
)
HOURS_TRANSITIONS = Transitions(
    _H,
    {_H.LOGGED: {_H.CONFIRMED, _H.REJECTED}, _H.CONFIRMED: set(), _H.REJECTED: set()},
    message=_lazy("该记录已处理。"),
)


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
_BUILT_IN_RULES = [_actor_handles_the_case, _match_is_approved, _account_belongs_to_match]


def _run_rules(disbursement, actor, rules=None):
    for rule in _BUILT_IN_RULES if rules is None else rules:
        refusal = rule(disbursement, actor)
        if refusal:
            raise PermissionDenied(refusal)


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
    return disbursement


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
        code = _confirmation_issue(disbursement=disbursement, delivered_at=now)
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


# --- the household's confirmation of receipt ---------------------------------------------


def _code_hash(reference, code):
    return salted_hmac(
        "funding.receipt-code", f"{reference}:{code}", algorithm="sha256"
    ).hexdigest()


def new_code():
    return f"{secrets.randbelow(1_000_000):06d}"


def _confirmation_issue(*, delivered_at, disbursement=None, in_kind_gift=None):
    """A fresh one-time code for a delivery; returns the code (shown once)."""
    code = new_code()
    now = timezone.now()
    confirmation = ReceiptConfirmation.objects.filter(
        disbursement=disbursement, in_kind_gift=in_kind_gift
    ).first() or ReceiptConfirmation(
        disbursement=disbursement, in_kind_gift=in_kind_gift, delivered_at=delivered_at
    )
    if confirmation.confirmed_at is not None:
        raise ValidationError(_("受助方已确认收到，无需重新发码。"))
    confirmation.code_hash = _code_hash(confirmation.reference, code)
    confirmation.issued_at = now
    confirmation.expires_at = now + datetime.timedelta(days=settings.CONFIRMATION_CODE_VALID_DAYS)
    confirmation.failed_attempts = 0
    confirmation.full_clean()
    confirmation.save()
    return confirmation.reference, code


def confirmation_reissue(*, confirmation, actor):
    """A new code for the same delivery (the old one stops working); audited."""
    with transaction.atomic():
        confirmation = ReceiptConfirmation.objects.select_for_update().get(pk=confirmation.pk)
        delivery = confirmation.disbursement or confirmation.in_kind_gift
        _check_delivery_actor(delivery, actor)
        issued = _confirmation_issue(
            delivered_at=confirmation.delivered_at,
            disbursement=confirmation.disbursement,
            in_kind_gift=confirmation.in_kind_gift,
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=confirmation,
            summary="receipt code reissued",
        )
    return issued


def confirmation_send_sms(*, confirmation, actor):
    """Reissue the code and text it to the case's contact phone."""
    from .sms import confirmation_sms_sender

    reference, code = confirmation_reissue(confirmation=confirmation, actor=actor)
    case = _case_of(confirmation.disbursement or confirmation.in_kind_gift)
    if case is None or not case.contact_phone:
        raise ValidationError(_("该申请没有登记联系电话，请当面告知确认码。"))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        obj=case,
        summary="contact phone read to send a receipt code",
    )
    text = _(
        "【社会救助】您的受助确认编号%(reference)s，确认码%(code)s，请在平台“确认收到”页面输入。"
    ) % {
        "reference": reference,
        "code": code,
    }
    confirmation_sms_sender().send(phone=case.contact_phone, text=text, reference=reference)
    return reference


class ConfirmationRefused(DomainError, ValidationError):
    """One message for every failure: nothing tells a guesser what was wrong."""


GENERIC_REFUSAL = _("确认编号或确认码不正确，或已失效。")


def confirmation_confirm(*, reference, code):
    """The household confirms receipt; a wrong code counts toward the lockout."""
    reference = (reference or "").strip().upper()
    code = (code or "").strip()
    with transaction.atomic():
        confirmation = (
            ReceiptConfirmation.objects.select_for_update().filter(reference=reference).first()
        )
        if confirmation is None:
            refused = True
        elif confirmation.confirmed_at is not None:
            return confirmation
        else:
            refused = not _code_matches(confirmation, code)
            if refused and not confirmation.locked:
                # Committed although we refuse: the lockout must count it.
                confirmation.failed_attempts += 1
                confirmation.save(update_fields=["failed_attempts"])
            elif not refused:
                _confirmed(confirmation)
    if refused:
        raise ConfirmationRefused(str(GENERIC_REFUSAL))
    return confirmation


def _code_matches(confirmation, code):
    if confirmation.locked or confirmation.expires_at <= timezone.now():
        return False
    return hmac.compare_digest(confirmation.code_hash, _code_hash(confirmation.reference, code))


def _confirmed(confirmation):
    confirmation.confirmed_at = timezone.now()
    confirmation.save(update_fields=["confirmed_at"])
    if confirmation.in_kind_gift_id:
        InKindGift.objects.filter(
            pk=confirmation.in_kind_gift_id,
            status__in=IN_KIND_TRANSITIONS.sources(InKindGift.Status.CONFIRMED),
        ).update(status=InKindGift.Status.CONFIRMED)
    audit_record(
        actor=None,
        action=AuditEntry.Action.TRANSITION,
        obj=confirmation,
        summary="receipt confirmed by the beneficiary",
    )


def _case_of(delivery):
    if isinstance(delivery, Disbursement):
        return delivery.match.need
    if delivery.need_id:
        return delivery.need.case
    return None


def _check_delivery_actor(delivery, actor):
    case = _case_of(delivery)
    allowed = can_handle_case(actor, case) if case is not None else staff_profile(actor) is not None
    if not allowed:
        raise PermissionDenied(_("您无权办理该辖区的事项。"))


def _supervisors_of(case):
    """Staff above or at the case's district: who is told of an overdue confirmation."""
    from django.contrib.auth import get_user_model

    district_path = "/".join(case.jurisdiction.path.split("/")[:2])
    users = (
        get_user_model()
        .objects.filter(profile__role__in=[Role.DISTRICT_STAFF, Role.CITY_STAFF], is_active=True)
        .select_related("profile__jurisdiction")
    )
    return [u for u in users if district_path.startswith(u.profile.jurisdiction.path)]


def confirmations_flag_overdue(*, now=None):
    """Flag deliveries still unconfirmed past the deadline and tell supervisors.

    Returns the confirmations flagged now (each is flagged once).
    """
    from matching.core.notifications import notify

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.CONFIRMATION_DEADLINE_DAYS)
    overdue = ReceiptConfirmation.objects.filter(
        confirmed_at__isnull=True, flagged_at__isnull=True, delivered_at__lt=cutoff
    ).select_related("disbursement__match__need__jurisdiction", "in_kind_gift__need__case")
    flagged = []
    for confirmation in overdue:
        with transaction.atomic():
            updated = ReceiptConfirmation.objects.filter(
                pk=confirmation.pk, flagged_at__isnull=True
            ).update(flagged_at=now)
            if not updated:
                continue
            confirmation.flagged_at = now
            audit_record(
                actor=None,
                action=AuditEntry.Action.TRANSITION,
                obj=confirmation,
                summary="receipt unconfirmed past the deadline: flagged to supervisors",
            )
            flagged.append(confirmation)
            case = _case_of(confirmation.disbursement or confirmation.in_kind_gift)
            if case is not None:
                users = _supervisors_of(case)
                body = _(
                    "受助确认编号%(reference)s（案件%(receipt)s）交付已超过%(days)s天仍未确认收到，请核查。"
                ) % {
                    "reference": confirmation.reference,
                    "receipt": case.receipt_number,
                    "days": settings.CONFIRMATION_DEADLINE_DAYS,
                }
                transaction.on_commit(
                    lambda users=users, body=body: notify(
                        users=users, subject=str(_("受助确认逾期提醒")), body=body
                    )
                )
    return flagged


# --- in-kind gifts ----------------------------------------------------------------------


def in_kind_gift_record(
    *,
    actor,
    items,
    quantity,
    unit,
    estimated_value_minor,
    need=None,
    project=None,
    donor_name="",
    anonymous=True,
):
    if staff_profile(actor) is None:
        raise PermissionDenied(_("只有民政工作人员可以登记物资捐赠。"))
    if type(estimated_value_minor) is not int:
        raise ValidationError(_("金额必须是以分为单位的整数。"))
    if (need is None) == (project is None):
        raise ValidationError(_("请选择一个受赠对象：求助或帮扶项目（二选一）。"))
    if need is not None and not can_handle_case(actor, need.case):
        raise PermissionDenied(_("您无权办理该辖区的事项。"))
    gift = InKindGift(
        items=items.strip(),
        quantity=quantity,
        unit=unit.strip(),
        estimated_value_minor=estimated_value_minor,
        need=need,
        project=project,
        donor_name=donor_name.strip(),
        anonymous=anonymous,
        recorded_by=actor,
    )
    with transaction.atomic():
        gift.full_clean()
        gift.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=gift,
            summary=f"in-kind gift recorded, value {estimated_value_minor} fen",
        )
    return gift


def in_kind_gift_deliver(*, gift, actor):
    """Mark the goods delivered; a gift to a need gets the household's receipt code.

    Returns (gift, issued) where ``issued`` is (reference, code) or None.
    """
    with transaction.atomic():
        gift = (
            InKindGift.objects.select_for_update(of=("self",))
            .select_related("need__case")
            .get(pk=gift.pk)
        )
        IN_KIND_TRANSITIONS.check(gift, InKindGift.Status.DELIVERED)
        _check_delivery_actor(gift, actor)
        before = IN_KIND_TRANSITIONS.move(gift, InKindGift.Status.DELIVERED)
        gift.delivered_at = timezone.now()
        gift.save(update_fields=["status", "delivered_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.TRANSITION,
            obj=gift,
            summary="in-kind gift delivered",
            before={"status": before},
            after={"status": InKindGift.Status.DELIVERED},
        )
        issued = None
        if gift.need_id:
            issued = _confirmation_issue(in_kind_gift=gift, delivered_at=gift.delivered_at)
            case = gift.need.case
            platform_assistance_record(
                case=case,
                categories=case.categories,
                origin=f"gift:{gift.pk}",
                provider_department=Department.Kind.CIVIL_AFFAIRS,
                amount=Decimal(gift.estimated_value_minor) / 100,
            )
    return gift, issued


# --- volunteer hours --------------------------------------------------------------------


def volunteer_hours_log(*, volunteer, match, date, hours, actor, note=""):
    """The volunteer themselves, or staff of the need's jurisdiction, log hours."""
    is_self = volunteer.user_id is not None and volunteer.user_id == actor.pk
    if not is_self and not can_handle_case(actor, match.need):
        raise PermissionDenied(_("只能由志愿者本人或辖区工作人员登记服务时长。"))
    if match.volunteer_id != volunteer.pk:
        raise ValidationError(_("该匹配不是这名志愿者的服务对接。"))
    if match.status != MatchStatus.APPROVED:
        raise ValidationError(_("只能为已批准的匹配登记服务时长。"))
    if date > timezone.localdate():
        raise ValidationError(_("服务日期不能晚于今天。"))
    entry = VolunteerHours(
        volunteer=volunteer, match=match, date=date, hours=hours, note=note.strip(), logged_by=actor
    )
    with transaction.atomic():
        entry.full_clean()
        entry.save()
        audit_record(
            actor=actor, action=AuditEntry.Action.CREATE, obj=entry, summary=f"{hours} hours logged"
        )
    return entry


def volunteer_hours_decide(*, entry, actor, confirm, reason=""):
    """The volunteer's organization admin confirms or rejects (with a reason)."""
    profile = profile_get(user=actor)
    with transaction.atomic():
        entry = (
            VolunteerHours.objects.select_for_update().select_related("volunteer").get(pk=entry.pk)
        )
        organization_id = entry.volunteer.organization_id
        if not (
            profile
            and profile.role == Role.CHARITY_ADMIN
            and organization_id is not None
            and profile.organization_id == organization_id
        ):
            raise PermissionDenied(_("只有志愿者所属组织的管理员可以确认服务时长。"))
        to_status = VolunteerHours.Status.CONFIRMED if confirm else VolunteerHours.Status.REJECTED
        HOURS_TRANSITIONS.check(entry, to_status)
        if not confirm and not reason.strip():
            raise ValidationError(_("驳回必须填写理由。"))
        before = HOURS_TRANSITIONS.move(entry, to_status)
        entry.decided_by, entry.decided_at = actor, timezone.now()
        entry.decision_reason = reason.strip()
        entry.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        if confirm:  # service given: it counts as assistance (kept if the match is)
            match_assistance_record(match=entry.match)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.TRANSITION,
            obj=entry,
            summary=f"volunteer hours {entry.status}",
            before={"status": before},
            after={"status": entry.status},
        )
    return entry
