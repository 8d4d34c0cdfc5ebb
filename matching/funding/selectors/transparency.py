"""The transparency page: money and goods by category and district, small
cells merged so no figure points at one household."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from matching.ledger.models import Account, Entry, Transaction
from matching.publication.models import PublicNeed

from ..models import InKindGift, VolunteerHours
from .tracking import ACCOUNT_KINDS_HELD, category_label, government_fund_codes

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
    rows = (
        Entry.objects.filter(account__kind__in=list(ACCOUNT_KINDS_HELD))
        .exclude(account__code__in=government_fund_codes())
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
