"""Donation services, with Stripe calls going to stripe-mock."""

from unittest import mock

import pytest
import stripe
from django.core import mail
from django.core.exceptions import ValidationError

from matching.core.errors import DomainError, refusal_message
from matching.ledger.models import Account
from matching.ledger.selectors import account_balance
from matching.payments.models import Donation
from matching.payments.selectors import (
    donation_get_by_tracking_code,
    donation_holdings,
    donation_tracking_steps,
)
from matching.payments.services import (
    InvalidTransition,
    donation_checkout_session_create,
    donation_create,
    donation_payment_intent_create,
    donation_receive,
    donation_refund,
    donation_status_set,
)

pytestmark = pytest.mark.django_db
Status = Donation.Status


def test_a_donation_to_an_unknown_account_is_refused(db):
    with pytest.raises(ValidationError):
        donation_create(target_code="need:999", amount_minor=100)


@pytest.mark.parametrize("amount", [0, -100, 12.5, "100"])
def test_a_donation_amount_must_be_positive_whole_fen(need_account, amount):
    with pytest.raises(ValidationError):
        donation_create(target_code=need_account.code, amount_minor=amount)
    assert not Donation.objects.exists()


def test_a_donation_gets_an_unguessable_tracking_code(donation):
    assert len(donation.tracking_code) >= 20
    assert donation_get_by_tracking_code(tracking_code=donation.tracking_code) == donation


def test_the_status_map_refuses_going_back_from_success(donation):
    donation_status_set(donation=donation, to_status=Status.SUCCEEDED, reason="test")
    with pytest.raises(InvalidTransition):
        donation_status_set(donation=donation, to_status=Status.FAILED)
    with pytest.raises(InvalidTransition):
        donation_status_set(donation=donation, to_status=Status.PENDING)
    assert donation.status_changes.get().to_status == Status.SUCCEEDED


def test_a_refused_donation_move_is_a_domain_error_that_names_both_states(donation):
    donation_status_set(donation=donation, to_status=Status.SUCCEEDED, reason="test")
    with pytest.raises(DomainError) as refused:
        donation_status_set(donation=donation, to_status=Status.PENDING)
    assert refusal_message(refused.value) == (
        f"捐赠状态不能从{Status.SUCCEEDED.label}变为{Status.PENDING.label}。"
    )
    donation.refresh_from_db()
    assert donation.status == Status.SUCCEEDED


@pytest.mark.stripe
def test_the_payment_intent_is_created_with_the_donations_own_idempotency_key(need_account):
    donation = donation_create(target_code=need_account.code, amount_minor=100_000)
    with mock.patch.object(
        stripe.PaymentIntent, "create", wraps=stripe.PaymentIntent.create
    ) as create:
        intent = donation_payment_intent_create(donation=donation)
        again = donation_payment_intent_create(donation=donation)

    assert intent.object == "payment_intent" and intent.id.startswith("pi_")
    # Asked twice, the donation keeps its one intent: the second call only
    # retrieves it (stripe-mock answers retrieves with a fixture id).
    assert again.object == "payment_intent"
    assert create.call_count == 1
    assert create.call_args.kwargs["idempotency_key"] == f"donation-{donation.pk}-create"
    assert create.call_args.kwargs["amount"] == 100_000
    assert create.call_args.kwargs["currency"] == "cny"
    donation.refresh_from_db()
    assert donation.stripe_payment_intent_id == intent.id


@pytest.mark.stripe
def test_a_checkout_session_is_keyed_by_the_donation_and_carries_its_id(donation):
    with mock.patch.object(
        stripe.checkout.Session, "create", wraps=stripe.checkout.Session.create
    ) as create:
        session = donation_checkout_session_create(
            donation=donation, success_url="http://testserver/ok", cancel_url="http://testserver/no"
        )

    assert session.id.startswith("cs_")
    sent = create.call_args.kwargs
    assert sent["idempotency_key"] == f"donation-{donation.pk}-checkout"
    assert sent["payment_intent_data"]["metadata"]["donation_id"] == str(donation.pk)
    assert sent["line_items"][0]["price_data"]["unit_amount"] == 100_000
    donation.refresh_from_db()
    assert donation.stripe_checkout_session_id == session.id


def test_without_stripe_keys_no_card_payment_can_start(donation, settings):
    settings.STRIPE_SECRET_KEY = ""
    with (
        mock.patch.object(stripe.PaymentIntent, "create") as create,
        pytest.raises(ValidationError),
    ):
        donation_payment_intent_create(donation=donation)
    create.assert_not_called()


def test_the_tracking_steps_show_the_path_and_nothing_personal(need_account):
    gift = donation_create(
        target_code=need_account.code, amount_minor=600_000, donor_name="李四", anonymous=False
    )
    donation_receive(donation=gift, reason="test")

    steps = donation_tracking_steps(donation=gift)

    assert [(s.kind, s.account_code, s.amount_minor) for s in steps] == [
        ("donation", "need:17", 500_000),
        ("donation", "general:medical", 100_000),
    ]
    assert "李四" not in repr(steps)


def test_receiving_sends_one_receipt_with_the_tracking_code(
    donation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        donation_receive(donation=donation, reason="test")
        donation_receive(donation=donation, reason="test again")

    assert len(mail.outbox) == 1
    assert donation.tracking_code in mail.outbox[0].body
    assert mail.outbox[0].to == ["donor@example.com"]


@pytest.mark.stripe
def test_a_partial_then_full_refund_through_stripe_reverses_the_ledger(donation):
    donation_receive(donation=donation, reason="test")

    with mock.patch.object(stripe.Refund, "create", wraps=stripe.Refund.create) as create:
        donation = donation_refund(donation=donation, amount_minor=30_000)
        assert donation.status == Status.PARTIALLY_REFUNDED
        donation = donation_refund(donation=donation)

    assert donation.status == Status.REFUNDED
    assert [call.kwargs["idempotency_key"] for call in create.call_args_list] == [
        f"donation-{donation.pk}-refund-to-30000",
        f"donation-{donation.pk}-refund-to-100000",
    ]
    assert account_balance(account=Account.objects.get(code="need:17")) == 0
    assert account_balance(account=Account.objects.get(code="refunds")) == 100_000
    assert donation_holdings(donation=donation) == {}


@pytest.mark.stripe
def test_refunds_beyond_what_was_given_or_before_payment_are_refused(donation):
    with pytest.raises(ValidationError):
        donation_refund(donation=donation)
    donation_receive(donation=donation, reason="test")
    with pytest.raises(ValidationError):
        donation_refund(donation=donation, amount_minor=100_001)


@pytest.mark.stripe
def test_a_refund_of_a_split_donation_takes_the_overflow_back_first(need_account):
    big = donation_create(target_code=need_account.code, amount_minor=600_000)
    Donation.objects.filter(pk=big.pk).update(stripe_payment_intent_id="pi_big")
    big = donation_receive(donation=big, reason="test")
    assert donation_holdings(donation=big) == {"need:17": 500_000, "general:medical": 100_000}

    donation_refund(donation=big, amount_minor=150_000)

    assert donation_holdings(donation=big) == {"need:17": 450_000}
