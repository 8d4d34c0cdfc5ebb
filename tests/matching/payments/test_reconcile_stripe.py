"""The reconcile command applies events the webhook missed, once."""

from io import StringIO
from unittest import mock

import pytest
import stripe
from django.core.management import call_command

from matching.ledger.models import Transaction
from matching.payments.models import Donation, StripeEvent
from tests.matching.payments.stripe_payloads import intent, stripe_event

pytestmark = [pytest.mark.django_db, pytest.mark.stripe]


def _reconcile():
    out = StringIO()
    call_command("reconcile_stripe", "--limit", "10", stdout=out)
    return out.getvalue()


def test_it_records_stripe_mocks_fixture_event_once(db):
    assert "recorded 1 new" in _reconcile()
    assert "recorded 0 new" in _reconcile()

    recorded = StripeEvent.objects.get()
    assert recorded.source == "reconcile"
    assert recorded.event_id.startswith("evt_")


def test_a_missed_success_is_applied_and_then_left_alone(donation, post_event):
    missed = stripe_event("payment_intent.succeeded", intent(donation))
    listing = mock.Mock()
    listing.auto_paging_iter.return_value = iter([stripe.Event.construct_from(missed, "sk")])

    with mock.patch.object(stripe.Event, "list", return_value=listing):
        _reconcile()
    post_event(missed)  # the webhook delivery arrives late

    donation.refresh_from_db()
    assert donation.status == Donation.Status.SUCCEEDED
    assert Transaction.objects.count() == 1
    assert StripeEvent.objects.get().source == "reconcile"
