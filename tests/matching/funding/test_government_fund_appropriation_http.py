"""The appropriation screen: budget money into a government fund, in yuan, with
its document number and a confirmation the server checks (docs/funding.md)."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from matching.directory.models import Department
from matching.ledger.models import Entry, Transaction
from matching.offers.models import Fund, FundSource
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def fund(places):
    department, _ = Department.objects.get_or_create(
        kind=Department.Kind.CIVIL_AFFAIRS,
        jurisdiction=places["chaoyang"],
        defaults={"name": "朝阳区民政局"},
    )
    return Fund.objects.create(
        source=FundSource.GOVERNMENT,
        department=department,
        name="朝阳区临时救助资金",
        categories=["temporary"],
        balance=Decimal("0.00"),
        max_per_case=Decimal("5000.00"),
    )


def page(fund):
    return reverse("funding_fund_appropriate", args=[fund.pk])


def appropriation(amount="50,000.50", reference="朝民发〔2026〕30号", confirm=True):
    data = {"amount": amount, "reference": reference}
    return {**data, "confirm": "on"} if confirm else data


def test_staff_appropriate_and_the_page_shows_the_new_balance_and_the_posting(client, staff, fund):
    client.force_login(staff)
    listing = client.get(reverse("offers_funds:index")).text
    assert page(fund) in listing  # the fund list links to the screen
    before = client.get(page(fund)).text
    assert "¥0.00" in before and "该资金尚无入账记录。" in before

    response = client.post(page(fund), appropriation(), follow=True)
    assert response.redirect_chain[-1][0] == page(fund)
    text = response.text
    assert "财政拨款已入账。" in text
    assert 'data-testid="fund-balance">¥50,000.50<' in text
    assert "朝民发〔2026〕30号" in text and "¥50,000.50" in text
    fund.refresh_from_db()
    assert fund.balance == Decimal("50000.50")
    posted = Transaction.objects.get(kind=Transaction.Kind.APPROPRIATION)
    assert posted.entries.aggregate(total=Sum("amount_minor"))["total"] == 0
    assert posted.entries.get(account__code=f"fund:{fund.pk}").amount_minor == 5_000_050


def test_nothing_is_posted_without_the_ticked_confirmation_or_with_a_bad_amount(
    client, staff, fund
):
    client.force_login(staff)
    unticked = client.post(page(fund), appropriation(confirm=False))
    assert unticked.status_code == 422
    assert "拨款入账后不可撤销，请勾选确认后再提交。" in unticked.text
    for amount, message in (
        ("10.005", "最多两位小数"),
        ("五万", "请输入有效金额"),
        ("0", "金额必须大于零"),
        ("99,999,999,999", ""),  # more than a fund's balance can hold: refused whole
    ):
        refused = client.post(page(fund), appropriation(amount=amount))
        assert refused.status_code == 422 and message in refused.text
    no_number = client.post(page(fund), appropriation(reference=""))
    assert no_number.status_code == 422
    assert not Entry.objects.exists()
    fund.refresh_from_db()
    assert fund.balance == Decimal("0.00")


def test_staff_of_another_district_and_charities_cannot_reach_it(
    client, outsider, organization, fund
):
    for user in (outsider, pf.charity_user(organization)):
        client.force_login(user)
        assert client.get(page(fund)).status_code == 404
        assert client.post(page(fund), appropriation()).status_code == 404
    assert not Transaction.objects.filter(kind=Transaction.Kind.APPROPRIATION).exists()


def test_the_screen_reads_in_english(client, staff, fund):
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    text = client.get(page(fund), **english).text
    for phrase in ("Budget appropriation", "Amount appropriated (yuan)", "Budget document number"):
        assert phrase in text
    refused = client.post(page(fund), appropriation(confirm=False), **english).text
    assert "Tick the confirmation" in refused
    for chinese in ("拨款文号", "拨入金额", "办理财政拨款", "不可撤销", "尚无入账记录"):
        assert chinese not in text and chinese not in refused
    listing = client.get(reverse("offers_funds:index"), **english).text
    assert "Budget appropriation" in listing and "Organization or department" in listing
