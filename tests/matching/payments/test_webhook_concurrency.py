"""One event delivered several times at once is applied once (PostgreSQL)."""

import json
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from matching.ledger.models import Transaction
from matching.payments.models import StripeEvent
from tests.matching.payments.conftest import WEBHOOK_URL
from tests.matching.payments.stripe_payloads import intent, stripe_event, stripe_signature

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

DELIVERIES = 8


def test_simultaneous_duplicate_deliveries_are_recorded_and_posted_once(donation):
    payload = json.dumps(stripe_event("payment_intent.succeeded", intent(donation)))
    signature = stripe_signature(payload, secret=settings.STRIPE_WEBHOOK_SECRET)
    start = threading.Barrier(DELIVERIES)
    statuses = []

    def deliver():
        try:
            start.wait()
            response = Client().post(
                WEBHOOK_URL,
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signature,
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(DELIVERIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * DELIVERIES
    assert StripeEvent.objects.count() == 1
    assert Transaction.objects.count() == 1
