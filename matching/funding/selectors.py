"""Reads for disbursements, in-kind gifts, volunteer hours and the public pages.

Everything returned for a public page is built from ledger account codes,
categories, districts, dates and amounts: never a name, an address, a phone
number or an ID number of a household, and never a donor's contact details.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.core.scope import subtree
from matching.core.vocabulary import Category
from matching.ledger.models import Account, Transaction
from matching.payments.selectors import donation_get_by_tracking_code, donation_tracking_steps

ACCOUNT_PREFIXES = {"need", "project", "fund", "general"}


@dataclass(frozen=True)
class AccountPlace:
    """What the public may know about a ledger account: kind, category, district."""

    kind_label: str
    category_label: str
    district_name: str


@dataclass(frozen=True)
class PublicStep:
    when: datetime.datetime | datetime.date
    kind: str
    label: str
    amount_minor: int | None
    place: AccountPlace | None = None
    purpose: str = ""


def category_label(code):
    if not code:
        return ""
    try:
        return str(Category(code).label)
    except ValueError:
        return _("综合")


def need_for_account_code(code):
    """The PublicNeed behind ``need:<id>``, or None (the id is the public need's)."""
    from matching.publication.models import PublicNeed

    prefix, _sep, ref = code.partition(":")
    if prefix != "need" or not ref.isdigit():
        return None
    return PublicNeed.objects.select_related("district").filter(pk=int(ref)).first()


def account_place(*, account):
    """Kind, category and district of an account, as the public pages show them."""
    district = ""
    if account.kind == Account.Kind.NEED:
        need = need_for_account_code(account.code)
        district = need.district.name if need is not None else ""
    return AccountPlace(
        kind_label=str(Account.Kind(account.kind).label)
        if account.kind in Account.Kind.values
        else "",
        category_label=category_label(account.category),
        district_name=district,
    )


_LEDGER_STEP_LABELS = {
    Transaction.Kind.DONATION: gettext_lazy("定向入账"),
    Transaction.Kind.REFUND: gettext_lazy("退款"),
    Transaction.Kind.DISPUTE: gettext_lazy("争议冻结"),
    Transaction.Kind.DISPUTE_RELEASE: gettext_lazy("争议解除"),
    Transaction.Kind.REVERSAL: gettext_lazy("冲正"),
}


def _ledger_steps(donation):
    accounts = {}
    steps = []
    for step in donation_tracking_steps(donation=donation):
        # Only the positive side of each movement: where the money went.
        if step.amount_minor <= 0:
            continue
        account = accounts.get(step.account_code)
        if account is None:
            account = Account.objects.get(code=step.account_code)
            accounts[step.account_code] = account
        steps.append(
            PublicStep(
                when=step.when,
                kind=step.kind,
                label=str(_LEDGER_STEP_LABELS.get(step.kind, step.kind)),
                amount_minor=step.amount_minor,
                place=account_place(account=account),
            )
        )
    return steps


@dataclass(frozen=True)
class GiftPath:
    kind: str  # "donation" or "in_kind"
    received_at: datetime.datetime | None
    amount_minor: int | None
    status_label: str
    steps: list
    description: str = ""


def gift_path_get(*, tracking_code):
    """The public path of one gift by its tracking code, or None if unknown."""
    donation = donation_get_by_tracking_code(tracking_code=tracking_code)
    if donation is None:
        return _in_kind_path(tracking_code)
    ledger_steps = _ledger_steps(donation)
    steps = ledger_steps + _payout_steps(donation)
    return GiftPath(
        kind="donation",
        received_at=ledger_steps[0].when if ledger_steps else None,
        amount_minor=donation.amount_minor,
        status_label=str(donation.get_status_display()),
        steps=steps,
    )


# --- what a match may be paid from ---------------------------------------------------


def public_need_of_case(case):
    from matching.publication.models import PublicNeed

    return PublicNeed.objects.select_related("district").filter(case=case).first()


def match_account_codes(*, match):
    """Ledger accounts whose money may pay this match (专款专用).

    The need's own account (``need:<public need id>``) and, for a project
    or fund match, that project's or fund's account.
    """
    codes = set()
    need = public_need_of_case(match.need)
    if need is not None:
        codes.add(f"need:{need.pk}")
    if match.project_id:
        codes.add(f"project:{match.project_id}")
    if match.fund_id:
        codes.add(f"fund:{match.fund_id}")
    return codes


def match_accounts(*, match):
    return Account.objects.filter(code__in=match_account_codes(match=match))


# --- first in, first out ------------------------------------------------------------


def _source_of(idempotency_key):
    """Which gift an earmark belongs to: ``donation-17-received`` -> ``donation-17``."""
    parts = idempotency_key.split("-")
    if len(parts) >= 2 and parts[0] == "donation" and parts[1].isdigit():
        return f"donation-{parts[1]}"
    return idempotency_key


def account_fifo_allocation(*, account):
    """Attribute an account's posted disbursements to its gifts, oldest gift first.

    Returns {source: [(disbursement, fen), ...]} where a source is
    ``donation-<id>`` (or the key of any other inflow). A gift's share is
    its net earmark here (after its own refunds and disputes).
    """
    from matching.ledger.models import Entry

    from .models import Disbursement

    entries = (
        Entry.objects.filter(account=account)
        .exclude(transaction__kind=Transaction.Kind.DISBURSEMENT)
        .order_by("transaction__created_at", "transaction_id")
        .values_list("transaction__idempotency_key", "amount_minor")
    )
    inflows = {}
    for key, amount in entries:
        source = _source_of(key)
        inflows[source] = inflows.get(source, 0) + amount
    queue = [[source, amount] for source, amount in inflows.items() if amount > 0]
    allocation = {source: [] for source, _amount in queue}
    payouts = Disbursement.objects.filter(
        account=account, status=Disbursement.Status.POSTED
    ).order_by("posted_at", "pk")
    position = 0
    for payout in payouts:
        left = payout.amount_minor
        while left and position < len(queue):
            source, remaining = queue[position]
            share = min(left, remaining)
            allocation[source].append((payout, share))
            left -= share
            queue[position][1] -= share
            if queue[position][1] == 0:
                position += 1
    return allocation


def _need_place(match):
    need = public_need_of_case(match.need)
    if need is None:
        categories, district = match.need.categories, _district_name(match.need.jurisdiction)
    else:
        categories, district = need.categories, need.district.name
    return AccountPlace(
        kind_label=str(Account.Kind.NEED.label),
        category_label=category_label(categories[0] if categories else ""),
        district_name=district,
    )


def _district_name(jurisdiction):
    from matching.directory.models import Jurisdiction

    code = jurisdiction.district_code
    found = Jurisdiction.objects.filter(code=code).values_list("name", flat=True).first()
    return found or ""


def _disbursement_steps(payout, share):
    from .models import PayeeKind

    steps = [
        PublicStep(
            when=payout.posted_at,
            kind="disbursed",
            label=_("已拨付"),
            amount_minor=share,
            place=_need_place(payout.match),
            purpose=_("支付给%(payee)s") % {"payee": PayeeKind(payout.payee_kind).label},
        )
    ]
    confirmation = getattr(payout, "confirmation", None)
    if confirmation is not None and confirmation.confirmed_at:
        steps.append(_confirmed_step(confirmation))
    return steps


def _confirmed_step(confirmation):
    return PublicStep(
        when=timezone.localdate(confirmation.confirmed_at),
        kind="confirmed",
        label=_("受助方已确认收到"),
        amount_minor=None,
    )


def _payout_steps(donation):
    from matching.payments.selectors import donation_holdings

    source = f"donation-{donation.pk}"
    steps = []
    codes = [code for code, amount in donation_holdings(donation=donation).items()]
    for account in Account.objects.filter(code__in=codes, kind__in=list(ACCOUNT_KINDS_HELD)):
        for payout, share in account_fifo_allocation(account=account).get(source, []):
            steps.extend(_disbursement_steps(payout, share))
    return steps


ACCOUNT_KINDS_HELD = {
    Account.Kind.NEED,
    Account.Kind.PROJECT,
    Account.Kind.FUND,
    Account.Kind.GENERAL,
}


def _in_kind_path(tracking_code):
    from .models import InKindGift

    gift = (
        InKindGift.objects.select_related("need__district", "project", "confirmation")
        .filter(tracking_code=tracking_code)
        .first()
    )
    if gift is None:
        return None
    steps = [
        PublicStep(
            when=gift.received_at,
            kind="earmarked",
            label=_("定向捐赠"),
            amount_minor=None,
            place=_in_kind_place(gift),
        )
    ]
    if gift.delivered_at:
        steps.append(
            PublicStep(
                when=gift.delivered_at, kind="delivered", label=_("已送达"), amount_minor=None
            )
        )
    confirmation = getattr(gift, "confirmation", None)
    if confirmation is not None and confirmation.confirmed_at:
        steps.append(_confirmed_step(confirmation))
    return GiftPath(
        kind="in_kind",
        received_at=gift.received_at,
        amount_minor=gift.estimated_value_minor,
        status_label=str(gift.get_status_display()),
        steps=steps,
        description=f"{gift.items} {gift.quantity.normalize():f}{gift.unit}",
    )


def _in_kind_place(gift):
    if gift.need_id:
        categories = gift.need.categories
        return AccountPlace(
            kind_label=str(Account.Kind.NEED.label),
            category_label=category_label(categories[0] if categories else ""),
            district_name=gift.need.district.name,
        )
    categories = gift.project.categories
    return AccountPlace(
        kind_label=str(Account.Kind.PROJECT.label),
        category_label=category_label(categories[0] if categories else ""),
        district_name="",
    )


# --- volunteer hours -----------------------------------------------------------------


def volunteer_hours_totals(*, volunteers=None):
    """{volunteer id: confirmed hours (Decimal)}."""
    from django.db.models import Sum

    from .models import VolunteerHours

    rows = VolunteerHours.objects.filter(status=VolunteerHours.Status.CONFIRMED)
    if volunteers is not None:
        rows = rows.filter(volunteer__in=volunteers)
    totals = rows.values("volunteer").annotate(total=Sum("hours"))
    return {row["volunteer"]: row["total"] for row in totals}


# --- transparency ---------------------------------------------------------------------

OTHER = "其他"  # the merged cell's label; kept literal so the CSV is stable
CITYWIDE_KEY = "__citywide__"


@dataclass
class Flow:
    category: str
    district: str
    raised_minor: int = 0
    disbursed_minor: int = 0
    balance_minor: int = 0
    in_kind_minor: int = 0
    volunteer_hours: object = 0
    needs: set = None

    def __post_init__(self):
        self.needs = set() if self.needs is None else self.needs

    def add(self, other):
        self.raised_minor += other.raised_minor
        self.disbursed_minor += other.disbursed_minor
        self.balance_minor += other.balance_minor
        self.in_kind_minor += other.in_kind_minor
        self.volunteer_hours += other.volunteer_hours
        self.needs |= other.needs


def _need_cell(need, category=""):
    code = category or (need.categories[0] if need.categories else "")
    return (category_label(code) or _("综合"), need.district.name)


def _account_flows():
    """Raised (net of refunds/disputes), disbursed and balance per account, in one query."""
    from django.db.models import Q, Sum

    from matching.ledger.models import Entry

    rows = (
        Entry.objects.filter(account__kind__in=list(ACCOUNT_KINDS_HELD))
        .values("account__code", "account__kind", "account__category")
        .annotate(
            balance=Sum("amount_minor"),
            disbursed=Sum(
                "amount_minor", filter=Q(transaction__kind=Transaction.Kind.DISBURSEMENT)
            ),
        )
    )
    return list(rows)


def transparency_flows():
    """Aggregated flows by category and district for the public page and CSV.

    Money earmarked to a need counts in the need's category and district;
    pooled money (projects, funds, general funds) in its category, district
    "全市统筹". A district x category cell built from fewer than
    ``TRANSPARENCY_MIN_NEEDS`` needs is merged into district "其他" of its
    category; if that is still too small, into "其他" x "其他".
    """
    from django.conf import settings
    from django.db.models import Sum

    from matching.publication.models import PublicNeed

    from .models import InKindGift, VolunteerHours

    cells = {}

    def cell(key):
        if key not in cells:
            cells[key] = Flow(category=key[0], district=key[1])
        return cells[key]

    citywide = str(_("全市统筹"))
    rows = _account_flows()
    need_ids = [
        int(r["account__code"].split(":")[1])
        for r in rows
        if r["account__kind"] == Account.Kind.NEED and r["account__code"].split(":")[-1].isdigit()
    ]
    needs = PublicNeed.objects.select_related("district").in_bulk(need_ids)
    for row in rows:
        disbursed = -(row["disbursed"] or 0)
        need = None
        if row["account__kind"] == Account.Kind.NEED:
            ref = row["account__code"].split(":")[-1]
            need = needs.get(int(ref)) if ref.isdigit() else None
        if need is not None:
            flow = cell(_need_cell(need, row["account__category"]))
            flow.needs.add(need.pk)
        else:
            label = category_label(row["account__category"]) or str(_("综合"))
            flow = cell((label, citywide))
        flow.balance_minor += row["balance"]
        flow.disbursed_minor += disbursed
        flow.raised_minor += row["balance"] + disbursed
    gifts = InKindGift.objects.select_related("need__district", "project")
    for gift in gifts:
        if gift.need_id:
            flow = cell(_need_cell(gift.need))
            flow.needs.add(gift.need_id)
        else:
            categories = gift.project.categories
            flow = cell(
                (category_label(categories[0] if categories else "") or _("综合"), citywide)
            )
        flow.in_kind_minor += gift.estimated_value_minor
    hours = (
        VolunteerHours.objects.filter(status=VolunteerHours.Status.CONFIRMED)
        .values("match__need")
        .annotate(total=Sum("hours"))
    )
    by_case = {
        n.case_id: n
        for n in PublicNeed.objects.select_related("district").filter(
            case__in=[h["match__need"] for h in hours]
        )
    }
    for row in hours:
        need = by_case.get(row["match__need"])
        if need is None:
            continue  # a need never published has no public cell
        flow = cell(_need_cell(need))
        flow.needs.add(need.pk)
        flow.volunteer_hours += row["total"]
    return _merge_small_cells(cells, settings.TRANSPARENCY_MIN_NEEDS, citywide)


def _merge_small_cells(cells, minimum, citywide):
    merged = {}
    for (category, district), flow in cells.items():
        if district != citywide and len(flow.needs) < minimum:
            district = OTHER
        merged.setdefault((category, district), Flow(category=category, district=district)).add(
            flow
        )
    final = {}
    for (category, district), flow in merged.items():
        if district == OTHER and len(flow.needs) < minimum:
            category = OTHER
        final.setdefault((category, district), Flow(category=category, district=district)).add(flow)
    return sorted(
        final.values(),
        key=lambda f: (f.category == OTHER, f.category, f.district == OTHER, f.district),
    )


def transparency_totals(flows):
    total = Flow(category=str(_("合计")), district="")
    for flow in flows:
        total.add(flow)
    return total


# --- what staff see in the admin ---------------------------------------------------------


def _jurisdiction_q(user, prefix):
    """Q for rows whose ``prefix`` jurisdiction lies in the user's; None = everything."""
    from django.db.models import Q

    from matching.directory.models import Role
    from matching.directory.selectors import profile_get, staff_profile

    if user.is_superuser:
        return None
    profile = staff_profile(user)
    if profile is None:
        other = profile_get(user=user)
        if other is not None and other.role == Role.INSPECTOR:
            return None
        return Q(pk__in=[])
    return subtree(profile.jurisdiction.path, field=f"{prefix}__path")


def _scoped(queryset, user, prefix):
    scope = _jurisdiction_q(user, prefix)
    return queryset if scope is None else queryset.filter(scope)


def disbursement_list(*, user):
    from .models import Disbursement

    rows = Disbursement.objects.select_related("match__need", "account", "requested_by")
    return _scoped(rows, user, "match__need__jurisdiction")


def in_kind_gift_list(*, user):
    from django.db.models import Q

    from .models import InKindGift

    rows = InKindGift.objects.select_related("need", "project")
    scope = _jurisdiction_q(user, "need__case__jurisdiction")
    if scope is None:
        return rows
    from matching.directory.selectors import staff_profile

    # Gifts to projects have no household: every staff member may see them.
    if staff_profile(user) is not None:
        scope |= Q(need__isnull=True)
    return rows.filter(scope)


def volunteer_hours_list(*, user):
    from matching.directory.models import Role
    from matching.directory.selectors import profile_get

    from .models import VolunteerHours

    rows = VolunteerHours.objects.select_related("volunteer", "match__need")
    profile = profile_get(user=user)
    if profile is not None and profile.role == Role.CHARITY_ADMIN:
        return rows.filter(volunteer__organization_id=profile.organization_id)
    return _scoped(rows, user, "match__need__jurisdiction")


def approved_match_list(*, user):
    from matching.offers.models import Match, MatchStatus

    rows = Match.objects.filter(status=MatchStatus.APPROVED).select_related(
        "need", "project", "fund", "volunteer"
    )
    return _scoped(rows, user, "need__jurisdiction")


def public_need_list(*, user):
    from matching.publication.models import PublicNeed

    return _scoped(PublicNeed.objects.all(), user, "case__jurisdiction")
