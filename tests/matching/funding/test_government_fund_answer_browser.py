"""In Chromium at 390 and 1366 px: a department's liaison opens a proposal for
their government fund and accepts it on the match review page."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from matching.directory.models import Department
from matching.offers.models import Fund, FundSource, Match, MatchStatus, OfferType
from tests.browser_kit import assert_accessible, new_page, shoot
from tests.matching.cases import case_factories as cf
from tests.matching.publication import publication_factories as pf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def proposals(places):
    department, _ = Department.objects.get_or_create(
        kind=Department.Kind.CIVIL_AFFAIRS,
        jurisdiction=places["chaoyang"],
        defaults={"name": "朝阳区民政局"},
    )
    fund = Fund.objects.create(
        source=FundSource.GOVERNMENT,
        department=department,
        name="朝阳区临时救助资金",
        categories=["temporary", "medical"],
        balance=Decimal("20000.00"),
        max_per_case=Decimal("5000.00"),
    )
    liaison = cf.liaison(department)
    liaison.groups.first().permissions.add(*Permission.objects.filter(codename="access_admin"))
    matches = [
        Match.objects.create(
            need=pf.approved_case(places["hongqi"], names=[name], amount="8000.00"),
            offer_type=OfferType.FUND,
            fund=fund,
            score=0.8,
            amount=Decimal("5000.00"),
        )
        for name in ("欧阳翠花", "司马桂兰")
    ]
    return liaison, matches


@pytest.mark.parametrize(("size", "index"), [("phone", 0), ("desktop", 1)])
def test_the_departments_liaison_accepts_a_proposal_for_its_fund(
    browser, live_server, proposals, size, index
):
    liaison, matches = proposals
    match = matches[index]
    target = f"/admin/matches/review/{match.pk}/"
    page = new_page(browser, size)
    page.goto(f"{live_server.url}/accounts/login/?next={target}")
    page.locator("#id_username").fill(liaison.username)
    page.locator("#id_password").fill(cf.PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{target}")

    respond = page.get_by_test_id("respond-form")
    assert respond.get_by_role("button", name="接受").is_visible()
    assert page.get_by_test_id("approve-form").count() == 0  # staff approve, not the department
    assert "欧阳翠花" not in page.content() and "司马桂兰" not in page.content()
    shoot(page, "government-fund-proposal")
    assert_accessible(page)

    respond.get_by_role("button", name="接受").click()
    page.wait_for_url("**/admin/matches/")
    assert "已记录。" in page.content()
    assert Match.objects.get(pk=match.pk).status == MatchStatus.ACCEPTED
    shoot(page, "government-fund-proposal-accepted")
    page.context.close()
