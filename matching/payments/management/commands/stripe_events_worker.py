"""Apply the Stripe events the webhook recorded (production's webhook only records).

Runs as a long-lived service next to the task worker (docs/operations.md).
Between batches it waits for the webhook's ``pg_notify`` on PostgreSQL, so
an event is applied moments after it arrives, or polls on other databases;
at most ``--idle`` seconds pass without a look at the queue either way
(retries of failed events fall due without a notification).
"""

import logging
import signal
import time

import psycopg
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from matching.payments.webhooks import BATCH, CHANNEL, stripe_events_apply, stripe_events_drain

logger = logging.getLogger(__name__)


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
        listener = None
        try:
            while not self._stopping:
                try:
                    close_old_connections()
                    if listener is None:
                        listener = _listener()
                    report = stripe_events_apply(limit=batch)
                except (DatabaseError, psycopg.Error) as error:
                    # The database went away (a restart, a failover): the
                    # batch was one transaction, so nothing is half-applied.
                    logger.error("stripe events worker: %s; retrying", type(error).__name__)
                    connection.close()
                    listener = _closed(listener)
                    _sleep(min(idle, 5.0), stopping=lambda: self._stopping)
                    continue
                if report.handled == batch:
                    continue  # a backlog: straight on to the next batch
                try:
                    _wait(listener, idle, stopping=lambda: self._stopping)
                except psycopg.Error:
                    listener = _closed(listener)
        finally:
            _closed(listener)

    def _stop(self, signum, frame):
        self._stopping = True


def _closed(listener):
    if listener is not None and not listener.closed:
        listener.close()
    return None


def _sleep(seconds, *, stopping):
    deadline = time.monotonic() + seconds
    while not stopping() and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, 0.1))


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
        _sleep(min(idle, 0.5), stopping=stopping)
        return
    deadline = time.monotonic() + idle
    while not stopping() and (left := deadline - time.monotonic()) > 0:
        for _notification in listener.notifies(timeout=min(left, 1.0), stop_after=1):
            return
