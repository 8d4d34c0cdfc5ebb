"""The household's confirmation of receipt: a one-time code per delivery
(a payout or goods), its reissue and text message, and the flag on deliveries
not confirmed in time.
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
from matching.core.errors import DomainError
from matching.core.states import Transitions
from matching.directory.models import Department, Role
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
from ..sms import confirmation_sms_sender
from .transitions import IN_KIND_TRANSITIONS


logger = logging.getLogger(__name__)

# --- the household's confirmation of receipt ---------------------------------------------


def _code_hash(reference, code):
    return salted_hmac(
        "funding.receipt-code", f"{reference}:{code}", algorithm="sha256"
    ).hexdigest()


def new_code():
    return f"{secrets.randbelow(1_000_000):06d}"


def confirmation_issue(*, delivered_at, disbursement=None, in_kind_gift=None):
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
        delivery_actor_check(delivery, actor)
        issued = confirmation_issue(
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


def delivery_actor_check(delivery, actor):
    case = _case_of(delivery)
    allowed = can_handle_case(actor, case) if case is not None else staff_profile(actor) is not None
    if not allowed:
        raise PermissionDenied(_("您无权办理该辖区的事项。"))


def _supervisors_of(case):
    """Staff above or at the case's district: who is told of an overdue confirmation."""
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
                transaction.on_commit(
                    lambda users=_supervisors_of(case), params={
                        "reference": confirmation.reference,
                        "receipt": case.receipt_number,
                        "days": settings.CONFIRMATION_DEADLINE_DAYS,
                    }: notify(
                        kind=EventKind.DISBURSEMENT,
                        users=users,
                        subject=_lazy("受助确认逾期提醒"),
                        body=_lazy(
                            "受助确认编号%(reference)s（案件%(receipt)s）交付已超过%(days)s天仍未确认收到，请核查。"
                        ),
                        params=params,
                    )
                )
    return flagged
