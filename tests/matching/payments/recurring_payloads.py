"""Stripe objects of a monthly gift: its subscription, invoices and Checkout Session,
shaped as Stripe sends them (the subscription's metadata copied onto each invoice)."""

import datetime

from tests.matching.payments.stripe_payloads import stripe_event

DAY = 24 * 3600
# 2026-10-01 00:00 UTC: the first billed month starts here.
START = int(datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC).timestamp())


def month(number):
    """(start, end) of the ``number``-th billed month (1-based), 30 days each."""
    start = START + (number - 1) * 30 * DAY
    return start, start + 30 * DAY


def subscription_id(gift):
    return f"sub_test_{gift.pk}"


def subscription(gift, *, status="active", period_end=None, **fields):
    return {
        "id": subscription_id(gift),
        "object": "subscription",
        "customer": f"cus_test_{gift.pk}",
        "status": status,
        "current_period_end": period_end or month(1)[1],
        "metadata": {"recurring_gift_id": str(gift.pk)},
        **fields,
    }


def invoice(gift, number, *, amount=None, metadata=True, period=None, **fields):
    start, end = period or month(number)
    return {
        "id": f"in_test_{gift.pk}_{number}",
        "object": "invoice",
        "amount_paid": gift.amount_minor if amount is None else amount,
        "currency": "cny",
        "customer": f"cus_test_{gift.pk}",
        "subscription": subscription_id(gift),
        "payment_intent": f"pi_inv_{gift.pk}_{number}",
        "subscription_details": {
            "metadata": {"recurring_gift_id": str(gift.pk)} if metadata else {}
        },
        "lines": {"object": "list", "data": [{"period": {"start": start, "end": end}}]},
        "status": "paid",
        **fields,
    }


def checkout_completed(gift):
    return {
        "id": gift.stripe_checkout_session_id or f"cs_test_sub_{gift.pk}",
        "object": "checkout.session",
        "mode": "subscription",
        "payment_status": "paid",
        "status": "complete",
        "subscription": subscription_id(gift),
        "customer": f"cus_test_{gift.pk}",
        "metadata": {"recurring_gift_id": str(gift.pk)},
    }


def event(event_type, obj, *, created=None, event_id=None):
    body = stripe_event(event_type, obj, event_id=event_id)
    if created is not None:
        body["created"] = created
    return body
