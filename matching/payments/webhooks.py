"""Applying Stripe events: record each id once, then dispatch by type.

The webhook view and the reconcile command both come through
``stripe_event_process``. Recording the event and applying it share one
database transaction: if a handler fails, the event is not recorded either,
the webhook answers 500 and Stripe delivers it again.

Out-of-order arrival: every handler first makes sure the facts it depends
on are recorded (a refund or dispute implies the payment succeeded, so it
records the receipt itself), and every posting is keyed by the fact it
records; whichever order events come in, the end state is the same.
"""

import datetime
import functools
import logging

from django.db import connection, transaction

from .models import Donation, StripeEvent
from .selectors import donation_for_stripe_object
from .services import (
    InvalidTransition,
    donation_dispute_close,
    donation_dispute_open,
    donation_payment_intent_remember,
    donation_receive,
    donation_refund_record,
    donation_status_set,
)

logger = logging.getLogger(__name__)


def _paid_as_agreed(*, donation, obj, amount_field, event_id):
    """Stripe's amount and currency must be the donation's, or nothing is posted."""
    amount = obj.get(amount_field, donation.amount_minor)
    currency = obj.get("currency", donation.currency)
    if amount == donation.amount_minor and currency == donation.currency:
        return True
    logger.error(
        "event %s: %s %s does not match donation %s", event_id, amount, currency, donation.pk
    )
    return False


def _payment_succeeded(*, donation, obj, event_id):
    if not _paid_as_agreed(
        donation=donation, obj=obj, amount_field="amount_received", event_id=event_id
    ):
        return StripeEvent.Outcome.IGNORED
    # stripe_event_process found the donation with SELECT ... FOR UPDATE.
    donation_receive(donation=donation, reason=event_id, locked=True)
    return StripeEvent.Outcome.APPLIED


def _checkout_completed(*, donation, obj, event_id):
    # Delayed payment methods complete the session before the money arrives.
    if obj.get("payment_status") != "paid" or not _paid_as_agreed(
        donation=donation, obj=obj, amount_field="amount_total", event_id=event_id
    ):
        return StripeEvent.Outcome.IGNORED
    if obj.get("payment_intent"):
        donation = donation_payment_intent_remember(
            donation=donation, payment_intent_id=obj["payment_intent"]
        )
    donation_receive(donation=donation, reason=event_id)
    return StripeEvent.Outcome.APPLIED


def _status_if_allowed(to_status):
    """A handler for events that only move status; a stale one is ignored."""

    def handler(*, donation, obj, event_id):
        try:
            donation_status_set(donation=donation, to_status=to_status, reason=event_id)
        except InvalidTransition:
            logger.info(
                "event %s: stale for donation %s in %s", event_id, donation.pk, donation.status
            )
            return StripeEvent.Outcome.IGNORED
        return StripeEvent.Outcome.APPLIED

    return handler


def _charge_refunded(*, donation, obj, event_id):
    donation_refund_record(
        donation=donation, refunded_total_minor=obj["amount_refunded"], reason=event_id
    )
    return StripeEvent.Outcome.APPLIED


def _dispute_created(*, donation, obj, event_id):
    donation_dispute_open(
        donation=donation, dispute_id=obj["id"], amount_minor=obj["amount"], reason=event_id
    )
    return StripeEvent.Outcome.APPLIED


def _dispute_closed(*, donation, obj, event_id):
    won = obj.get("status") in ("won", "warning_closed")
    donation_dispute_close(
        donation=donation,
        dispute_id=obj["id"],
        amount_minor=obj["amount"],
        won=won,
        reason=event_id,
    )
    return StripeEvent.Outcome.APPLIED


HANDLERS = {
    "payment_intent.succeeded": _payment_succeeded,
    "payment_intent.payment_failed": _status_if_allowed(Donation.Status.FAILED),
    "checkout.session.completed": _checkout_completed,
    "checkout.session.async_payment_succeeded": _checkout_completed,
    "checkout.session.expired": _status_if_allowed(Donation.Status.EXPIRED),
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute_created,
    "charge.dispute.closed": _dispute_closed,
}


def _record(*, payload, source):
    """Insert the event row, or return None if this id was seen before."""
    created = payload.get("created")
    event = StripeEvent(
        event_id=payload["id"],
        type=payload["type"],
        source=source,
        payload=payload,
        outcome=StripeEvent.Outcome.IGNORED,
        stripe_created=datetime.datetime.fromtimestamp(created, tz=datetime.UTC)
        if created
        else None,
    )
    # The payload is the body we just parsed: validating it would encode it
    # once more only to prove it is JSON.
    event.full_clean(exclude=["payload"], validate_unique=False, validate_constraints=False)
    event.pk = _insert_unless_recorded(event)
    if event.pk is None:
        return None
    event._state.adding = False
    return event


@functools.cache
def _insert_sql(vendor):
    """INSERT ... ON CONFLICT (event_id) DO NOTHING RETURNING id (PostgreSQL, SQLite)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _insert_fields())
    placeholders = ", ".join(["%s"] * len(_insert_fields()))
    # Identifiers come from the model's metadata; every value is a parameter.
    table = quote(StripeEvent._meta.db_table)
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({quote('event_id')}) DO NOTHING RETURNING {quote('id')}"
    )


def _insert_fields():
    return [field for field in StripeEvent._meta.concrete_fields if not field.primary_key]


def _insert_unless_recorded(event):
    """The dedupe, in one statement: the new row's id, or None for a known id.

    Uniqueness is the database's: a concurrent delivery of the same id waits
    on the unique index until the first one commits, then inserts nothing.
    No savepoint and no exception, so a duplicate costs one round trip.
    """
    values = [
        field.get_db_prep_save(field.pre_save(event, add=True), connection)
        for field in _insert_fields()
    ]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection.vendor), values)
        row = cursor.fetchone()
    return row[0] if row else None


@transaction.atomic
def stripe_event_process(*, payload, source="webhook"):
    """Record and apply one event (a parsed, verified payload).

    Returns the recorded StripeEvent, or None for a duplicate. The donation
    is found and row-locked in one statement; handlers work on that row.
    """
    event = _record(payload=payload, source=source)
    if event is None:
        return None
    handler = HANDLERS.get(event.type)
    if handler is None:
        return event
    obj = payload["data"]["object"]
    event.donation = donation_for_stripe_object(obj=obj, for_update=True)
    if event.donation is None:
        event.outcome = StripeEvent.Outcome.UNMATCHED
    else:
        event.outcome = handler(donation=event.donation, obj=obj, event_id=event.event_id)
    event.save(update_fields=["donation", "outcome"])
    return event
