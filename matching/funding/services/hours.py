"""Volunteer hours: logged by the organization's staff, confirmed or rejected.
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
from .transitions import HOURS_TRANSITIONS


logger = logging.getLogger(__name__)




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
    """The volunteer's organization admin confirms or rejects (with a reason); an
    independent volunteer's hours are decided by staff of the need's jurisdiction."""
    profile = profile_get(user=actor)
    with transaction.atomic():
        entry = (
            VolunteerHours.objects.select_for_update().select_related("volunteer").get(pk=entry.pk)
        )
        organization_id = entry.volunteer.organization_id
        if organization_id is None:  # an independent volunteer: the need's staff confirm
            if not can_handle_case(actor, entry.match.need):
                raise PermissionDenied(_("独立志愿者的服务时长由辖区工作人员确认。"))
        elif not (
            profile
            and profile.role == Role.CHARITY_ADMIN
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
