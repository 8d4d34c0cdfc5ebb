"""In Chromium: a donor gives to a published need, sees the overflow policy and
the split before paying, is sent to Stripe Checkout (created against
stripe-mock; the browser never reaches stripe.com), Stripe's signed webhook
reports the payment, and the donor follows the tracking code to the public
tracking page."""

import json
import re

import pytest
import requests
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from matching.payments.models import Donation
from matching.publication.services import public_need_derive
from tests.browser_kit import assert_accessible, new_page
from tests.matching.payments.stripe_payloads import session, stripe_event, stripe_signature

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STRIPE_CHECKOUT = re.compile(r"^https://checkout\.stripe\.com/")


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # A transactional test that ran before may have flushed the tables and
    # re-created the content types under new ids; the cache still has the old.
    # Re-read them all, not just forget them: the next test's restore of the
    # migrated rows looks content types up, and one missing from the cache
    # would be created anew under a clashing id.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def published_need(places):
    """Published directly (the approval workflow has its own browser test), so
    that this test needs none of the groups a flushing test may have removed."""
    from tests.matching.publication import publication_factories as pf

    need = public_need_derive(case=pf.approved_case(places["hongqi"], amount="5000.00"))
    need.save_revision().publish()
    need.refresh_from_db()
    assert need.is_public
    return need


def _deliver_webhook(live_server, event):
    body = json.dumps(event)
    return requests.post(
        f"{live_server.url}/payments/stripe/webhook/",
        data=body,
        headers={
            "Content-Type": "application/json",
            "Stripe-Signature": stripe_signature(body, secret=settings.STRIPE_WEBHOOK_SECRET),
        },
        timeout=30,
    )


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser):
    """The journey at 390 px and at 1366 px (tests/browser_kit.py)."""
    page = new_page(browser, request.param)
    yield page
    page.context.close()


def test_a_donor_gives_to_a_need_and_follows_the_tracking_code(live_server, page, published_need):
    # Stand in for Stripe's hosted page: record where the browser was sent.
    sent_to = []

    def stripe_page(route):
        sent_to.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<h1>Stripe Checkout</h1>")

    page.route(STRIPE_CHECKOUT, stripe_page)

    page.goto(f"{live_server.url}/needs/{published_need.pk}/")
    assert page.get_by_test_id("funding-raised").inner_text() == "¥0.00"
    page.locator("[data-testid^=give-link]:visible").click()  # the phone has its own bar
    assert published_need.title in page.get_by_test_id("give-target").inner_text()
    assert_accessible(page)
    assert "超出部分将转入同类别公益总基金" in page.get_by_test_id("allocation-policy").inner_text()

    page.get_by_label("捐赠金额（元）").fill("6000")
    page.get_by_label("匿名捐赠").uncheck()
    page.get_by_label("捐赠人姓名").fill("陈静")
    page.get_by_label("电子邮箱").fill("chenjing@example.com")
    page.get_by_test_id("give-next").click()

    # Before paying: the policy and the concrete split of 6,000 yuan.
    assert "医疗救助公益总基金" in page.get_by_test_id("allocation-policy").inner_text()
    assert page.get_by_test_id("plan-target").inner_text() == "¥5,000.00"
    assert page.get_by_test_id("plan-overflow").inner_text() == "¥1,000.00"
    page.get_by_test_id("give-pay").click()
    page.wait_for_url(STRIPE_CHECKOUT)
    assert len(sent_to) == 1 and STRIPE_CHECKOUT.match(sent_to[0])

    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PENDING and donation.amount_minor == 600_000
    assert donation.stripe_checkout_session_id  # created at stripe-mock
    donation.stripe_payment_intent_id = f"pi_test_{donation.pk}"
    completed = stripe_event("checkout.session.completed", session(donation))
    assert _deliver_webhook(live_server, completed).status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.SUCCEEDED

    # Stripe sends the donor back to the success URL.
    page.goto(f"{live_server.url}/give/thanks/{donation.tracking_code}/")
    assert page.get_by_test_id("tracking-code").inner_text() == donation.tracking_code
    assert_accessible(page)
    page.get_by_test_id("track-link").click()
    assert page.url == f"{live_server.url}/track/{donation.tracking_code}/"
    assert page.get_by_test_id("gift-status").inner_text() == "已到账"
    steps = page.get_by_test_id("gift-steps").inner_text()
    assert "¥5,000.00" in steps and "¥1,000.00" in steps
    assert "陈静" not in page.content() and "chenjing@example.com" not in page.content()

    page.goto(f"{live_server.url}/needs/{published_need.pk}/")
    assert page.get_by_test_id("funding-raised").inner_text() == "¥5,000.00"
