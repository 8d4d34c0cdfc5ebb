"""Assistance already received and the duplicate-aid check.

Assistance counts wherever it came from: records a department or an import
entered, and help given through the platform itself (an approved match, a
payout, an in-kind gift, volunteer service), which ``platform_assistance_record``
writes as a record with source "platform" and a link to its case. Another
application by a member of the household (the same ID number, in any
household, any district) is flagged too, at intake and before approval.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record

from matching.core.rules import refuse_first
from matching.core import crypto
from ..access import can_handle_case
from ..models import (
    AssistanceRecord,
    DuplicateFlag,
    Member,
)
from ..selectors import assistance_overlapping, case_other_applications
from matching.core.validators import normalize_id_number
from .base import CaseRuleError, NotPermitted, _save, _snapshot

# --- assistance records and duplicates -------------------------------------------


@transaction.atomic
def assistance_record_submit(
    *,
    id_number,
    category,
    start,
    source,
    end=None,
    amount=None,
    provider_department="",
    provider_organization=None,
    ref=None,
    case=None,
):
    """Record help a person receives; a repeated ``ref`` updates the same record."""
    id_number = normalize_id_number(id_number)
    record = AssistanceRecord.objects.filter(ref=ref).first() if ref else None
    record = record or AssistanceRecord(ref=ref)
    record.id_number, record.category, record.start, record.end = id_number, category, start, end
    record.amount, record.source = amount, source
    record.provider_department = provider_department
    record.provider_organization = provider_organization
    record.case = case
    record.full_clean(exclude=["id_index"])
    record.id_index = crypto.blind_index(id_number)
    record.save()
    return record


def _applicant(household):
    """The member help is recorded against: the applicant (本人), else the first member."""
    members = household.members.order_by("pk")
    return members.filter(relation=Member.Relation.SELF).first() or members.first()


@transaction.atomic
def platform_assistance_record(
    *,
    case,
    categories,
    origin,
    provider_organization=None,
    provider_department="",
    amount=None,
    day=None,
):
    """Help given through the platform for ``case`` counts as assistance received.

    One record per category, on the household's applicant, running
    ``PLATFORM_ASSISTANCE_DAYS`` from ``day`` (today); ``origin`` names what gave
    it ("match:12", "gift:3") and a repeat updates the same records. The amount
    (yuan) goes on the first category's record only, so that it counts once.
    """
    member = _applicant(case.household)
    if member is None:
        return []
    start = day or timezone.localdate()
    end = start + dt.timedelta(days=settings.PLATFORM_ASSISTANCE_DAYS - 1)
    records = []
    for position, category in enumerate(dict.fromkeys(categories)):
        records.append(
            assistance_record_submit(
                id_number=member.id_number,
                category=category,
                start=start,
                end=end,
                source=AssistanceRecord.Source.PLATFORM,
                amount=amount if position == 0 else None,
                provider_department=provider_department,
                provider_organization=provider_organization,
                ref=f"platform:{origin}:{category}",
                case=case,
            )
        )
    return records


def platform_assistance_withdraw(*, origin):
    """Help that did not happen after all (a withdrawn match) no longer counts."""
    AssistanceRecord.objects.filter(
        source=AssistanceRecord.Source.PLATFORM, ref__startswith=f"platform:{origin}:"
    ).delete()


@transaction.atomic
def case_check_reapplications(*, case):
    """Flag every other application by a member of the case's household: the same
    ID number in any household, any district (another case of this household too)."""
    flags = []
    for other in case_other_applications(case=case):
        shared = [c for c in case.categories if c in other.categories]
        category = (shared or list(case.categories))[0]
        flag, created = DuplicateFlag.objects.get_or_create(
            case=case, other_case=other, defaults={"category": category}
        )
        if created:
            audit_record(
                actor=None,
                action=AuditEntry.Action.CREATE,
                obj=flag,
                summary="re-application found",
                after={"case": case.pk, "other_case": other.pk},
            )
        flags.append(flag)
    return flags


@transaction.atomic
def case_check_duplicates(*, case):
    """Flag every record of the household's members that overlaps the case (same
    category, a period running on or after the day the case was opened; help the
    platform gave for this very case aside), and every other application."""
    opened = timezone.localtime(case.opened_at).date()
    flags = []
    for category in case.categories:
        overlapping = assistance_overlapping(
            household=case.household, category=category, start=opened
        ).exclude(case=case)
        for record in overlapping:
            flag, created = DuplicateFlag.objects.get_or_create(
                case=case, record=record, defaults={"category": category}
            )
            if created:
                audit_record(
                    actor=None,
                    action=AuditEntry.Action.CREATE,
                    obj=flag,
                    after={"case": case.pk, "record": record.pk, "category": category},
                )
            flags.append(flag)
    return flags + case_check_reapplications(case=case)


# Rules ``(flag, actor)`` run before a ruling and return a refusal message or
# None; governance appends its recusal rule. They run outside the ruling's
# transaction, so what a rule records about its refusal (a recusal) is kept.
ADJUDICATION_RULES = []


def duplicate_flag_adjudicate(*, flag, actor, decision, note):
    """Staff rule on a duplicate-aid flag (a real duplicate or not), with a note."""
    current = DuplicateFlag.objects.select_related("case__household").get(pk=flag.pk)
    refuse_first(ADJUDICATION_RULES, current, actor, error=NotPermitted)
    return _adjudicate(flag=flag, actor=actor, decision=decision, note=note)


@transaction.atomic
def _adjudicate(*, flag, actor, decision, note):
    flag = DuplicateFlag.objects.select_for_update().select_related("case").get(pk=flag.pk)
    if not can_handle_case(actor, flag.case):
        raise NotPermitted(_("您无权办理该辖区的救助申请。"))
    if decision == DuplicateFlag.Decision.PENDING or not note.strip():
        raise CaseRuleError(_("请选择裁定结果并填写裁定说明。"))
    before = _snapshot(flag, "decision")
    flag.decision, flag.note = decision, note.strip()
    flag.decided_at, flag.decided_by = timezone.now(), actor
    _save(flag)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.TRANSITION,
        obj=flag,
        before=before,
        after={"decision": decision},
    )
    return flag
