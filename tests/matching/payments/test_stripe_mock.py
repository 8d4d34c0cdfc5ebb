import pytest
import stripe
from django.conf import settings

pytestmark = pytest.mark.stripe


def test_the_sdk_talks_to_stripe_mock():
    assert stripe.api_base == settings.STRIPE_API_BASE
    intent = stripe.PaymentIntent.create(
        amount=50_000, currency="cny", payment_method_types=["card"]
    )
    assert intent.object == "payment_intent"
    assert intent.id.startswith("pi_")
    assert stripe.PaymentIntent.retrieve(intent.id).object == "payment_intent"
