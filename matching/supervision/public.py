"""Public implementation figures (执行情况公示): the supervision figures of a
period, per district and per category, made safe to publish.

Every number comes from the supervision selectors (the same functions the
dashboard renders), so the public page and the dashboard cannot disagree.
What changes is the publication rule: a cell that counts 1 to k - 1 people or
cases is suppressed (``None``, shown as "少于5"), and so is a share whose
complement is that small (``on time`` of a total whose late part is 2 reveals
the 2). Zero is published: it names nobody. k is never below 5
(``matching.deidentify.kanon.DEFAULT_K``). Rules in docs/publicity.md.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from matching.deidentify.kanon import DEFAULT_K, publishable
from matching.directory.models import Department
from matching.directory.selectors import district_list
from matching.ledger.models import Entry, Transaction

from .selectors import (
    _in_period,
    applications_by_category,
    approved_match_times,
    city_root,
    emergencies_handled,
    money_for_needs,
    need_accounts_in_scope,
    referrals_by_department,
    within,
)


def published_count(count, k=DEFAULT_K):
    """``count`` if it names nobody (0) or at least k; else None (suppressed)."""
    return count if publishable(count, k) else None


def published_part(part, total, k=DEFAULT_K):
    """A part of a total: suppressed when the part or the rest is 1 to k - 1."""
    if published_count(part, k) is None or published_count(total - part, k) is None:
        return None
    return part


@dataclass(frozen=True)
class DistrictRow:
    code: str
    name: str
    applications: int | None
    approvals: int | None
    median_hours_to_decision: Decimal | None
    emergencies: int | None
    emergencies_within_clock: int | None
    raised_minor: int | None
    disbursed_minor: int | None


@dataclass(frozen=True)
class CategoryRow:
    code: str
    label: str
    applications: int | None


@dataclass(frozen=True)
class DepartmentRow:
    kind: str
    label: str
    referrals: int | None
    on_time: int | None


@dataclass(frozen=True)
class ImplementationFigures:
    start: object
    end: object
    computed_at: object
    k: int
    districts: list[DistrictRow]
    categories: list[CategoryRow]
    departments: list[DepartmentRow]


def _households_with(accounts, kind, start, end):
    """How many need accounts (one household each) saw a ``kind`` entry in the period."""
    return (
        Entry.objects.filter(account__in=accounts.values("pk"), transaction__kind=kind)
        .filter(_in_period("transaction__created_at", start, end))
        .values("account_id")
        .distinct()
        .count()
    )


def _money_cell(amount, households, k):
    return amount if published_count(households, k) is not None else None


def district_row(*, district, start, end, now, k=DEFAULT_K):
    """One district's published row, from the dashboard's own selectors."""
    scope = {"jurisdiction": district, "start": start, "end": end}
    applications, _rows = applications_by_category(**scope)
    decided = approved_match_times(**scope)
    emergencies = emergencies_handled(**scope, now=now)
    money = money_for_needs(**scope)
    accounts = need_accounts_in_scope(district)
    donors_to = _households_with(accounts, Transaction.Kind.DONATION, start, end)
    paid_to = _households_with(accounts, Transaction.Kind.DISBURSEMENT, start, end)
    return DistrictRow(
        code=district.code,
        name=district.name,
        applications=published_count(applications, k),
        approvals=published_count(decided.count, k),
        median_hours_to_decision=decided.median_hours if decided.count >= k else None,
        emergencies=published_count(emergencies.total, k),
        emergencies_within_clock=published_part(emergencies.within_clock, emergencies.total, k),
        raised_minor=_money_cell(money.raised_minor, donors_to, k),
        disbursed_minor=_money_cell(money.disbursed_minor, paid_to, k),
    )


def category_rows(*, jurisdiction, start, end, k=DEFAULT_K):
    _total, rows = applications_by_category(jurisdiction=jurisdiction, start=start, end=end)
    return [CategoryRow(row.code, row.label, published_count(row.count, k)) for row in rows]


def department_rows(*, jurisdiction, start, end, now, k=DEFAULT_K):
    """Referrals of the period per kind of department (health, education, …), city-wide:
    the dashboard's per-department rows summed by kind, so that a page in English
    names each department by a translated kind rather than a Chinese proper name."""
    kinds = dict(Department.objects.filter(within(jurisdiction)).values_list("name", "kind"))
    totals = {}
    for row in referrals_by_department(jurisdiction=jurisdiction, start=start, end=end, now=now):
        kind = kinds.get(row.department, "")
        total, on_time = totals.get(kind, (0, 0))
        totals[kind] = (total + row.total, on_time + row.on_time)
    labels = dict(Department.Kind.choices)
    return [
        DepartmentRow(
            kind=kind,
            label=str(labels.get(kind, kind)),
            referrals=published_count(total, k),
            on_time=published_part(on_time, total, k),
        )
        for kind, (total, on_time) in sorted(totals.items())
    ]


def implementation_figures(*, start, end, now=None, k=DEFAULT_K):
    """The whole public table for ``[start, end)``; k is never below DEFAULT_K."""
    now = now or timezone.now()
    k = max(k, DEFAULT_K)
    city = city_root()
    districts = list(district_list().order_by("code")) if city else []
    return ImplementationFigures(
        start=start,
        end=end,
        computed_at=now,
        k=k,
        districts=[
            district_row(district=district, start=start, end=end, now=now, k=k)
            for district in districts
        ],
        categories=category_rows(jurisdiction=city, start=start, end=end, k=k) if city else [],
        departments=(
            department_rows(jurisdiction=city, start=start, end=end, now=now, k=k) if city else []
        ),
    )
