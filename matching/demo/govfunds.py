"""Demo government money: 朝阳区临时救助资金, a budget fund of 朝阳区民政局 that
received an appropriation and paid one household (docs/funding.md,
"Government funds"). Through the real services: appropriation, the match
proposal, the department's acceptance, staff approval, disbursement and its
posting. A second run finds the fund's payout and changes nothing.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from matching.directory.models import Department
from matching.funding import services as funding
from matching.funding.models import Disbursement
from matching.offers import services as offers
from matching.offers.models import Fund, FundSource, Match
from matching.publication.models import PublicNeed

FUND_REF = "DEMO-GF-1"
APPROPRIATION = "朝民发〔2026〕8号"


def _fund(department):
    fund, _ = Fund.objects.get_or_create(
        ref=FUND_REF,
        defaults={
            "source": FundSource.GOVERNMENT,
            "department": department,
            "name": "朝阳区临时救助资金",
            "categories": ["temporary"],
            "jurisdictions": ["220104"],
            "balance": Decimal("0.00"),
            "max_per_case": Decimal("2000.00"),
        },
    )
    return fund


def household_in_need(fund):
    """A published 朝阳区 need for temporary assistance not yet matched with the fund."""
    taken = Match.objects.filter(fund=fund).values("need_id")
    needs = (
        PublicNeed.objects.filter(
            case__jurisdiction__path__startswith="220100/220104/",
            case__amount_needed__isnull=False,
        )
        .exclude(case_id__in=taken)
        .select_related("case")
        .order_by("pk")
    )
    # Categories filtered here: SQLite (the demo's database) has no JSON "contains".
    return next((n.case for n in needs if "temporary" in n.case.categories), None)


def seed_govfunds():
    """The fund, its appropriation and one posted payout; None when already there."""
    if Disbursement.objects.filter(match__fund__ref=FUND_REF).exists():
        return None
    staff = get_user_model().objects.get(username="chaoyang")
    department = Department.objects.get(
        kind=Department.Kind.CIVIL_AFFAIRS, jurisdiction_id="220104"
    )
    with transaction.atomic():
        fund = _fund(department)
        funding.government_fund_appropriate(
            fund=fund, amount_minor=50_000_00, reference=APPROPRIATION, actor=staff
        )
        case = household_in_need(fund)
        if case is None:
            return None
        match = offers.matches_propose(
            need=case,
            proposals=[
                {
                    "type": "fund",
                    "offer": FUND_REF,
                    "score": 0.8,
                    "reasons": ["类别：临时救助", "服务 220104"],
                }
            ],
        )[0]
        offers.match_respond(match=match, actor=staff, accept=True)
        match = offers.match_decide(match=match, actor=staff, approve=True, reason="临时救助审批")
        payout = funding.disbursement_request(
            match=match,
            account=funding.government_fund_account(fund=fund),
            amount_minor=int(match.amount * 100),
            payee_kind="household",
            payee_name="受助家庭",
            invoice_number="LSJZ-2026-0008",
            actor=staff,
            note="临时救助金",
        )
        payout, _code = funding.disbursement_post(disbursement=payout, actor=staff)
    return payout
