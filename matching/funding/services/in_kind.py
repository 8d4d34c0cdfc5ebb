"""In-kind gifts: recorded, delivered to a need or a project, confirmed by the household.
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

from ..models import Disbursement, InKindGift, ReceiptConfirmation, VolunteerHours
from ..selectors import match_account_codes
from .confirmations import confirmation_issue, delivery_actor_check
from .transitions import IN_KIND_TRANSITIONS


logger = logging.getLogger(__name__)


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
        delivery_actor_check(gift, actor)
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
            issued = confirmation_issue(in_kind_gift=gift, delivered_at=gift.delivered_at)
            case = gift.need.case
            platform_assistance_record(
                case=case,
                categories=case.categories,
                origin=f"gift:{gift.pk}",
                provider_department=Department.Kind.CIVIL_AFFAIRS,
                amount=Decimal(gift.estimated_value_minor) / 100,
            )
    return gift, issued
