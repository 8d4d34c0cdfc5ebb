"""Household economic verification against local standards."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record

from matching.core.rules import refuse_first
from matching.core import crypto
from .. import eligibility, freshness
from ..access import can_handle_case
from ..models import (
    EconomicRecord,
    Member,
    Verification,
)
from ..selectors import local_standard_get
from matching.core.validators import normalize_id_number
from .base import CaseRuleError, NotPermitted, _save
from .freshness import refresh_requests_answer

# --- verification ---------------------------------------------------------------


def household_for_id_number(id_number):
    """The most recent household with a member holding ``id_number``, or None."""
    member = Member.objects.filter(id_index=crypto.blind_index(normalize_id_number(id_number)))
    member = member.select_related("household").order_by("-household_id").first()
    return member.household if member else None


@transaction.atomic
def economic_record_submit(*, department, id_number, kind, label, amount, as_of, ref=None):
    """Income or asset data from a department; a repeated ``ref`` replaces the old value."""
    household = household_for_id_number(id_number)
    if household is None:
        raise CaseRuleError(_("未找到该身份证号码对应的家庭。"))
    as_of = EconomicRecord._meta.get_field("as_of").to_python(as_of)
    if as_of > timezone.localdate():
        raise CaseRuleError(_("数据日期不能晚于今天。"), field="as_of")
    record = EconomicRecord.objects.filter(department=department, ref=ref).first() if ref else None
    record = record or EconomicRecord(department=department, ref=ref or "")
    record.household, record.kind, record.label = household, kind, label
    record.amount, record.as_of = amount, as_of
    # A replaced record is received again: the refresh schedule counts from here.
    record.received_at = timezone.now()
    _save(record)
    refresh_requests_answer(household=household, department=department)
    return record


# Each rule ``(case, actor)`` returns a refusal message or None; governance
# appends its recusal rule. Rules run outside the verification's transaction,
# so what a rule records about its refusal (a recusal) is kept.
VERIFICATION_RULES = []


def case_verify(*, case, actor, year=None):
    """Compute eligibility against the local standard and record it on the case."""
    if actor is not None and not can_handle_case(actor, case):
        raise NotPermitted(_("您无权办理该辖区的救助申请。"))
    if actor is not None:
        refuse_first(VERIFICATION_RULES, case, actor, error=NotPermitted)
    return _verify(case=case, actor=actor, year=year)


@transaction.atomic
def _verify(*, case, actor, year):
    year = year or timezone.localdate().year
    standard = local_standard_get(jurisdiction=case.jurisdiction, year=year)
    if standard is None:
        raise CaseRuleError(_("%(year)s 年度尚未配置本辖区的低保标准。") % {"year": year})
    household = case.household
    size = household.members.count()
    if size == 0:
        raise CaseRuleError(_("家庭成员尚未登记，无法核对。"))
    records = freshness.current(list(household.economic_records.select_related("department")))
    stale = freshness.stale(records)
    result = eligibility.compute(
        household_size=size,
        incomes=[r.amount for r in records if r.kind == EconomicRecord.Kind.INCOME],
        assets=[r.amount for r in records if r.kind == EconomicRecord.Kind.ASSET],
        line=standard.monthly_line_per_person,
        asset_limit_per_person=standard.asset_limit_per_person,
        standard_label=f"{standard.jurisdiction.name} {standard.year}",
    )
    pending = any(found.holds_verification for found in stale)
    verification = _save(
        Verification(
            case=case,
            standard=standard,
            household_size=size,
            monthly_income=result.monthly_income,
            income_per_person=result.income_per_person,
            assets=result.assets,
            monthly_top_up=Decimal("0.00") if pending else result.monthly_top_up,
            eligible=result.eligible and not pending,
            pending_fresh_data=pending,
            stale_data=[found.as_entry() for found in stale],
            arithmetic=_with_freshness(result.steps, pending),
            verified_by=actor,
        )
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=verification,
        after={"eligible": verification.eligible, "pending": pending, "case": case.pk},
    )
    return verification


def _with_freshness(steps, pending):
    """Pending fresh data: the arithmetic stands as a draft, its conclusion withheld."""
    if not pending:
        return steps
    return [*steps[:-1], _("结论：收入数据已过期，待部门更新数据后再作结论")]
