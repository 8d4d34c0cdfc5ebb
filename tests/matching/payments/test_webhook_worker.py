"""Production's webhook records; the worker applies events in batches.

The webhook answers as soon as the event is committed; ``stripe_events_worker``
applies what is due, many events per transaction, and keeps one bad event
from holding up the others.
"""

import datetime
import logging

import pytest
from django.core.management import call_command
from django.utils import timezone

from matching.ledger.models import Account, Transaction
from matching.ledger.selectors import account_balance, transaction_unbalanced_list
from matching.payments.models import Donation, StripeEvent
from matching.payments.services import donation_create
from matching.payments.webhooks import stripe_events_apply
from tests.matching.payments.stripe_payloads import charge, intent, stripe_event

pytestmark = pytest.mark.django_db
Status = Donation.Status
Outcome = StripeEvent.Outcome


@pytest.fixture(autouse=True)
def worker_mode(settings):
    settings.STRIPE_EVENTS_APPLY = "worker"


def _balance(code):
    account = Account.objects.filter(code=code).first()
    return account_balance(account=account) if account else 0


def _donation(target_code, amount_minor, **fields):
    donation = donation_create(target_code=target_code, amount_minor=amount_minor, **fields)
    donation.stripe_payment_intent_id = f"pi_worker_{donation.pk}"
    donation.save(update_fields=["stripe_payment_intent_id"])
    return donation


def _worker():
    call_command("stripe_events_worker", "--once", stdout=None)


def test_the_webhook_answers_before_applying_and_the_worker_applies(post_event, donation):
    response = post_event(stripe_event("payment_intent.succeeded", intent(donation)))

    assert response.status_code == 200
    event = StripeEvent.objects.get()
    assert event.outcome == Outcome.PENDING
    donation.refresh_from_db()
    assert donation.status == Status.PENDING
    assert _balance("need:17") == 0

    _worker()

    event.refresh_from_db()
    donation.refresh_from_db()
    assert (event.outcome, event.donation, event.due_at) == (Outcome.APPLIED, donation, None)
    assert event.applied_at is not None
    assert donation.status == Status.SUCCEEDED
    assert _balance("need:17") == 100_000


def test_one_batch_applies_mixed_events_in_any_order_each_once(
    post_event, need_account, mailoutbox, django_capture_on_commit_callbacks
):
    paid, refunded, unknown_amount = (
        _donation(need_account.code, 100_000, donor_email=f"d{n}@example.com") for n in range(3)
    )
    succeeded = stripe_event("payment_intent.succeeded", intent(paid))
    # The refund of the second donation arrives before its success.
    post_event(stripe_event("charge.refunded", charge(refunded, amount_refunded=100_000)))
    post_event(stripe_event("payment_intent.succeeded", intent(refunded)))
    post_event(succeeded)
    post_event(succeeded)  # Stripe delivers it again before the worker ran
    post_event(stripe_event("payment_intent.succeeded", intent(paid)))  # a second id, same fact
    post_event(stripe_event("payment_intent.succeeded", intent(unknown_amount, amount_received=1)))
    nobody = {**intent(paid), "id": "pi_nobody", "metadata": {}}
    post_event(stripe_event("payment_intent.succeeded", nobody))
    post_event(stripe_event("payment_intent.payment_failed", intent(paid)))  # late, stale

    with django_capture_on_commit_callbacks(execute=True):
        _worker()

    for donation in (paid, refunded, unknown_amount):
        donation.refresh_from_db()
    assert paid.status == Status.SUCCEEDED
    assert refunded.status == Status.REFUNDED
    assert unknown_amount.status == Status.PENDING
    outcomes = sorted(StripeEvent.objects.values_list("outcome", flat=True))
    assert outcomes == sorted(
        [Outcome.APPLIED] * 4 + [Outcome.IGNORED, Outcome.IGNORED, Outcome.UNMATCHED]
    )
    assert _balance("need:17") == 100_000
    assert _balance("refunds") == 100_000
    assert Transaction.objects.filter(idempotency_key__endswith="-received").count() == 2
    assert not transaction_unbalanced_list().exists()
    # One receipt per donation whose money arrived.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([paid.donor_email, refunded.donor_email])


def test_a_batch_earmarks_in_order_and_never_past_what_the_need_requires(post_event, need_account):
    gifts = [_donation(need_account.code, 120_000) for _ in range(6)]  # 7,200 yuan for 5,000
    for gift in gifts:
        post_event(stripe_event("payment_intent.succeeded", intent(gift)))

    _worker()

    assert _balance("need:17") == 500_000
    assert _balance("general:medical") == 220_000
    assert not Donation.objects.exclude(status=Status.SUCCEEDED).exists()


def test_a_failing_event_is_retried_later_without_holding_up_the_batch(
    post_event, need_account, caplog
):
    fine = _donation(need_account.code, 50_000)
    orphan = _donation(need_account.code, 50_000, donor_name="李四", donor_email="li@example.com")
    # The orphan's target account is gone from under it (a bad import, say).
    Donation.objects.filter(pk=orphan.pk).update(target_code="need:999")
    post_event(stripe_event("payment_intent.succeeded", intent(orphan)))
    post_event(stripe_event("payment_intent.succeeded", intent(fine)))

    with caplog.at_level(logging.ERROR):
        _worker()

    failed = StripeEvent.objects.get(donation=None, outcome=Outcome.FAILED)
    assert failed.attempts == 1
    assert failed.last_error == "DoesNotExist"
    assert failed.due_at > timezone.now()
    fine.refresh_from_db()
    assert fine.status == Status.SUCCEEDED
    assert _balance("need:17") == 50_000
    # The log names the event, never the donor.
    assert failed.event_id in caplog.text
    assert "李四" not in caplog.text and "li@example.com" not in caplog.text

    # Not due yet: the next run leaves it alone.
    assert stripe_events_apply().handled == 0
    # Fixed, and due: applied on the retry.
    Account.objects.create(code="need:999", kind=Account.Kind.NEED, category="medical")
    later = timezone.now() + datetime.timedelta(minutes=5)
    assert stripe_events_apply(now=later).applied == 1
    failed.refresh_from_db()
    orphan.refresh_from_db()
    assert (failed.outcome, failed.attempts, failed.last_error) == (Outcome.APPLIED, 2, "")
    assert orphan.status == Status.SUCCEEDED


def test_failures_back_off_up_to_an_hour(post_event, need_account):
    orphan = _donation(need_account.code, 50_000)
    Donation.objects.filter(pk=orphan.pk).update(target_code="need:999")
    post_event(stripe_event("payment_intent.succeeded", intent(orphan)))
    now = timezone.now()
    waits = []
    for _ in range(10):
        stripe_events_apply(now=now)
        event = StripeEvent.objects.get()
        waits.append(round((event.due_at - now).total_seconds()))
        now = event.due_at

    assert waits[:4] == [30, 60, 120, 240]
    assert waits[-1] == 3600
    assert event.attempts == 10
