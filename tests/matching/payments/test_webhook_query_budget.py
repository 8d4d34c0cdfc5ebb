"""The webhook's cost in SQL statements stays bounded (docs/ledger.md).

Throughput on PostgreSQL is set by round trips: a statement added to the
hot path (a second lock, a lookup the unique index already answers, a
signal handler writing on every save) shows up here before it shows up in
production. In production the webhook only records (one statement) and the
worker applies a whole batch in a fixed number of statements, however many
donations it holds.
"""

import pytest

from matching.ledger.models import Account
from matching.ledger.selectors import account_balance
from matching.ledger.services import account_open
from matching.payments.models import Donation, StripeEvent
from matching.payments.services import donation_create
from matching.payments.webhooks import stripe_events_apply
from tests.matching.payments.stripe_payloads import intent, stripe_event

pytestmark = pytest.mark.django_db

# Inside the test's transaction Django turns each transaction into
# SAVEPOINT ... RELEASE; those are counted here, BEGIN and COMMIT are not.
RECORD = 1
INLINE_DONATION = 14
# Savepoint, claim, savepoint, donations, accounts, lock, keys and room,
# postings, status changes, donations' status, release, outcomes, release;
# then one task row for the receipts and one for the needs' "raised"
# figures (after commit: not run inside a test's transaction).
WORKER_BATCH = 13
BATCH_SIZE = 50


@pytest.fixture(autouse=True)
def clearing(db):
    """The steady state: the first payment ever also opens the clearing account."""
    return account_open(code="stripe:clearing", kind=Account.Kind.CLEARING)


@pytest.fixture
def worker_mode(settings):
    settings.STRIPE_EVENTS_APPLY = "worker"


def test_the_webhook_records_an_event_in_one_statement_and_a_replay_in_one(
    worker_mode, post_event, donation, django_assert_max_num_queries
):
    event = stripe_event("payment_intent.succeeded", intent(donation))
    with django_assert_max_num_queries(RECORD):
        assert post_event(event).status_code == 200
    with django_assert_max_num_queries(RECORD):
        assert post_event(event).status_code == 200

    assert StripeEvent.objects.get().outcome == StripeEvent.Outcome.PENDING
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING


@pytest.mark.postgres  # the postings are one statement there
def test_the_worker_applies_fifty_donations_in_thirteen_statements(
    worker_mode, post_event, need_account, django_assert_max_num_queries
):
    other = account_open(
        code="need:18", kind=Account.Kind.NEED, category="medical", earmark_cap_minor=10**9
    )
    donations = []
    for number in range(BATCH_SIZE):
        target = need_account if number % 2 else other
        donation = donation_create(
            target_code=target.code, amount_minor=20_000, donor_email="d@example.com"
        )
        donation.stripe_payment_intent_id = f"pi_budget_{donation.pk}"
        donation.save(update_fields=["stripe_payment_intent_id"])
        donations.append(donation)
        post_event(stripe_event("payment_intent.succeeded", intent(donation)))

    with django_assert_max_num_queries(WORKER_BATCH):
        report = stripe_events_apply()

    assert report.applied == BATCH_SIZE
    assert Donation.objects.filter(status=Donation.Status.SUCCEEDED).count() == BATCH_SIZE
    # 25 gifts of 200 yuan each to the need that still requires 5,000: all fit.
    assert account_balance(account=need_account) == 500_000
    assert account_balance(account=other) == 500_000


@pytest.mark.postgres
def test_inline_a_donation_costs_at_most_fourteen_statements(
    post_event, donation, need_account, django_assert_max_num_queries
):
    event = stripe_event("payment_intent.succeeded", intent(donation))
    with django_assert_max_num_queries(INLINE_DONATION):
        response = post_event(event)

    assert response.status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.SUCCEEDED
    assert account_balance(account=need_account) == 100_000
    assert StripeEvent.objects.get().outcome == StripeEvent.Outcome.APPLIED


def test_inline_a_replay_costs_one_statement_and_changes_nothing(
    post_event, donation, need_account, django_assert_max_num_queries
):
    event = stripe_event("payment_intent.succeeded", intent(donation))
    post_event(event)

    with django_assert_max_num_queries(RECORD):
        response = post_event(event)

    assert response.status_code == 200
    assert StripeEvent.objects.count() == 1
    assert donation.status_changes.count() == 1
    assert account_balance(account=need_account) == 100_000
