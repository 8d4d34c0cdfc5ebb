"""The event worker on PostgreSQL: racing workers, and the long-running service."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from matching.ledger.models import Account, Transaction
from matching.ledger.selectors import account_balance, transaction_unbalanced_list
from matching.payments.models import Donation, StripeEvent
from matching.payments.services import donation_create
from matching.payments.webhooks import stripe_events_drain
from tests.matching.payments.stripe_payloads import intent, stripe_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

REPO = Path(__file__).resolve().parents[3]
GIFTS = 200
GIFT = 4_000  # 40 yuan each: 8,000 yuan against the 5,000 still needed


@pytest.fixture(autouse=True)
def worker_mode(settings):
    settings.STRIPE_EVENTS_APPLY = "worker"


def _pending_gifts(post_event, need_account, count, amount):
    donations = []
    for _ in range(count):
        donation = donation_create(target_code=need_account.code, amount_minor=amount)
        donation.stripe_payment_intent_id = f"pi_race_{donation.pk}"
        donation.save(update_fields=["stripe_payment_intent_id"])
        assert post_event(stripe_event("payment_intent.succeeded", intent(donation))).status_code
        donations.append(donation)
    return donations


def test_two_workers_share_the_queue_and_never_over_fund_a_need(post_event, need_account):
    _pending_gifts(post_event, need_account, GIFTS, GIFT)
    start = threading.Barrier(2)
    reports, errors = [], []

    def work():
        try:
            start.wait()
            reports.append(stripe_events_drain(batch=25))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(report.applied for report in reports) == GIFTS
    assert sum(report.failed for report in reports) == 0
    assert not StripeEvent.objects.exclude(outcome=StripeEvent.Outcome.APPLIED).exists()
    assert Transaction.objects.filter(idempotency_key__endswith="-received").count() == GIFTS
    assert account_balance(account=need_account) == 500_000
    general = Account.objects.get(code="general:medical")
    assert account_balance(account=general) == GIFTS * GIFT - 500_000
    assert not transaction_unbalanced_list().exists()


def test_the_worker_service_wakes_on_a_new_event_and_stops_on_sigterm(post_event, donation):
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    # Idle for 60 s between looks at the queue: only the notification can wake it sooner.
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "stripe_events_worker", "--idle", "60"], cwd=REPO, env=env
    )
    try:
        time.sleep(3)  # started and listening
        assert worker.poll() is None
        posted = time.monotonic()
        post_event(stripe_event("payment_intent.succeeded", intent(donation)))
        while time.monotonic() - posted < 15:
            donation.refresh_from_db()
            if donation.status == Donation.Status.SUCCEEDED:
                break
            time.sleep(0.05)
        waited = time.monotonic() - posted

        assert donation.status == Donation.Status.SUCCEEDED
        assert waited < 15
        assert account_balance(account=Account.objects.get(code=donation.target_code)) == 100_000
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=20) == 0
    assert settings.STRIPE_EVENTS_APPLY == "worker"
