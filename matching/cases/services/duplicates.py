"""Assistance already received and the duplicate-aid check."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record

from matching.core import crypto
from ..access import can_handle_case
from ..models import (
    AssistanceRecord,
    DuplicateFlag,
)
from ..selectors import assistance_overlapping
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
):
    """Record help a person receives; a repeated ``ref`` updates the same record."""
    id_number = normalize_id_number(id_number)
    record = AssistanceRecord.objects.filter(ref=ref).first() if ref else None
    record = record or AssistanceRecord(ref=ref)
    record.id_number, record.category, record.start, record.end = id_number, category, start, end
    record.amount, record.source = amount, source
    record.provider_department = provider_department
    record.provider_organization = provider_organization
    record.full_clean(exclude=["id_index"])
    record.id_index = crypto.blind_index(id_number)
    record.save()
    return record


@transaction.atomic
def case_check_duplicates(*, case):
    """Flag every record of the household's members that overlaps the case: same
    category, a period running on or after the day the case was opened."""
    opened = timezone.localtime(case.opened_at).date()
    flags = []
    for category in case.categories:
        for record in assistance_overlapping(
            household=case.household, category=category, start=opened
        ):
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
    return flags


# Rules ``(flag, actor)`` run before a ruling and return a refusal message or
# None; governance appends its recusal rule. They run outside the ruling's
# transaction, so what a rule records about its refusal (a recusal) is kept.
ADJUDICATION_RULES = []


def duplicate_flag_adjudicate(*, flag, actor, decision, note):
    """Staff rule on a duplicate-aid flag (a real duplicate or not), with a note."""
    current = DuplicateFlag.objects.select_related("case__household").get(pk=flag.pk)
    for rule in ADJUDICATION_RULES:
        refusal = rule(current, actor)
        if refusal:
            raise NotPermitted(refusal)
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
