"""Stripe events and objects, built and signed exactly as Stripe does.

Stripe signs ``f"{timestamp}.{raw body}"`` with HMAC-SHA256 under the
endpoint secret and sends ``Stripe-Signature: t=<timestamp>,v1=<hex>``.
"""

import hashlib
import hmac
import itertools
import time

_event_numbers = itertools.count(1)


def stripe_signature(payload, *, secret, timestamp=None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.{payload}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def stripe_event(event_type, obj, *, event_id=None):
    return {
        "id": event_id or f"evt_test_{next(_event_numbers):06d}",
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
        "data": {"object": obj},
    }


def intent(donation, **fields):
    return {
        "id": donation.stripe_payment_intent_id,
        "object": "payment_intent",
        "amount": donation.amount_minor,
        "amount_received": donation.amount_minor,
        "currency": "cny",
        "status": "succeeded",
        "metadata": {"donation_id": str(donation.pk)},
        **fields,
    }


def charge(donation, **fields):
    return {
        "id": f"ch_test_{donation.pk}",
        "object": "charge",
        "amount": donation.amount_minor,
        "amount_refunded": 0,
        "currency": "cny",
        "payment_intent": donation.stripe_payment_intent_id,
        "paid": True,
        "metadata": {},
        **fields,
    }


def dispute(donation, *, status="needs_response", amount=None):
    return {
        "id": f"dp_test_{donation.pk}",
        "object": "dispute",
        "amount": amount or donation.amount_minor,
        "currency": "cny",
        "charge": f"ch_test_{donation.pk}",
        "payment_intent": donation.stripe_payment_intent_id,
        "status": status,
        "metadata": {},
    }


def session(donation, **fields):
    return {
        "id": f"cs_test_{donation.pk}",
        "object": "checkout.session",
        "amount_total": donation.amount_minor,
        "currency": "cny",
        "client_reference_id": str(donation.pk),
        "payment_status": "paid",
        "payment_intent": donation.stripe_payment_intent_id,
        "status": "complete",
        "metadata": {"donation_id": str(donation.pk)},
        **fields,
    }
