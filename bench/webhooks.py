"""Benchmark: Stripe webhook events through the real view, one worker, PostgreSQL.

Creates its own throw-away database (Django's test-database utilities, named
by TEST_DB_NAME, default ``bench_webhooks``), so the ``assist`` database is
never touched. Each donation's ``payment_intent.succeeded`` is signed as
Stripe signs it and POSTed through Django's test client (middleware,
signature check, dedupe insert, status change, earmark with row lock,
balanced posting, deferred balance trigger at commit); a share of events is
delivered twice to measure the dedupe path.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/webhooks.py --events 2000

Prints events per second and p50/p95 latency of recording a donation.
"""

import argparse
import hashlib
import hmac
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "site"), str(REPO)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("TEST_DB_NAME", "bench_webhooks")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

URL = "/payments/stripe/webhook/"


def signed(event):
    payload = json.dumps(event)
    timestamp = int(time.time())
    digest = hmac.new(
        settings.STRIPE_WEBHOOK_SECRET.encode(),
        f"{timestamp}.{payload}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return payload, f"t={timestamp},v1={digest}"


def succeeded_event(donation, number):
    obj = {
        "id": donation.stripe_payment_intent_id,
        "object": "payment_intent",
        "amount": donation.amount_minor,
        "amount_received": donation.amount_minor,
        "currency": "cny",
        "status": "succeeded",
        "metadata": {"donation_id": str(donation.pk)},
    }
    return {
        "id": f"evt_bench_{number:07d}",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {"object": obj},
    }


def prepare(count):
    """Needs with caps, and one pending donation per event (not timed)."""
    from matching.ledger.models import Account
    from matching.ledger.services import account_open
    from matching.payments.models import Donation
    from matching.payments.services import donation_create

    targets = [
        account_open(
            code=f"need:{n}",
            kind=Account.Kind.NEED,
            category="medical",
            earmark_cap_minor=2_000_000,
        )
        for n in range(1, 21)
    ]
    donations = []
    for number in range(count):
        donation = donation_create(
            target_code=random.choice(targets).code,
            amount_minor=random.randint(1_000, 200_000),
            donor_email="donor@example.com",
        )
        Donation.objects.filter(pk=donation.pk).update(
            stripe_payment_intent_id=f"pi_bench_{number}"
        )
        donation.stripe_payment_intent_id = f"pi_bench_{number}"
        donations.append(donation)
    return donations


def deliveries(donations, replay_percent):
    events = [succeeded_event(d, n) for n, d in enumerate(donations)]
    replays = random.sample(events, len(events) * replay_percent // 100)
    return [(event, False) for event in events] + [(event, True) for event in replays]


def run(count, replay_percent):
    client = Client()
    plan = deliveries(prepare(count), replay_percent)
    first, replayed = [], []
    started = time.perf_counter()
    for event, is_replay in plan:
        payload, signature = signed(event)
        t0 = time.perf_counter()
        response = client.post(
            URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
        (replayed if is_replay else first).append(time.perf_counter() - t0)
        assert response.status_code == 200, response.content
    elapsed = time.perf_counter() - started
    return plan, first, replayed, elapsed


def check_ledger(count):
    from matching.ledger.selectors import transaction_unbalanced_list
    from matching.payments.models import Donation, StripeEvent

    assert StripeEvent.objects.count() == count
    assert Donation.objects.filter(status="succeeded").count() == count
    assert not transaction_unbalanced_list().exists()


def percentile(samples, percent):
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


def report(plan, first, replayed, elapsed):
    print(f"database: {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version})")
    print(f"events: {len(plan)} ({len(first)} new, {len(replayed)} replays), one worker")
    print(f"throughput: {len(plan) / elapsed:.0f} events/s over {elapsed:.2f}s")
    for label, samples in (("record a donation", first), ("replayed (dedupe)", replayed)):
        if samples:
            p50, p95 = percentile(samples, 50) * 1000, percentile(samples, 95) * 1000
            print(f"{label}: p50 {p50:.2f} ms, p95 {p95:.2f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--replay-percent", type=int, default=10, help="share delivered twice")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    random.seed(args.seed)
    if connection.vendor != "postgresql":
        sys.exit("this benchmark measures PostgreSQL; point DATABASE_URL at it")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        plan, first, replayed, elapsed = run(args.events, args.replay_percent)
        check_ledger(args.events)
        report(plan, first, replayed, elapsed)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
