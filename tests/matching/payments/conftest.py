"""Fixtures for the payments tests: signed webhook posts and a donation."""

import json

import pytest
from django.conf import settings

from matching.ledger.models import Account
from matching.ledger.services import account_open
from matching.payments.services import donation_create
from tests.matching.payments.stripe_payloads import stripe_signature

WEBHOOK_URL = "/payments/stripe/webhook/"


@pytest.fixture
def post_event(client):
    """POST an event to the webhook, signed with the configured secret."""

    def post(event, *, secret=None, timestamp=None):
        payload = json.dumps(event)
        signature = stripe_signature(
            payload, secret=secret or settings.STRIPE_WEBHOOK_SECRET, timestamp=timestamp
        )
        return client.post(
            WEBHOOK_URL,
            data=payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signature,
        )

    return post


@pytest.fixture
def need_account():
    """A medical need that still requires 5,000 yuan."""
    return account_open(
        code="need:17", kind=Account.Kind.NEED, category="medical", earmark_cap_minor=500_000
    )


@pytest.fixture
def donation(need_account):
    """A 1,000-yuan pending donation whose PaymentIntent exists at Stripe."""
    donation = donation_create(
        target_code=need_account.code,
        amount_minor=100_000,
        donor_name="张三",
        donor_email="donor@example.com",
        anonymous=False,
    )
    donation.stripe_payment_intent_id = f"pi_test_{donation.pk}"
    donation.save(update_fields=["stripe_payment_intent_id"])
    return donation


# --- the giving flow ---------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def places(db, settings):
    from tests.matching.publication import publication_factories as pf

    # One published need is enough here: k-anonymity has its own tests.
    settings.PUBLICATION_K = 1
    return pf.places()


@pytest.fixture
def reviewer(places):
    from tests.matching.publication import publication_factories as pf

    return pf.staff(places["chaoyang"])


@pytest.fixture
def published_need(places, reviewer):
    """A public medical need that requires 5,000 yuan."""
    from tests.matching.publication import publication_factories as pf

    return pf.published_need(places["hongqi"], reviewer, amount="5000.00")
