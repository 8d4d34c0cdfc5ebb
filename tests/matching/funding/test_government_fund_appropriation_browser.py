"""In Chromium at 390 and 1366 px: staff appropriate budget money into a
government fund; the tick is required and the page then shows the posting."""

from decimal import Decimal

import pytest

from matching.directory.models import Department
from matching.offers.models import Fund, FundSource
from tests.browser_kit import assert_accessible, new_page, shoot
from tests.matching.cases import case_factories as cf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_staff_appropriate_budget_money(browser, live_server, staff, fund, size):
    target = f"/admin/funding/funds/{fund.pk}/appropriate/"
    page = new_page(browser, size)
    page.goto(f"{live_server.url}/accounts/login/?next={target}")
    page.locator("#id_username").fill(staff.username)
    page.locator("#id_password").fill(cf.PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**{target}")
    assert_accessible(page)

    form = page.get_by_test_id("appropriation-form")
    form.get_by_label("拨入金额（元）").fill("30,000.00")
    form.get_by_label("拨款文号").fill("朝民发〔2026〕31号")
    form.get_by_role("button", name="拨款入账").click()
    assert "请勾选确认" in page.get_by_test_id("appropriation-form").inner_text()
    assert Fund.objects.get(pk=fund.pk).balance == Decimal("0.00")

    form = page.get_by_test_id("appropriation-form")
    form.get_by_label("我已核对金额和文号：拨款入账后不可撤销").check()
    form.get_by_role("button", name="拨款入账").click()
    page.wait_for_url(f"**{target}")
    assert page.get_by_test_id("fund-balance").inner_text() == "¥30,000.00"
    assert "朝民发〔2026〕31号" in page.get_by_test_id("fund-ledger").inner_text()
    assert Fund.objects.get(pk=fund.pk).balance == Decimal("30000.00")
    shoot(page, "government-fund-appropriation")
    page.context.close()
