"""Apply Stripe events the webhook missed (an outage, a lost delivery)."""

import json
from itertools import islice

import stripe
from django.core.management.base import BaseCommand

from matching.payments.webhooks import stripe_event_record, stripe_events_drain


def _wire_form(event):
    """The event as plain JSON, as the webhook would have received it.

    The SDK turns ``*_decimal`` fields into Decimal; on the wire they are
    strings, and the stored payload must be JSON.
    """
    return json.loads(json.dumps(event.to_dict(), default=str))


class Command(BaseCommand):
    help = "List recent events from Stripe and apply any not yet recorded."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=100,
            help="how many recent events to examine (Stripe keeps 30 days)",
        )

    def handle(self, *args, limit, **options):
        seen = recorded = 0
        # Oldest first, so that replayed facts arrive in the order they happened.
        pages = stripe.Event.list(limit=min(limit, 100)).auto_paging_iter()
        events = list(islice(pages, limit))
        for event in reversed(events):
            seen += 1
            if stripe_event_record(payload=_wire_form(event), source="reconcile") is not None:
                recorded += 1
        # What is due now: these and any the worker has not reached yet.
        report = stripe_events_drain()
        self.stdout.write(
            f"examined {seen} events, recorded {recorded} new, "
            f"applied {report.applied}, failed {report.failed}"
        )
