"""In Chromium, on a phone (390 px) and a desktop (1366 px): a donor pledges a
bank transfer from a need's page and gets the transfer reference; city staff
confirm it in the admin — one by one on the phone, by uploading the bank's
statement (CSV) on the desktop — and the donor's tracking page shows it
received. The phone runs without Stripe keys (the embedded default), the
desktop with them (the donor then chooses the transfer over paying online)."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Site

from matching.directory.models import Role
from matching.directory.services import role_groups_sync
from matching.payments.models import Donation, GivingBankSettings
from matching.payments.permissions import payments_permissions_sync
from matching.publication.services import public_need_derive
from tests.browser_kit import assert_accessible, new_page, shoot
from tests.matching.publication import publication_factories as pf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # As in test_giving_browser.py: a flushing test before this one may have
    # re-created the content types under new ids.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def published_need(places):
    need = public_need_derive(case=pf.approved_case(places["hongqi"], amount="5000.00"))
    need.save_revision().publish()
    need.refresh_from_db()
    return need


@pytest.fixture
def city_staff(places):
    role_groups_sync()
    payments_permissions_sync()
    return pf.staff(places["city"], role=Role.CITY_STAFF)


@pytest.fixture
def bank(db):
    return GivingBankSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={
            "account_name": "长春市慈善总会",
            "bank_name": "中国建设银行长春分行",
            "account_number": "2205 0161 0000 0000 1234",
        },
    )[0]


def _login(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", pf.PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()


def _pledge(page, live_server, need, size):
    page.goto(f"{live_server.url}/needs/{need.pk}/")
    page.locator("[data-testid^=give-link]:visible").click()  # the phone has its own bar
    assert need.title in page.get_by_test_id("give-target").inner_text()
    assert_accessible(page)
    shoot(page, f"give-{size}")
    if size == "desktop":  # Stripe is configured: the donor chooses the transfer
        page.get_by_label("银行转账认捐（先登记，再转账）").check()
    page.get_by_label("捐赠金额（元）").fill("300")
    page.get_by_test_id("give-next").click()
    assert page.get_by_test_id("give-amount").inner_text() == "¥300.00"
    assert page.get_by_test_id("give-method").inner_text() == "银行转账认捐"
    page.get_by_test_id("give-pay").click()
    page.get_by_test_id("transfer-reference").wait_for()
    donation = Donation.objects.get()
    assert page.get_by_test_id("transfer-reference").inner_text() == donation.transfer_reference
    assert page.get_by_test_id("bank-account-number").inner_text() == "2205 0161 0000 0000 1234"
    assert page.get_by_test_id("tracking-code").inner_text() == donation.tracking_code
    assert_accessible(page)
    shoot(page, f"give-pledge-thanks-{size}")
    return donation


def _confirm_one_by_one(page, live_server, pledge):
    page.goto(f"{live_server.url}/admin/payments_pledges/")
    page.get_by_role("link", name=pledge.transfer_reference).click()
    page.get_by_label("银行交易流水号").fill("CCB20261201001")
    page.get_by_role("button", name="确认到账").click()
    page.wait_for_url(f"{live_server.url}/admin/payments_pledges/")
    assert f"认捐 {pledge.transfer_reference} 已确认到账 ¥300.00。" in page.content()


def _confirm_by_statement(page, live_server, pledge, tmp_path):
    statement = tmp_path / "statement.csv"
    statement.write_bytes(
        (
            "交易日期,收入金额,交易附言,交易流水号\n"
            f"2026-12-01,300.00,认捐{pledge.transfer_reference},CCB20261201002\n"
            "2026-12-01,88.00,工资,CCB20261201003\n"
        ).encode("gbk")
    )
    page.goto(f"{live_server.url}/admin/payments/statements/upload/")
    page.get_by_label("银行流水文件（CSV 或 XLSX）").set_input_files(str(statement))
    page.get_by_role("button", name="上传并核对").click()
    page.get_by_test_id("statement-matched").wait_for()
    assert "CCB20261201003" in page.get_by_test_id("statement-unmatched").inner_text()
    page.get_by_test_id("statement-confirm-form").get_by_role("button").click()
    page.get_by_test_id("statement-confirmed").wait_for()
    assert "已确认 1 笔认捐到账" in page.content()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_pledge_is_made_confirmed_and_followed(
    live_server, browser, published_need, city_staff, bank, settings, size, tmp_path
):
    if size == "phone":
        settings.STRIPE_SECRET_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    donor = new_page(browser, size)
    pledge = _pledge(donor, live_server, published_need, size)
    assert pledge.status == Donation.Status.PENDING

    staff = new_page(browser, size)
    _login(staff, live_server, city_staff)
    if size == "phone":
        _confirm_one_by_one(staff, live_server, pledge)
    else:
        _confirm_by_statement(staff, live_server, pledge, tmp_path)
    staff.context.close()
    pledge.refresh_from_db()
    assert pledge.status == Donation.Status.SUCCEEDED

    donor.get_by_test_id("track-link").click()
    assert donor.get_by_test_id("gift-status").inner_text() == "已到账"
    donor.goto(f"{live_server.url}/give/thanks/{pledge.tracking_code}/")
    assert "¥300.00" in donor.get_by_test_id("pledge-received").inner_text()
    donor.context.close()
