"""Apply the Stripe events the webhook recorded (production's webhook only records).

Runs as a long-lived service next to the task worker (docs/operations.md).
Between batches it waits for the webhook's ``pg_notify`` on PostgreSQL, so
an event is applied moments after it arrives, or polls on other databases;
at most ``--idle`` seconds pass without a look at the queue either way
(retries of failed events fall due without a notification).
"""

import signal
import time

import psycopg
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from matching.payments.webhooks import BATCH, CHANNEL, stripe_events_apply, stripe_events_drain


class Command(BaseCommand):
    help = "Apply recorded Stripe webhook events in batches (run as a service)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="apply everything due, then exit (cron, tests)"
        )
        parser.add_argument("--batch", type=int, default=BATCH, help="events per transaction")
        parser.add_argument(
            "--idle", type=float, default=5.0, help="longest wait between looks at the queue (s)"
        )

    def handle(self, *args, once, batch, idle, **options):
        if once:
            report = stripe_events_drain(batch=batch)
            self.stdout.write(f"applied {report.applied}, failed {report.failed}")
            return
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        listener = _listener()
        try:
            while not self._stopping:
                close_old_connections()
                report = stripe_events_apply(limit=batch)
                if report.handled == batch:
                    continue  # a backlog: straight on to the next batch
                _wait(listener, idle, stopping=lambda: self._stopping)
        finally:
            if listener is not None:
                listener.close()

    def _stop(self, signum, frame):
        self._stopping = True


def _listener():
    """A separate autocommit connection LISTENing for new events (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    params = connection.settings_dict
    listener = psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"] or None,
        autocommit=True,
    )
    listener.execute(f"LISTEN {CHANNEL}")
    return listener


def _wait(listener, idle, *, stopping):
    """Until a notification, ``idle`` seconds, or a stop signal (checked each second)."""
    if listener is None:
        time.sleep(min(idle, 0.5))
        return
    deadline = time.monotonic() + idle
    while not stopping() and (left := deadline - time.monotonic()) > 0:
        for _notification in listener.notifies(timeout=min(left, 1.0), stop_after=1):
            return
