"""In Chromium at 390 px: a donor signs in, sees every gift on the account page,
downloads a receipt and cancels a monthly gift after confirming (Stripe's
subscription cancelled at stripe-mock; the invoices came as signed webhooks)."""

import io
import json
from pathlib import Path

import pytest
import requests
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from pypdf import PdfReader

from matching.directory.models import Role
from matching.directory.services import account_create
from matching.payments.donors import donation_owner_link
from matching.payments.giving import offline_donation_record
from matching.payments.models import Donation, RecurringGift
from matching.payments.recurring import recurring_gift_checkout_start
from matching.payments.targets import giving_target_get
from tests.browser_kit import assert_accessible, new_page, shoot
from tests.matching.payments import recurring_payloads as rp
from tests.matching.payments.stripe_payloads import stripe_signature
from tests.matching.publication import publication_factories as pf

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "a-long-secret-42"


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # As in test_giving_browser: a flushing test before may have left the cache stale.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


def _deliver(live_server, event):
    body = json.dumps(event)
    signature = stripe_signature(body, secret=settings.STRIPE_WEBHOOK_SECRET)
    response = requests.post(
        f"{live_server.url}/payments/stripe/webhook/",
        data=body,
        headers={"Content-Type": "application/json", "Stripe-Signature": signature},
        timeout=30,
    )
    assert response.status_code == 200


@pytest.fixture
def donor_with_gifts(live_server, places):
    donor = account_create(
        username="li@example.com",
        password=PASSWORD,
        role=Role.DONOR,
        jurisdiction=places["city"],
        email="li@example.com",
        full_name="李四",
    )
    project = pf.project(pf.organization(places["chaoyang"], "阳光助医协会"), "大病帮扶计划")
    target = giving_target_get(kind="project", ref=str(project.pk))
    bank, _created = offline_donation_record(
        target=target,
        channel="bank_transfer",
        reference="ICBC-900",
        amount_minor=88_800,
        donor={"anonymous": True, "donor_name": "", "donor_email": ""},
        recorded_by=None,
    )
    donation_owner_link(donation=bank, user=donor)
    gift, _session = recurring_gift_checkout_start(
        user=donor,
        target=target,
        amount_minor=5_000,
        anonymous=True,
        urls_for=lambda gift: ("https://example.org/ok", "https://example.org/back"),
    )
    _deliver(live_server, rp.event("customer.subscription.created", rp.subscription(gift)))
    _deliver(live_server, rp.event("invoice.paid", rp.invoice(gift, 1)))
    _deliver(live_server, rp.event("invoice.paid", rp.invoice(gift, 1)))  # delivered twice
    return donor, gift, bank


def test_a_donor_downloads_a_receipt_and_cancels_a_monthly_gift_on_a_phone(
    live_server, browser, donor_with_gifts
):
    _donor, gift, bank = donor_with_gifts
    instalment = Donation.objects.get(instalment__recurring_gift=gift)
    page = new_page(browser, "phone")
    try:
        page.goto(f"{live_server.url}/accounts/login/?next=/accounts/me/")
        page.locator("#id_username").fill("li@example.com")
        page.locator("#id_password").fill(PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url(f"{live_server.url}/accounts/me/")

        codes = page.get_by_test_id("gift").evaluate_all("els => els.map(e => e.dataset.code)")
        assert sorted(codes) == sorted([bank.tracking_code, instalment.tracking_code])
        assert "每月 ¥50.00" in page.get_by_test_id("recurring-gift").inner_text()
        assert page.get_by_test_id("recurring-status").inner_text().strip() == "进行中"
        # Nothing wider than the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert_accessible(page)
        shoot(page, "donor-account")

        bank_item = page.locator(f'[data-testid="gift"][data-code="{bank.tracking_code}"]')
        with page.expect_download() as download:
            bank_item.get_by_test_id("receipt-link").click()
        pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
        text = "".join(p.extract_text() for p in pdf.pages)
        assert "¥888.00" in text and bank.tracking_code in text

        page.get_by_test_id("cancel-recurring").click()
        assert_accessible(page)
        shoot(page, "donor-cancel-monthly")
        gift.refresh_from_db()
        assert gift.status == RecurringGift.Status.ACTIVE  # the page alone cancels nothing
        page.get_by_test_id("confirm-cancel").click()
        page.wait_for_url(f"{live_server.url}/accounts/me/")
        assert "月捐已取消" in page.content()
        assert page.get_by_test_id("recurring-status").inner_text().strip() == "已申请取消"
        assert page.get_by_test_id("cancel-recurring").count() == 0
        gift.refresh_from_db()
        assert gift.status == RecurringGift.Status.CANCEL_REQUESTED

        # The donor's other pages: claiming past gifts and starting a monthly gift.
        page.get_by_test_id("claim-link").click()
        assert_accessible(page)
        page.get_by_label("捐赠时填写的电子邮箱").fill("li.old@example.com")
        page.get_by_role("button", name="发送确认邮件").click()
        assert page.get_by_test_id("claim-sent").is_visible()
        assert_accessible(page)
        page.goto(f"{live_server.url}/give/monthly/{gift.target_code.replace(':', '/')}/")
        assert "大病帮扶计划" in page.get_by_test_id("monthly-target").inner_text()
        page.get_by_role("button", name="前往支付页面").click()  # no consent, no amount
        assert "请确认同意每月自动扣款" in page.content()
        assert_accessible(page)
        shoot(page, "donor-monthly-form")
    finally:
        page.context.close()


def test_a_visitor_finds_sign_up_from_monthly_giving_on_a_phone(live_server, browser, places):
    project = pf.project(pf.organization(places["chaoyang"], "春晖助学会"), "春晖助学计划")
    page = new_page(browser, "phone")
    try:
        page.goto(f"{live_server.url}/give/monthly/project/{project.pk}/")
        assert_accessible(page)
        page.get_by_test_id("monthly-signup").click()
        page.locator("#id_email").fill("chen@example.com")
        page.locator("#id_password1").fill("a-long-secret-42")
        page.locator("#id_password2").fill("another-secret-42")
        page.get_by_role("button", name="注册", exact=True).click()
        assert "两次输入的密码不一致" in page.content()
        assert_accessible(page)
        shoot(page, "donor-sign-up")
        page.goto(f"{live_server.url}/accounts/signup/donor/confirm/not-a-link/")
        assert "该链接无效" in page.get_by_test_id("link-refused").inner_text()
        assert_accessible(page)
    finally:
        page.context.close()
