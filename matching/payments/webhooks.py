"""Applying Stripe events: record each id once, then apply them in batches.

The webhook view records the verified event (one INSERT that does nothing
for an id seen before) and answers; ``stripe_events_apply`` applies every
recorded event that is due, oldest first, many in one database
transaction. Where that runs is a setting (``STRIPE_EVENTS_APPLY``):
``inline``, in the webhook's own request right after recording (the
embedded default and tests), or ``worker``, in ``manage.py
stripe_events_worker`` (production: Stripe's request is answered at once,
and one worker applies hundreds of events per second, docs/ledger.md).

Payment successes, the bulk of the traffic, are applied together: every
donation found and locked in one statement, every earmark in one ledger
batch (``funds_earmark_many``: each amount sees the ones before it, so no
need is over-funded), one INSERT of status changes, one UPDATE. Other
types go one by one through their handlers. A batch that fails is retried
event by event in savepoints, so one bad event is marked ``failed`` (and
retried later, with backoff) without holding up the others.

Out-of-order arrival: every handler first makes sure the facts it depends
on are recorded (a refund or dispute implies the payment succeeded, so it
records the receipt itself), and every posting is keyed by the fact it
records; whichever order events come in, the end state is the same.
"""

import datetime
import functools
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from .models import Donation, StripeEvent
from .recurring import recurring_event_apply, recurring_handler_for
from .selectors import donations_for_stripe_objects
from .services import (
    InvalidTransition,
    donation_dispute_close,
    donation_dispute_open,
    donation_payment_intent_remember,
    donation_receive,
    donation_refund_record,
    donation_status_set,
    donations_receive,
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


# payment_intent.succeeded is applied in batches (``_apply_received``).
HANDLERS = {
    "payment_intent.payment_failed": _status_if_allowed(Donation.Status.FAILED),
    "checkout.session.completed": _checkout_completed,
    "checkout.session.async_payment_succeeded": _checkout_completed,
    "checkout.session.expired": _status_if_allowed(Donation.Status.EXPIRED),
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute_created,
    "charge.dispute.closed": _dispute_closed,
}


CHANNEL = "stripe_events"
BATCH = 500
# Backoff after a failure: 30 s, 1, 2, 4 ... minutes, at most an hour apart.
RETRY_FIRST = datetime.timedelta(seconds=30)
RETRY_MAX = datetime.timedelta(hours=1)
RECEIVED_TYPES = {"payment_intent.succeeded"}


def stripe_event_record(*, payload, source="webhook"):
    """Record a verified event as due now; None if this id was recorded before.

    One statement, in autocommit: the row is committed before the webhook
    answers, so an event Stripe was told we have is never lost.
    """
    created = payload.get("created")
    now = timezone.now()
    event = StripeEvent(
        event_id=payload["id"],
        type=payload["type"],
        source=source,
        payload=payload,
        outcome=StripeEvent.Outcome.PENDING,
        due_at=now,
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
    """INSERT ... ON CONFLICT (event_id) DO NOTHING RETURNING id (PostgreSQL, SQLite).

    On PostgreSQL the same statement wakes the worker (``pg_notify`` is
    delivered at commit, and only if a row was inserted).
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _insert_fields())
    placeholders = ", ".join(["%s"] * len(_insert_fields()))
    # Identifiers come from the model's metadata; every value is a parameter.
    table = quote(StripeEvent._meta.db_table)
    insert = (
        f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608
        f"ON CONFLICT ({quote('event_id')}) DO NOTHING RETURNING {quote('id')}"
    )
    if vendor != "postgresql":
        return insert
    notify = f"SELECT id, pg_notify('{CHANNEL}', '') FROM recorded"  # noqa: S608 (a constant)
    return f"WITH recorded AS ({insert}) {notify}"


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


@dataclass
class ApplyReport:
    applied: int = 0
    failed: int = 0

    @property
    def handled(self):
        return self.applied + self.failed


def stripe_events_apply(*, limit=BATCH, now=None):
    """Apply up to ``limit`` recorded events that are due, in one transaction.

    Events are claimed with ``FOR UPDATE SKIP LOCKED``: two workers (or two
    inline webhooks) never take the same event, and neither waits for the
    other's batch. Returns how many were handled and how many failed.
    """
    now = now or timezone.now()
    with transaction.atomic():
        events = list(
            StripeEvent.objects.select_for_update(skip_locked=True)
            .filter(due_at__lte=now)
            .order_by("due_at", "id")[:limit]
        )
        if not events:
            return ApplyReport()
        try:
            with transaction.atomic():
                _apply(events)
        except Exception as error:  # any error: find the event that causes it
            if len(events) == 1:
                _failed(events[0], error, now=now)
            else:
                _apply_one_by_one(events, now=now)
        failed = sum(event.outcome == StripeEvent.Outcome.FAILED for event in events)
        _save_outcomes(events, now=now)
    return ApplyReport(applied=len(events) - failed, failed=failed)


def _apply_one_by_one(events, *, now):
    for event in events:
        try:
            with transaction.atomic():
                _apply([event])
        except Exception as error:  # recorded on the event, retried later
            _failed(event, error, now=now)


def _failed(event, error, *, now):
    """Mark the event for a later retry; log its id and the error's class only."""
    event.attempts += 1
    event.outcome = StripeEvent.Outcome.FAILED
    event.donation = None
    event.last_error = type(error).__name__[:200]
    event.due_at = now + min(RETRY_FIRST * 2 ** (event.attempts - 1), RETRY_MAX)
    logger.error(
        "stripe event %s (%s) failed, attempt %s: %s; retry at %s",
        event.event_id,
        event.type,
        event.attempts,
        event.last_error,
        event.due_at.isoformat(),
    )


def _apply(events):
    """Apply ``events``: sets each one's outcome and donation."""
    received = [event for event in events if event.type in RECEIVED_TYPES]
    if received:
        _apply_received(received)
    others = [event for event in events if event.type not in RECEIVED_TYPES]
    for event in sorted(others, key=_stripe_order):
        _apply_one(event)
    for event in events:
        event.attempts += 1


def _stripe_order(event):
    return (event.stripe_created or event.received_at, event.pk)


def _apply_received(events):
    """Payment successes together: one lock, one ledger batch, one status change."""
    objects = [event.payload["data"]["object"] for event in events]
    donations = donations_for_stripe_objects(objects=objects, for_update=True)
    receiving = {}
    for event, obj, donation in zip(events, objects, donations, strict=True):
        event.donation = donation
        if donation is None:
            event.outcome = StripeEvent.Outcome.UNMATCHED
        elif not _paid_as_agreed(
            donation=donation, obj=obj, amount_field="amount_received", event_id=event.event_id
        ):
            event.outcome = StripeEvent.Outcome.IGNORED
        else:
            # Two events reporting one payment: the fact is recorded once.
            receiving.setdefault(donation.pk, (donation, event.event_id))
            event.outcome = StripeEvent.Outcome.APPLIED
    donations_receive(received=list(receiving.values()))


def _apply_one(event):
    # Subscriptions, their invoices and their Checkout Sessions: monthly gifts.
    recurring = recurring_handler_for(event.type, event.payload)
    if recurring is not None:
        recurring_event_apply(event, recurring)
        return
    handler = HANDLERS.get(event.type)
    if handler is None:
        event.outcome = StripeEvent.Outcome.IGNORED
        return
    obj = event.payload["data"]["object"]
    (event.donation,) = donations_for_stripe_objects(objects=[obj], for_update=True)
    if event.donation is None:
        event.outcome = StripeEvent.Outcome.UNMATCHED
    else:
        event.outcome = handler(donation=event.donation, obj=obj, event_id=event.event_id)


_OUTCOME_FIELDS = ["outcome", "donation", "due_at", "attempts", "last_error", "applied_at"]


def _save_outcomes(events, *, now):
    for event in events:
        if event.outcome != StripeEvent.Outcome.FAILED:
            event.due_at, event.applied_at, event.last_error = None, now, ""
    if connection.vendor != "postgresql":
        StripeEvent.objects.bulk_update(events, _OUTCOME_FIELDS)
        return
    # One UPDATE ... FROM UNNEST: Django's bulk_update builds a CASE per
    # field and row, which cost more CPU than applying the events.
    fields = [StripeEvent._meta.get_field(name) for name in ["id", *_OUTCOME_FIELDS]]
    columns = [
        [field.get_db_prep_save(getattr(event, field.attname), connection) for event in events]
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(_save_outcomes_sql(), columns)


@functools.cache
def _save_outcomes_sql():
    quote = connection.ops.quote_name
    fields = [StripeEvent._meta.get_field(name) for name in ["id", *_OUTCOME_FIELDS]]
    names = [quote(field.column) for field in fields]
    arrays = ", ".join(
        f"%s::{field.rel_db_type(connection) if field.primary_key else field.db_type(connection)}[]"
        for field in fields
    )
    assignments = ", ".join(f"{name} = v.{name}" for name in names[1:])
    # Identifiers come from the model's metadata; every value is a parameter.
    return (
        f"UPDATE {quote(StripeEvent._meta.db_table)} AS e SET {assignments} "  # noqa: S608
        f"FROM UNNEST({arrays}) AS v({', '.join(names)}) WHERE e.{names[0]} = v.{names[0]}"
    )


def stripe_events_drain(*, batch=BATCH, now=None):
    """Apply batches until nothing is due (reconcile, ``stripe_events_worker --once``)."""
    total = ApplyReport()
    while True:
        report = stripe_events_apply(limit=batch, now=now)
        total.applied += report.applied
        total.failed += report.failed
        if report.handled < batch:
            return total
