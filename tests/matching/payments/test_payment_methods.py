"""Checkout offers the payment methods STRIPE_PAYMENT_METHOD_TYPES names
(card, Alipay, WeChat Pay), created over stripe-mock."""

import pytest
import stripe

from matching.payments.models import Donation

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """What our code asks Stripe for, and what stripe-mock answers, per session."""
    calls = []
    create = stripe.checkout.Session.create

    def recording(**params):
        session = create(**params)
        calls.append((params, session))
        return session

    monkeypatch.setattr(stripe.checkout.Session, "create", recording)
    return calls


def _give(client, need):
    data = {"method": "card", "amount": "100", "anonymous": "on", "confirmed": "on"}
    return client.post(f"/give/need/{need.pk}/", data)


def test_by_default_checkout_offers_cards_only(client, published_need, sent):
    response = _give(client, published_need)
    ((params, session),) = sent
    assert response.status_code == 303 and response["Location"] == session.url
    assert params["payment_method_types"] == ["card"]
    assert "payment_method_options" not in params
    assert session.payment_method_types == ["card"]


def test_alipay_and_wechat_pay_reach_stripe_when_configured(client, published_need, sent, settings):
    settings.STRIPE_PAYMENT_METHOD_TYPES = ["card", "alipay", "wechat_pay"]
    response = _give(client, published_need)
    ((params, session),) = sent
    assert response.status_code == 303
    assert response["Location"].startswith("https://checkout.stripe.com/")
    # stripe-mock validated the request against Stripe's API and echoes the types.
    assert session.payment_method_types == ["card", "alipay", "wechat_pay"]
    assert params["payment_method_options"] == {"wechat_pay": {"client": "web"}}
    assert Donation.objects.get().stripe_checkout_session_id == session.id
