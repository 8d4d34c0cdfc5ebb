"""The webhook: signatures, dedupe, and events in any order."""

import time

import pytest

from matching.ledger.models import Account, Entry, Transaction
from matching.ledger.selectors import account_balance, transaction_unbalanced_list
from matching.payments.models import Donation, StripeEvent
from tests.matching.payments.conftest import WEBHOOK_URL
from tests.matching.payments.stripe_payloads import (
    charge,
    dispute,
    intent,
    session,
    stripe_event,
)

pytestmark = pytest.mark.django_db
Status = Donation.Status


def _balance(code):
    account = Account.objects.filter(code=code).first()
    return account_balance(account=account) if account else 0


def _reloaded(donation):
    donation.refresh_from_db()
    return donation


# --- signatures ---------------------------------------------------------------


def test_a_correctly_signed_success_earmarks_the_money(post_event, donation):
    response = post_event(stripe_event("payment_intent.succeeded", intent(donation)))

    assert response.status_code == 200
    assert _reloaded(donation).status == Status.SUCCEEDED
    assert _balance("need:17") == 100_000
    assert _balance("stripe:clearing") == -100_000
    assert StripeEvent.objects.get().outcome == StripeEvent.Outcome.APPLIED


def test_a_wrong_secret_is_refused_and_changes_nothing(post_event, donation):
    event = stripe_event("payment_intent.succeeded", intent(donation))
    response = post_event(event, secret="whsec_not_ours")

    assert response.status_code == 400
    assert _reloaded(donation).status == Status.PENDING
    assert not StripeEvent.objects.exists() and not Entry.objects.exists()


def test_a_signature_older_than_stripes_tolerance_is_refused(post_event, donation):
    event = stripe_event("payment_intent.succeeded", intent(donation))
    response = post_event(event, timestamp=int(time.time()) - 3600)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_missing_signature_or_a_get_is_refused(client):
    assert client.post(WEBHOOK_URL, data="{}", content_type="application/json").status_code == 400
    assert client.get(WEBHOOK_URL).status_code == 405


def test_a_tampered_body_is_refused(client, donation):
    import json

    from tests.matching.payments.stripe_payloads import stripe_signature

    event = stripe_event("payment_intent.succeeded", intent(donation))
    signature = stripe_signature(json.dumps(event), secret="whsec_test_secret")
    event["data"]["object"]["amount_received"] = 1
    response = client.post(
        WEBHOOK_URL,
        data=json.dumps(event),
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        [],
        {},
        {"id": 5, "type": "payment_intent.succeeded", "data": {"object": {}}},
        {"id": "evt_1", "type": "payment_intent.succeeded"},
        {"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": "pi_1"}},
        {"id": "x" * 300, "type": "payment_intent.succeeded", "data": {"object": {}}},
        {"id": "evt_1", "type": "a", "created": "yesterday", "data": {"object": {}}},
        # Found by the property test: each was a 500.
        {"id": "evt_1", "type": "a", "data": {"object": {}}},
        {"id": "evt_1", "type": "a", "created": -62135596800, "data": {"object": {}}},
        {"id": "evt_1", "type": "a", "created": 10**13, "data": {"object": {}}},
        {"id": "evt_\x00", "type": "a", "created": 1, "data": {"object": {}}},
        {"id": "evt_1", "type": "a", "created": 1, "data": {"object": {"k": "\x00"}}},
        # A lone surrogate ("\\udae3" in the body): PostgreSQL cannot store it.
        {"id": "evt_1", "type": "a", "created": 1, "data": {"object": {"k": "\udae3"}}},
        {"id": "evt_1", "type": "a", "created": 1, "data": {"object": {"\ud800": 1}}},
        {"id": "evt_1", "type": "a", "created": 1, "data": {"object": {"n": float("nan")}}},
    ],
)
def test_a_signed_body_that_is_not_an_event_is_refused_and_nothing_recorded(post_event, body):
    response = post_event(body)

    assert response.status_code == 400
    assert "不是有效的 Stripe 事件" in response.content.decode()
    assert not StripeEvent.objects.exists()


def _post_signed_text(client, payload, *, timestamp=None):
    from django.conf import settings

    from tests.matching.payments.stripe_payloads import stripe_signature

    signature = stripe_signature(
        payload, secret=settings.STRIPE_WEBHOOK_SECRET, timestamp=timestamp
    )
    return client.post(
        WEBHOOK_URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


@pytest.mark.parametrize(
    "payload",
    [
        "[" * 50_000 + "]" * 50_000,
        '{"id": "evt_deep", "type": "x", "data": {"object": '
        + '{"a": ' * 50_000
        + "1"
        + "}" * 50_000
        + "}}",
        # Parses, but deeper than any Stripe event: refused before it is stored.
        '{"id": "evt_deep", "type": "x", "data": {"object": '
        + '{"a": ' * 500
        + "1"
        + "}" * 500
        + "}}",
    ],
    ids=["list-50000", "object-50000", "object-500"],
)
def test_a_signed_body_nested_too_deep_is_refused(client, db, payload):
    response = _post_signed_text(client, payload)

    assert response.status_code == 400
    assert "不是有效的 Stripe 事件" in response.content.decode()
    assert not StripeEvent.objects.exists()


def test_a_signature_dated_an_hour_ahead_is_refused(post_event, donation):
    event = stripe_event("payment_intent.succeeded", intent(donation))
    response = post_event(event, timestamp=int(time.time()) + 3600)

    assert response.status_code == 400
    assert _reloaded(donation).status == Status.PENDING
    assert not StripeEvent.objects.exists()


def test_a_signature_a_few_seconds_ahead_is_accepted(post_event, donation):
    # Stripe's clock and ours differ by a little: within the tolerance it is fine.
    event = stripe_event("payment_intent.succeeded", intent(donation))
    response = post_event(event, timestamp=int(time.time()) + 30)

    assert response.status_code == 200
    assert _reloaded(donation).status == Status.SUCCEEDED


# --- dedupe -------------------------------------------------------------------


def test_a_replayed_event_is_answered_200_and_changes_nothing(post_event, donation):
    event = stripe_event("payment_intent.succeeded", intent(donation))
    post_event(event)
    ledger_before = list(Entry.objects.values_list("id", "account__code", "amount_minor"))

    response = post_event(event)

    assert response.status_code == 200
    assert list(Entry.objects.values_list("id", "account__code", "amount_minor")) == ledger_before
    assert StripeEvent.objects.count() == 1
    assert donation.status_changes.count() == 1


def test_two_events_reporting_one_payment_post_it_once(post_event, donation):
    post_event(stripe_event("payment_intent.succeeded", intent(donation)))
    post_event(stripe_event("checkout.session.completed", session(donation)))

    assert Transaction.objects.count() == 1
    assert _balance("need:17") == 100_000


# --- out of order -------------------------------------------------------------


def test_a_late_failure_does_not_undo_a_success(post_event, donation):
    post_event(stripe_event("payment_intent.succeeded", intent(donation)))
    response = post_event(
        stripe_event(
            "payment_intent.payment_failed", intent(donation, status="requires_payment_method")
        )
    )

    assert response.status_code == 200
    assert _reloaded(donation).status == Status.SUCCEEDED
    assert _balance("need:17") == 100_000
    assert StripeEvent.objects.filter(outcome=StripeEvent.Outcome.IGNORED).count() == 1


def test_a_retry_that_succeeds_after_a_failure_counts(post_event, donation):
    post_event(stripe_event("payment_intent.payment_failed", intent(donation)))
    assert _reloaded(donation).status == Status.FAILED
    post_event(stripe_event("payment_intent.succeeded", intent(donation)))
    assert _reloaded(donation).status == Status.SUCCEEDED


def test_a_refund_arriving_before_the_success_ends_refunded(post_event, donation):
    refunded = charge(donation, amount_refunded=donation.amount_minor, refunded=True)
    post_event(stripe_event("charge.refunded", refunded))
    post_event(stripe_event("payment_intent.succeeded", intent(donation)))

    assert _reloaded(donation).status == Status.REFUNDED
    assert _balance("need:17") == 0
    assert _balance("refunds") == 100_000
    assert _balance("stripe:clearing") == -100_000
    assert not transaction_unbalanced_list().exists()


def test_partial_refunds_out_of_order_keep_the_largest_total(post_event, donation):
    post_event(stripe_event("payment_intent.succeeded", intent(donation)))
    post_event(stripe_event("charge.refunded", charge(donation, amount_refunded=30_000)))
    post_event(stripe_event("charge.refunded", charge(donation, amount_refunded=10_000)))

    assert _reloaded(donation).status == Status.PARTIALLY_REFUNDED
    assert _balance("refunds") == 30_000
    assert _balance("need:17") == 70_000


def test_an_expiry_after_checkout_completed_is_ignored(post_event, donation):
    post_event(stripe_event("checkout.session.completed", session(donation)))
    post_event(stripe_event("checkout.session.expired", session(donation, status="expired")))
    assert _reloaded(donation).status == Status.SUCCEEDED


def test_an_unpaid_checkout_completion_records_no_money(post_event, donation):
    post_event(
        stripe_event("checkout.session.completed", session(donation, payment_status="unpaid"))
    )
    assert _reloaded(donation).status == Status.PENDING
    assert not Entry.objects.exists()


def test_an_expired_checkout_expires_the_donation(post_event, donation):
    post_event(stripe_event("checkout.session.expired", session(donation, status="expired")))
    assert _reloaded(donation).status == Status.EXPIRED


def test_a_lost_dispute_freezes_then_removes_the_money(post_event, donation):
    post_event(stripe_event("payment_intent.succeeded", intent(donation)))
    post_event(stripe_event("charge.dispute.created", dispute(donation)))
    assert _reloaded(donation).status == Status.DISPUTED
    assert (_balance("need:17"), _balance("disputes")) == (0, 100_000)

    post_event(stripe_event("charge.dispute.closed", dispute(donation, status="lost")))
    assert _reloaded(donation).status == Status.DISPUTE_LOST
    assert (_balance("need:17"), _balance("disputes")) == (0, 100_000)


def test_a_won_dispute_closing_before_anything_else_ends_as_a_plain_success(post_event, donation):
    post_event(stripe_event("charge.dispute.closed", dispute(donation, status="won")))
    post_event(stripe_event("charge.dispute.created", dispute(donation)))
    post_event(stripe_event("payment_intent.succeeded", intent(donation)))

    assert _reloaded(donation).status == Status.SUCCEEDED
    assert (_balance("need:17"), _balance("disputes")) == (100_000, 0)
    assert not transaction_unbalanced_list().exists()


def test_a_payment_of_another_amount_posts_nothing(post_event, donation):
    post_event(stripe_event("payment_intent.succeeded", intent(donation, amount_received=1)))
    assert _reloaded(donation).status == Status.PENDING
    assert not Entry.objects.exists()
    assert StripeEvent.objects.get().outcome == StripeEvent.Outcome.IGNORED


def test_a_checkout_session_teaches_the_donation_its_payment_intent(post_event, donation):
    Donation.objects.filter(pk=donation.pk).update(stripe_payment_intent_id="")
    post_event(stripe_event("checkout.session.completed", session(donation, payment_intent="pi_x")))
    post_event(
        stripe_event(
            "charge.refunded",
            {**charge(donation), "payment_intent": "pi_x", "amount_refunded": 100_000},
        )
    )
    assert _reloaded(donation).stripe_payment_intent_id == "pi_x"
    assert donation.status == Status.REFUNDED


# --- policy and strays --------------------------------------------------------


def test_money_beyond_what_the_need_requires_goes_to_the_category_fund(post_event, need_account):
    from matching.payments.services import donation_create

    big = donation_create(target_code=need_account.code, amount_minor=800_000)
    Donation.objects.filter(pk=big.pk).update(stripe_payment_intent_id="pi_big")
    big.refresh_from_db()
    post_event(stripe_event("payment_intent.succeeded", intent(big)))

    assert _balance("need:17") == 500_000
    assert _balance("general:medical") == 300_000


def test_an_event_for_an_unknown_payment_is_recorded_as_unmatched(post_event, db):
    stray = {"id": "pi_elsewhere", "object": "payment_intent", "amount_received": 5, "metadata": {}}
    response = post_event(stripe_event("payment_intent.succeeded", stray))
    assert response.status_code == 200
    assert StripeEvent.objects.get().outcome == StripeEvent.Outcome.UNMATCHED
    assert not Entry.objects.exists()


def test_an_unhandled_event_type_is_recorded_and_ignored(post_event, db):
    response = post_event(stripe_event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200
    assert StripeEvent.objects.get().outcome == StripeEvent.Outcome.IGNORED
