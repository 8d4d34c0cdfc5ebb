"""The webhook's cost in SQL statements stays bounded (docs/performance.md).

Throughput on PostgreSQL is set by round trips: a statement added to the
hot path (a second lock, a lookup the unique index already answers, a
signal handler writing on every save) shows up here before it shows up in
production.
"""

import pytest

from matching.ledger.models import Account
from matching.ledger.selectors import account_balance
from matching.ledger.services import account_open
from matching.payments.models import Donation, StripeEvent
from tests.matching.payments.stripe_payloads import intent, stripe_event

pytestmark = pytest.mark.django_db

# Inside the test's transaction Django turns the webhook's transaction into
# SAVEPOINT ... RELEASE; those two are counted here, BEGIN and COMMIT are not.
RECORD_A_DONATION = 11
REPLAY = 3


@pytest.fixture(autouse=True)
def clearing(db):
    """The steady state: the first payment ever also opens the clearing account."""
    return account_open(code="stripe:clearing", kind=Account.Kind.CLEARING)


@pytest.mark.postgres  # the transaction and its entries are one statement there
def test_recording_a_donation_costs_at_most_eleven_statements(
    post_event, donation, need_account, django_assert_max_num_queries
):
    event = stripe_event("payment_intent.succeeded", intent(donation))
    with django_assert_max_num_queries(RECORD_A_DONATION):
        response = post_event(event)

    assert response.status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.SUCCEEDED
    assert account_balance(account=need_account) == 100_000
    assert StripeEvent.objects.get().outcome == StripeEvent.Outcome.APPLIED


def test_a_replay_costs_at_most_three_statements_and_changes_nothing(
    post_event, donation, need_account, django_assert_max_num_queries
):
    event = stripe_event("payment_intent.succeeded", intent(donation))
    post_event(event)

    with django_assert_max_num_queries(REPLAY):
        response = post_event(event)

    assert response.status_code == 200
    assert StripeEvent.objects.count() == 1
    assert donation.status_changes.count() == 1
    assert account_balance(account=need_account) == 100_000
