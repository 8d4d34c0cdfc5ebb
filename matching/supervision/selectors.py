"""Supervision figures (督查统计): pure reads over one jurisdiction subtree and a
period ``[start, end)``.

Every figure is computed here and only here; the dashboard, the CSV/XLSX
exports and the monthly PDF report all render ``supervision_figures``. The
rules of what counts where are in docs/supervision.md.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BigIntegerField, Count, F, Min, Q, Sum
from django.db.models.functions import Cast, Substr
from django.utils import timezone

from matching.audit.models import AuditEntry
from matching.audit.selectors import within as audit_within
from matching.cases.models import Case, DuplicateFlag, Referral
from matching.core.scope import subtree
from matching.core.vocabulary import Category, Urgency
from matching.directory.models import Jurisdiction, Profile, Role
from matching.governance import selectors as governance
from matching.governance.models import Complaint
from matching.inspections import selectors as inspections
from matching.ledger.models import Account, Entry, Transaction
from matching.offers.models import Fund, FundSource, Match, MatchStatus
from matching.publication.models import PublicNeed

NEED_PREFIX = "need:"
FUND_PREFIX = "fund:"
# Money coming in: gifts (social money) and budget appropriations (government money).
INFLOW_KINDS = (Transaction.Kind.DONATION, Transaction.Kind.APPROPRIATION)
# Earmarked money not tied to one need: the city's pooled money.
POOLED_KINDS = (Account.Kind.PROJECT, Account.Kind.FUND, Account.Kind.GENERAL)
OUTFLOW_KINDS = (
    Transaction.Kind.REFUND,
    Transaction.Kind.DISPUTE,
    Transaction.Kind.DISPUTE_RELEASE,
    Transaction.Kind.REVERSAL,
)
SUPERVISING_ROLES = frozenset(
    {Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.STREET_STAFF, Role.INSPECTOR}
)
CITY_WIDE_ROLES = frozenset({Role.CITY_STAFF, Role.INSPECTOR})
NOTABLE_LIMIT = 50


# --- scope ---------------------------------------------------------------------------


def within(jurisdiction, prefix="jurisdiction"):
    """Q for rows whose ``prefix`` jurisdiction lies in the subtree of ``jurisdiction``."""
    return subtree(jurisdiction.path, field=f"{prefix}__path")


def city_root():
    return Jurisdiction.objects.filter(parent__isnull=True).order_by("code").first()


def supervision_root_for(*, user):
    """The jurisdiction whose subtree ``user`` may supervise, or None (no access).

    City staff and inspectors see the whole city; district and street staff
    their own subtree; superusers (platform operators) the city.
    """
    if not user.is_authenticated:
        return None
    profile = Profile.objects.select_related("jurisdiction").filter(user=user).first()
    if profile is not None and profile.role in SUPERVISING_ROLES:
        return city_root() if profile.role in CITY_WIDE_ROLES else profile.jurisdiction
    return city_root() if user.is_superuser else None


def supervised_jurisdictions(*, root):
    """The units one may pick under ``root``: itself, its districts and streets."""
    levels = [Jurisdiction.Level.CITY, Jurisdiction.Level.DISTRICT, Jurisdiction.Level.STREET]
    return Jurisdiction.objects.filter(subtree(root.path, field="path"), level__in=levels).order_by(
        "path"
    )


# --- small arithmetic ------------------------------------------------------------------


def _hours(seconds):
    """Seconds as hours with one decimal, half up; Decimal, never float."""
    return (Decimal(seconds) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)


def percentile(values, fraction):
    """Linear-interpolated percentile of sorted integers (``fraction`` a Decimal)."""
    if not values:
        return None
    values = sorted(values)
    position = (len(values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return Decimal(values[low]) + (Decimal(values[high]) - Decimal(values[low])) * (position - low)


@dataclass(frozen=True)
class Durations:
    count: int
    median_hours: Decimal | None
    p90_hours: Decimal | None

    @classmethod
    def of(cls, seconds):
        median = percentile(seconds, Decimal("0.5"))
        p90 = percentile(seconds, Decimal("0.9"))
        return cls(
            count=len(seconds),
            median_hours=None if median is None else _hours(median),
            p90_hours=None if p90 is None else _hours(p90),
        )


def _seconds(later, earlier):
    return max(int((later - earlier).total_seconds()), 0)


# --- the figures -----------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class DepartmentReferrals:
    department: str
    total: int
    on_time: int
    late: int
    open_overdue: int
    open_in_time: int

    @property
    def overdue(self):
        return self.late + self.open_overdue


@dataclass(frozen=True)
class Emergencies:
    total: int
    within_clock: int
    late: int
    open_overdue: int
    open_in_time: int


@dataclass(frozen=True)
class DuplicateFlags:
    total: int
    pending: int
    duplicate: int
    not_duplicate: int


@dataclass(frozen=True)
class Complaints:
    received: int
    concluded: int
    overdue: int
    escalated: int


@dataclass(frozen=True)
class Money:
    raised_minor: int
    refunded_minor: int
    disbursed_minor: int
    waiting_minor: int


@dataclass(frozen=True)
class SourceMoney:
    """One source's money in the period: came in, approved for households
    (matches, yuan), paid out; and its balance at the period's end."""

    raised_minor: int
    allocated: Decimal
    disbursed_minor: int
    balance_minor: int


@dataclass(frozen=True)
class MoneyBySource:
    government: SourceMoney
    social: SourceMoney


@dataclass(frozen=True)
class SupervisionFigures:
    jurisdiction: Jurisdiction
    start: datetime.datetime
    end: datetime.datetime
    computed_at: datetime.datetime
    applications_total: int
    applications_by_category: list[CategoryCount]
    first_response: Durations
    awaiting_first_response: int
    approved_match: Durations
    referrals_by_department: list[DepartmentReferrals]
    emergencies: Emergencies
    duplicate_flags: DuplicateFlags
    recusals: int
    complaints: Complaints
    need_money: Money
    pooled_money: Money | None = None
    findings: inspections.FindingFigures | None = None
    money_by_source: MoneyBySource | None = None

    @property
    def referrals_total(self):
        return DepartmentReferrals(
            department="",
            total=sum(row.total for row in self.referrals_by_department),
            on_time=sum(row.on_time for row in self.referrals_by_department),
            late=sum(row.late for row in self.referrals_by_department),
            open_overdue=sum(row.open_overdue for row in self.referrals_by_department),
            open_in_time=sum(row.open_in_time for row in self.referrals_by_department),
        )


def _in_period(field_name, start, end):
    return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def cases_in_scope(jurisdiction):
    return Case.objects.filter(within(jurisdiction))


def applications_by_category(*, jurisdiction, start, end):
    """Cases opened in the period, per category (a case with two counts in both)."""
    lists = cases_in_scope(jurisdiction).filter(_in_period("opened_at", start, end))
    counts = dict.fromkeys(Category.values, 0)
    total = 0
    for categories in lists.values_list("categories", flat=True):
        total += 1
        for code in categories:
            counts[code] = counts.get(code, 0) + 1
    rows = [
        CategoryCount(code, str(Category(code).label), counts[code]) for code in Category.values
    ]
    return total, rows


def first_response_times(*, jurisdiction, start, end):
    """Opening → first response, for the first responses given in the period."""
    rows = cases_in_scope(jurisdiction).filter(_in_period("first_responded_at", start, end))
    return Durations.of(
        [
            _seconds(done, opened)
            for done, opened in rows.values_list("first_responded_at", "opened_at")
        ]
    )


def awaiting_first_response(*, jurisdiction, start, end):
    """Cases opened in the period that still have no first response."""
    opened = cases_in_scope(jurisdiction).filter(_in_period("opened_at", start, end))
    return opened.filter(first_responded_at__isnull=True).count()


def approved_match_times(*, jurisdiction, start, end):
    """Opening → first approved match, for cases whose first approval fell in the period."""
    firsts = (
        Match.objects.filter(status=MatchStatus.APPROVED, decided_at__isnull=False)
        .filter(within(jurisdiction, "need__jurisdiction"))
        .values("need_id", "need__opened_at")
        .annotate(first=Min("decided_at"))
        .filter(first__gte=start, first__lt=end)
    )
    return Durations.of([_seconds(row["first"], row["need__opened_at"]) for row in firsts])


def referrals_by_department(*, jurisdiction, start, end, now):
    """Referrals made in the period, per department: answered on time or late, or open."""
    referrals = Referral.objects.filter(
        within(jurisdiction, "case__jurisdiction"), _in_period("referred_at", start, end)
    )
    answered = Q(status=Referral.Status.ANSWERED)
    rows = (
        referrals.values("department_id", "department__name")
        .annotate(
            total=Count("id"),
            on_time=Count("id", filter=answered & Q(answered_at__lte=F("due_at"))),
            late=Count("id", filter=answered & Q(answered_at__gt=F("due_at"))),
            open_overdue=Count("id", filter=~answered & Q(due_at__lt=now)),
            open_in_time=Count("id", filter=~answered & Q(due_at__gte=now)),
        )
        .order_by("department__jurisdiction_id", "department__name")
    )
    return [
        DepartmentReferrals(
            department=row["department__name"],
            total=row["total"],
            on_time=row["on_time"],
            late=row["late"],
            open_overdue=row["open_overdue"],
            open_in_time=row["open_in_time"],
        )
        for row in rows
    ]


def emergencies_handled(*, jurisdiction, start, end, now):
    """Emergency cases opened in the period against their first-response clock."""
    cases = cases_in_scope(jurisdiction).filter(
        _in_period("opened_at", start, end), urgency=Urgency.EMERGENCY
    )
    responded = Q(first_responded_at__isnull=False)
    counts = cases.aggregate(
        total=Count("id"),
        within_clock=Count(
            "id",
            filter=responded
            & (
                Q(first_response_due__isnull=True)
                | Q(first_responded_at__lte=F("first_response_due"))
            ),
        ),
        late=Count("id", filter=responded & Q(first_responded_at__gt=F("first_response_due"))),
        open_overdue=Count("id", filter=~responded & Q(first_response_due__lt=now)),
    )
    open_in_time = (
        counts["total"] - counts["within_clock"] - counts["late"] - counts["open_overdue"]
    )
    return Emergencies(open_in_time=open_in_time, **counts)


def duplicate_flags(*, jurisdiction, start, end):
    """Duplicate-aid flags raised in the period, by their adjudication now."""
    flags = DuplicateFlag.objects.filter(
        within(jurisdiction, "case__jurisdiction"), _in_period("flagged_at", start, end)
    )
    decision = DuplicateFlag.Decision
    return DuplicateFlags(
        **flags.aggregate(
            total=Count("id"),
            pending=Count("id", filter=Q(decision=decision.PENDING)),
            duplicate=Count("id", filter=Q(decision=decision.DUPLICATE)),
            not_duplicate=Count("id", filter=Q(decision=decision.NOT_DUPLICATE)),
        )
    )


def complaints(*, jurisdiction, start, end, now):
    """Complaints about a place in the subtree: received, concluded and escalated in
    the period; overdue = due in the period and not concluded by the deadline."""
    scoped = Complaint.objects.filter(within(jurisdiction, "place"))
    late = Q(concluded_at__gt=F("due_at")) | Q(concluded_at__isnull=True, due_at__lt=now)
    return Complaints(
        received=scoped.filter(_in_period("filed_at", start, end)).count(),
        concluded=scoped.filter(_in_period("concluded_at", start, end)).count(),
        overdue=scoped.filter(_in_period("due_at", start, end)).filter(late).count(),
        escalated=scoped.filter(_in_period("escalated_at", start, end)).count(),
    )


# --- audit-based figures ---------------------------------------------------------------


def audit_in_scope(*, jurisdiction, start, end):
    """Audit entries of the period about the subtree (every entry, for the city)."""
    entries = AuditEntry.objects.filter(_in_period("at", start, end))
    if jurisdiction.parent_id is None:
        return entries
    return audit_within(entries, jurisdiction.path)


def recusal_count(*, jurisdiction, start, end):
    """Recusals (回避) recorded in the period, as governance counts them."""
    return governance.recusal_count(jurisdiction=jurisdiction, start=start, end=end)


def audit_counts_by_action(*, jurisdiction, start, end):
    """(action code, label, count) for the period, most frequent first."""
    labels = dict(AuditEntry.Action.choices)
    rows = (
        audit_in_scope(jurisdiction=jurisdiction, start=start, end=end)
        .values("action")
        .annotate(count=Count("id"))
        .order_by("-count", "action")
    )
    return [
        (row["action"], str(labels.get(row["action"], row["action"])), row["count"]) for row in rows
    ]


# --- money -----------------------------------------------------------------------------


def need_accounts_in_scope(jurisdiction):
    """Ledger accounts ``need:<PublicNeed pk>`` of needs whose case lies in the subtree."""
    needs = PublicNeed.objects.filter(within(jurisdiction, "case__jurisdiction")).values("pk")
    return (
        Account.objects.filter(kind=Account.Kind.NEED, code__startswith=NEED_PREFIX)
        .annotate(need_pk=Cast(Substr("code", len(NEED_PREFIX) + 1), BigIntegerField()))
        .filter(need_pk__in=needs)
    )


def _money(accounts, start, end):
    entries = Entry.objects.filter(account__in=accounts.values("pk"))
    period = entries.filter(_in_period("transaction__created_at", start, end))
    kind = "transaction__kind"
    sums = period.aggregate(
        raised=Sum("amount_minor", filter=Q(**{kind: Transaction.Kind.DONATION})),
        outflow=Sum("amount_minor", filter=Q(**{f"{kind}__in": OUTFLOW_KINDS})),
        disbursed=Sum("amount_minor", filter=Q(**{kind: Transaction.Kind.DISBURSEMENT})),
    )
    waiting = entries.filter(transaction__created_at__lt=end).aggregate(total=Sum("amount_minor"))
    return Money(
        raised_minor=sums["raised"] or 0,
        refunded_minor=-(sums["outflow"] or 0),
        disbursed_minor=-(sums["disbursed"] or 0),
        waiting_minor=waiting["total"] or 0,
    )


def money_for_needs(*, jurisdiction, start, end):
    """Raised, refunded/disputed, disbursed in the period; waiting (balance) at its end."""
    return _money(need_accounts_in_scope(jurisdiction), start, end)


def _government_fund_accounts():
    funds = Fund.objects.filter(source=FundSource.GOVERNMENT).values("pk")
    return (
        Account.objects.filter(kind=Account.Kind.FUND, code__startswith=FUND_PREFIX)
        .annotate(fund_pk=Cast(Substr("code", len(FUND_PREFIX) + 1), BigIntegerField()))
        .filter(fund_pk__in=funds)
    )


def government_accounts_in_scope(jurisdiction):
    """Ledger accounts of government funds whose department sits in the subtree."""
    funds = Fund.objects.filter(
        within(jurisdiction, "department__jurisdiction"), source=FundSource.GOVERNMENT
    ).values("pk")
    return _government_fund_accounts().filter(fund_pk__in=funds)


def money_pooled(*, start, end):
    """The same for the city's pooled social money: projects, charities' funds,
    category general funds (government funds are counted apart: money_by_source)."""
    pooled = Account.objects.filter(kind__in=POOLED_KINDS).exclude(
        pk__in=_government_fund_accounts().values("pk")
    )
    return _money(pooled, start, end)


def _source_money(accounts, allocated, start, end):
    entries = Entry.objects.filter(account__in=accounts.values("pk"))
    sums = entries.filter(_in_period("transaction__created_at", start, end)).aggregate(
        raised=Sum("amount_minor", filter=Q(transaction__kind__in=INFLOW_KINDS)),
        disbursed=Sum("amount_minor", filter=Q(transaction__kind=Transaction.Kind.DISBURSEMENT)),
    )
    balance = entries.filter(transaction__created_at__lt=end).aggregate(total=Sum("amount_minor"))
    return SourceMoney(
        raised_minor=sums["raised"] or 0,
        allocated=allocated or Decimal("0.00"),
        disbursed_minor=-(sums["disbursed"] or 0),
        balance_minor=balance["total"] or 0,
    )


def money_by_source(*, jurisdiction, start, end):
    """Government and social money side by side (docs/supervision.md): government
    funds of departments in the subtree; social money earmarked to the subtree's
    needs, plus, for the whole city, the pooled social money."""
    approved = Match.objects.filter(
        within(jurisdiction, "need__jurisdiction"),
        _in_period("decided_at", start, end),
        status=MatchStatus.APPROVED,
    )
    government_match = Q(fund__source=FundSource.GOVERNMENT)
    allocated = approved.aggregate(
        government=Sum("amount", filter=government_match),
        social=Sum("amount", filter=~government_match | Q(fund__isnull=True)),
    )
    social = need_accounts_in_scope(jurisdiction)
    if jurisdiction.parent_id is None:
        pooled = Account.objects.filter(kind__in=POOLED_KINDS).exclude(
            pk__in=_government_fund_accounts().values("pk")
        )
        social = Account.objects.filter(
            Q(pk__in=social.values("pk")) | Q(pk__in=pooled.values("pk"))
        )
    return MoneyBySource(
        government=_source_money(
            government_accounts_in_scope(jurisdiction), allocated["government"], start, end
        ),
        social=_source_money(social, allocated["social"], start, end),
    )


# --- notable items for the report --------------------------------------------------------


def overdue_referrals(*, jurisdiction, start, end, now):
    """Referrals made in the period and answered late or still open past their deadline."""
    late = Q(status=Referral.Status.ANSWERED, answered_at__gt=F("due_at")) | Q(
        status=Referral.Status.OPEN, due_at__lt=now
    )
    return (
        Referral.objects.filter(
            within(jurisdiction, "case__jurisdiction"), _in_period("referred_at", start, end)
        )
        .filter(late)
        .select_related("case", "department", "escalated_to")
        .order_by("due_at")[:NOTABLE_LIMIT]
    )


def recusal_entries(*, jurisdiction, start, end):
    recusals = governance.recusal_list(jurisdiction=jurisdiction, start=start, end=end)
    return recusals.select_related("staff").order_by("at")[:NOTABLE_LIMIT]


def escalated_complaints(*, jurisdiction, start, end):
    return (
        Complaint.objects.filter(
            within(jurisdiction, "place"), _in_period("escalated_at", start, end)
        )
        .select_related("routed_to", "escalated_to")
        .order_by("escalated_at")[:NOTABLE_LIMIT]
    )


def inspection_findings(*, jurisdiction, start, end, now):
    """Special inspections' findings against units in the subtree that the period
    dealt with, each with its state at the period's end (or now)."""
    return inspections.findings_in_period(jurisdiction=jurisdiction, start=start, end=end, now=now)


# --- everything at once ------------------------------------------------------------------


def supervision_figures(*, jurisdiction, start, end, now=None):
    """All dashboard figures for ``jurisdiction``'s subtree over ``[start, end)``."""
    now = now or timezone.now()
    scope = {"jurisdiction": jurisdiction, "start": start, "end": end}
    total, by_category = applications_by_category(**scope)
    return SupervisionFigures(
        jurisdiction=jurisdiction,
        start=start,
        end=end,
        computed_at=now,
        applications_total=total,
        applications_by_category=by_category,
        first_response=first_response_times(**scope),
        awaiting_first_response=awaiting_first_response(**scope),
        approved_match=approved_match_times(**scope),
        referrals_by_department=referrals_by_department(**scope, now=now),
        emergencies=emergencies_handled(**scope, now=now),
        duplicate_flags=duplicate_flags(**scope),
        recusals=recusal_count(**scope),
        complaints=complaints(**scope, now=now),
        need_money=money_for_needs(**scope),
        pooled_money=money_pooled(start=start, end=end) if jurisdiction.parent_id is None else None,
        findings=inspection_findings(**scope, now=now),
        money_by_source=money_by_source(**scope),
    )
