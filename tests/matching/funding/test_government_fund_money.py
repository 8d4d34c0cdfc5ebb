"""Government funds (临时救助资金) in the same ledger as social money: budget
appropriations, the same four-eyes and recusal rules, 专款专用, and the
supervision figures' government / social split (docs/funding.md)."""

import datetime as dt
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone, translation

from matching.cases.models import AssistanceRecord
from matching.directory.models import Department
from matching.funding import services as funding
from matching.funding.models import Disbursement
from matching.funding.selectors.transparency import transparency_flows
from matching.governance.models import Recusal
from matching.governance.relatives import near_relative_register
from matching.ledger.models import Entry, Transaction
from matching.ledger.selectors import account_balance
from matching.offers.models import Fund, FundSource, Match, MatchStatus, OfferType
from matching.supervision.selectors import supervision_figures
from matching.supervision.tables import figure_tables
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
RECUSAL = "您与该家庭存在已备案的近亲属关系，须回避"


@pytest.fixture
def department(places):
    department, _ = Department.objects.get_or_create(
        kind=Department.Kind.CIVIL_AFFAIRS,
        jurisdiction=places["chaoyang"],
        defaults={"name": "朝阳区民政局"},
    )
    return department


@pytest.fixture
def temporary_fund(department, staff):
    """朝阳区临时救助资金 with 10,000 yuan appropriated from the budget."""
    fund = Fund.objects.create(
        source=FundSource.GOVERNMENT,
        department=department,
        name="朝阳区临时救助资金",
        categories=["temporary", "medical"],
        balance=Decimal("0.00"),
        max_per_case=Decimal("8000.00"),
    )
    funding.government_fund_appropriate(
        fund=fund, amount_minor=1_000_000, reference="朝民发〔2026〕12号", actor=staff
    )
    fund.refresh_from_db()
    return fund


def approved_match(case, fund, amount="6000.00"):
    return Match.objects.create(
        need=case,
        offer_type=OfferType.FUND,
        fund=fund,
        score=0.9,
        status=MatchStatus.APPROVED,
        amount=Decimal(amount),
        decided_at=timezone.now(),
    )


def request(match, actor, amount_minor=600_000):
    return funding.disbursement_request(
        match=match,
        account=funding.government_fund_account(fund=match.fund),
        amount_minor=amount_minor,
        payee_kind="household",
        payee_name="受助家庭",
        invoice_number="LS-2026-001",
        actor=actor,
    )


def test_an_appropriation_is_one_balanced_posting_and_raises_the_funds_balance(
    temporary_fund, department, staff
):
    account = funding.government_fund_account(fund=temporary_fund)
    assert account_balance(account=account) == 1_000_000
    assert account_balance(account=funding.budget_account(department=department)) == -1_000_000
    assert temporary_fund.balance == Decimal("10000.00")
    # The same budget document twice: nothing more.
    funding.government_fund_appropriate(
        fund=temporary_fund, amount_minor=1_000_000, reference="朝民发〔2026〕12号", actor=staff
    )
    temporary_fund.refresh_from_db()
    assert temporary_fund.balance == Decimal("10000.00")
    assert Transaction.objects.filter(kind=Transaction.Kind.APPROPRIATION).count() == 1


def test_only_a_government_fund_takes_appropriations_and_only_from_its_staff(
    temporary_fund, outsider, organization, staff
):
    with pytest.raises(PermissionDenied, match="您无权为该部门的资金办理拨款"):
        funding.government_fund_appropriate(
            fund=temporary_fund, amount_minor=100, reference="南关", actor=outsider
        )
    charity_fund = Fund.objects.create(
        organization=organization,
        name="博爱医疗救助基金",
        categories=["medical"],
        balance=Decimal("0.00"),
        max_per_case=Decimal("2000.00"),
    )
    with pytest.raises(ValidationError, match="只有政府资金可以接收财政拨款"):
        funding.government_fund_appropriate(
            fund=charity_fund, amount_minor=100, reference="X-1", actor=staff
        )
    with pytest.raises(ValidationError, match="拨入金额必须是大于零的整数"):
        funding.government_fund_appropriate(
            fund=temporary_fund, amount_minor=Decimal("1.5"), reference="X-2", actor=staff
        )
    assert Transaction.objects.filter(kind=Transaction.Kind.APPROPRIATION).count() == 1


def test_a_government_fund_must_have_a_department_and_no_organization(department, organization):
    fund = Fund(
        source=FundSource.GOVERNMENT,
        department=department,
        organization=organization,
        name="错误的政府资金",
        categories=["temporary"],
        balance=Decimal("0"),
        max_per_case=Decimal("1"),
    )
    with pytest.raises(ValidationError) as refused:
        fund.full_clean()
    assert "政府资金不属于社会组织。" in str(refused.value)
    fund.organization = None
    fund.full_clean()  # a department and no organization: valid


def test_an_approved_government_payout_balances_the_ledger(
    temporary_fund, case, staff, second_staff
):
    match = approved_match(case, temporary_fund)
    disbursement = request(match, staff)  # 6,000 yuan: above the one-person limit
    assert disbursement.status == Disbursement.Status.REQUESTED
    with pytest.raises(PermissionDenied, match="申请人不能复核自己的拨付申请"):
        funding.disbursement_approve(disbursement=disbursement, actor=staff)
    funding.disbursement_approve(disbursement=disbursement, actor=second_staff)
    disbursement, code = funding.disbursement_post(disbursement=disbursement, actor=staff)
    assert disbursement.status == Disbursement.Status.POSTED and code
    account = funding.government_fund_account(fund=temporary_fund)
    assert account_balance(account=account) == 400_000
    posting = disbursement.transaction.entries.aggregate(total=Sum("amount_minor"))["total"]
    assert posting == 0
    assert Entry.objects.aggregate(total=Sum("amount_minor"))["total"] == 0
    # The household's assistance record names the department, not a charity.
    record = AssistanceRecord.objects.get(ref=f"platform:match:{match.pk}:medical")
    assert record.provider_department == Department.Kind.CIVIL_AFFAIRS


def test_a_near_relative_cannot_approve_a_government_payout(
    temporary_fund, case, staff, second_staff, places
):
    match = approved_match(case, temporary_fund)
    disbursement = request(match, staff)
    member = case.household.members.first()
    near_relative_register(staff=second_staff, id_number=member.id_number, relation="sibling")
    with pytest.raises(PermissionDenied, match=RECUSAL) as refused:
        funding.disbursement_approve(disbursement=disbursement, actor=second_staff)
    assert member.name not in str(refused.value)
    assert Recusal.objects.filter(staff=second_staff, kind=Recusal.Kind.DISBURSEMENT).exists()
    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.REQUESTED
    account = funding.government_fund_account(fund=temporary_fund)
    assert account_balance(account=account) == 1_000_000
    # Nor may the related staff member file the request in the first place.
    with pytest.raises(PermissionDenied, match=RECUSAL):
        request(match, second_staff, amount_minor=10_000)


def test_government_money_pays_only_the_categories_it_names(temporary_fund, places, staff):
    pupil = pf.approved_case(places["hongqi"], names=["赵小明"], categories=("education",))
    match = approved_match(pupil, temporary_fund, amount="1000.00")
    with pytest.raises(PermissionDenied) as refused:
        request(match, staff, amount_minor=100_000)
    message = str(refused.value)
    assert "专款专用" in message and "临时救助" in message and "医疗救助" in message
    assert "赵小明" not in message
    assert not Disbursement.objects.exists()
    account = funding.government_fund_account(fund=temporary_fund)
    assert account_balance(account=account) == 1_000_000
    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        request(match, staff, amount_minor=100_000)
    english = str(refused.value).replace(temporary_fund.name, "")
    assert "Earmarked money" in english and "temporary assistance" in english.lower()
    assert english.isascii()  # no Chinese, no full-width punctuation


def test_supervision_shows_government_and_social_money_side_by_side(
    client, temporary_fund, case, staff, second_staff, places, donation
):
    match = approved_match(case, temporary_fund)
    disbursement = request(match, staff)
    funding.disbursement_approve(disbursement=disbursement, actor=second_staff)
    funding.disbursement_post(disbursement=disbursement, actor=staff)
    now = timezone.now()
    start = now - dt.timedelta(days=1)
    figures = supervision_figures(
        jurisdiction=places["chaoyang"], start=start, end=now + dt.timedelta(days=1)
    )
    split = figures.money_by_source
    assert (split.government.raised_minor, split.government.disbursed_minor) == (
        1_000_000,
        600_000,
    )
    assert split.government.allocated == Decimal("6000.00")
    assert split.government.balance_minor == 400_000
    assert split.social.raised_minor == 100_000  # the donation to the need
    assert split.social.disbursed_minor == 0
    table = next(t for t in figure_tables(figures) if t.key == "money_by_source")
    rows = {row.key: row.shown for row in table.rows}
    assert rows["government"] == ["10000.00", "6000.00", "6000.00", "4000.00"]
    assert rows["social"] == ["1000.00", "0.00", "0.00", "1000.00"]

    client.force_login(pf.staff(places["chaoyang"]))
    response = client.get("/admin/supervision/", {"jurisdiction": "220104"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    shown = soup.select_one("table[data-table=money_by_source]")
    assert shown is not None
    labels = [row.th.get_text(strip=True) for row in shown.tbody.find_all("tr")]
    assert labels == ["政府资金", "社会资金", "合计"]


def test_the_public_transparency_figures_count_donors_money_only(
    temporary_fund, case, staff, second_staff, donation
):
    match = approved_match(case, temporary_fund)
    disbursement = request(match, staff)
    funding.disbursement_approve(disbursement=disbursement, actor=second_staff)
    funding.disbursement_post(disbursement=disbursement, actor=staff)
    flows = transparency_flows()
    # 善款 only: the budget's 10,000 yuan and its 6,000-yuan payout are supervision figures.
    assert sum(flow.raised_minor for flow in flows) == 100_000
    assert sum(flow.disbursed_minor for flow in flows) == 0
