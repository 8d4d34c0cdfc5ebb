"""Household economic verification and the duplicate-aid check."""

import datetime as dt
from decimal import Decimal

import pytest
from case_factories import StandardFactory, assistance, case, department, id_number, staff
from django.utils import timezone

from matching.cases import eligibility, services
from matching.cases.models import DuplicateFlag, Member
from matching.cases.services import CaseRuleError

pytestmark = pytest.mark.django_db

ZHANG = id_number(born=dt.date(1979, 4, 2))
LI = id_number(born=dt.date(1981, 6, 15), male=False)
CHILD = id_number(born=dt.date(2015, 6, 7), male=False)


def _family(places):
    return case(
        places["hongqi"],
        members=[
            {
                "name": "张建国",
                "id_number": ZHANG,
                "relation": Member.Relation.SELF,
                "phone": "13804310001",
            },
            {"name": "李桂芳", "id_number": LI, "relation": Member.Relation.SPOUSE},
            {"name": "张欣怡", "id_number": CHILD, "relation": Member.Relation.CHILD},
        ],
    )


def _income(places, number, amount, label="工资", kind="income", ref=""):
    return services.economic_record_submit(
        department=department("human_resources", places["chaoyang"]),
        id_number=number,
        kind=kind,
        label=label,
        amount=Decimal(amount),
        as_of=timezone.localdate() - dt.timedelta(days=30),  # current data
        ref=ref,
    )


def test_eligibility_arithmetic_against_the_district_standard(places):
    StandardFactory(jurisdiction=places["city"], monthly_line_per_person="700.00")
    StandardFactory(
        jurisdiction=places["chaoyang"],
        monthly_line_per_person="720.00",
        asset_limit_per_person="20000.00",
    )
    family = _family(places)
    _income(places, ZHANG, "900.00")
    _income(places, LI, "300.00", label="灵活就业")
    _income(places, LI, "15000.00", label="存款", kind="asset")

    result = services.case_verify(case=family, actor=staff(places["chaoyang"]))

    assert result.standard.jurisdiction == places["chaoyang"]
    assert result.household_size == 3
    assert result.monthly_income == Decimal("1200.00")
    assert result.income_per_person == Decimal("400.00")
    assert result.monthly_top_up == Decimal("960.00")  # (720 - 400) x 3
    assert result.eligible is True
    assert result.arithmetic == [
        "家庭月收入合计 = 900.00 + 300.00 = 1200.00 元",
        "人均月收入 = 1200.00 ÷ 3 人 = 400.00 元",
        f"低保标准 = 720.00 元/人·月（朝阳区 {timezone.localdate().year}）",
        "400.00 < 720.00，收入符合条件",
        "家庭财产合计 = 15000.00 = 15000.00 元",
        "15000.00 ≤ 60000.00（20000.00 元/人 × 3 人），财产符合条件",
        "月补差 = (720.00 − 400.00) × 3 人 = 960.00 元",
        "结论：符合最低生活保障条件",
    ]
    assert family.verifications.get() == result


def test_income_above_the_line_is_not_eligible_and_rounds_half_up():
    result = eligibility.compute(
        household_size=3, incomes=[Decimal("2160.01")], assets=[], line=Decimal("720")
    )
    assert result.income_per_person == Decimal("720.00")  # 720.0033 rounds to 720.00
    assert result.eligible is False and result.monthly_top_up == Decimal("0.00")
    assert "720.00 ≥ 720.00，收入超过标准" in result.steps


def test_assets_over_the_limit_are_not_eligible():
    result = eligibility.compute(
        household_size=2,
        incomes=[],
        assets=[Decimal("50000.00")],
        line=Decimal("720"),
        asset_limit_per_person=Decimal("20000"),
    )
    assert result.eligible is False


def test_a_department_refresh_with_the_same_ref_replaces_the_value(places):
    _family(places)
    _income(places, ZHANG, "900.00", ref="HR-2026-10-1")
    record = _income(places, ZHANG, "950.00", ref="HR-2026-10-1")
    assert record.household.economic_records.get().amount == Decimal("950.00")


def test_the_city_standard_applies_where_the_district_has_none(places):
    StandardFactory(jurisdiction=places["city"], monthly_line_per_person="700.00")
    family = _family(places)
    assert services.case_verify(case=family, actor=None).standard.jurisdiction == places["city"]


def test_verification_without_a_standard_explains_itself(places):
    with pytest.raises(CaseRuleError, match="尚未配置本辖区的低保标准"):
        services.case_verify(case=_family(places), actor=None)


def test_an_overlapping_record_of_any_member_is_flagged(places):
    family = _family(places)  # asks for subsistence, opened today
    overlapping = assistance(CHILD, category="subsistence", start=dt.date(2026, 1, 1))
    assistance(LI, category="subsistence", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31))
    assistance(ZHANG, category="medical", start=dt.date(2026, 1, 1), provider="health")
    assistance(id_number(area="220102"), category="subsistence")  # someone else

    flags = services.case_check_duplicates(case=family)

    assert [flag.record for flag in flags] == [overlapping]
    assert flags[0].decision == DuplicateFlag.Decision.PENDING
    assert services.case_check_duplicates(case=family) == flags  # idempotent


def test_adjudication_is_recorded(places):
    family = _family(places)
    assistance(ZHANG, category="subsistence")
    flag = services.case_check_duplicates(case=family)[0]
    worker = staff(places["chaoyang"])
    with pytest.raises(CaseRuleError):
        services.duplicate_flag_adjudicate(flag=flag, actor=worker, decision="duplicate", note="")
    decided = services.duplicate_flag_adjudicate(
        flag=flag, actor=worker, decision="duplicate", note="已在南关区享受低保，不得重复享受"
    )
    assert (decided.decision, decided.decided_by) == ("duplicate", worker)
    assert decided.decided_at is not None
