"""Benchmark: Stripe webhook events, one worker, PostgreSQL, with dedupe.

Creates its own throw-away database (Django's test-database utilities, named
by TEST_DB_NAME, default ``bench_webhooks``), so the ``assist`` database is
never touched. Each donation's ``payment_intent.succeeded`` is signed as
Stripe signs it and delivered one after another (one worker: nothing runs
in parallel); a share of events is delivered a second time to measure the
dedupe path. Deliveries alternate between the measured paths, so every path
sees the same machine load:

- ``view``: the webhook view called directly with the raw request (signature
  check, JSON, dedupe insert, donation lock, earmark with row lock, balanced
  posting, status change, COMMIT with the deferred balance triggers, the
  receipt task enqueued after commit) -- what one worker does per event,
  without Django's request machinery;
- ``http``: the same through Django's test client: URL routing and the
  whole middleware stack of the site (sessions, CSRF, CSP, 2FA, axes, ...);
- ``gunicorn`` (``--gunicorn``): a real ``gunicorn --workers 1`` sync worker
  serving the bench database, POSTed to over loopback HTTP by this process.

The receipt task is enqueued to the production task backend
(``django_tasks_db``: one INSERT after commit); the e-mail itself is the
task worker's job, not the webhook's. Database connections persist across
requests, as production's ``CONN_MAX_AGE`` keeps them.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/webhooks.py --events 1000

Prints, per path, events per second (1 / mean time per delivery) and p50/p95
latency of recording a donation and of a replay.
"""

import argparse
import hashlib
import hmac
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "site"), str(REPO)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("TEST_DB_NAME", "bench_webhooks")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

URL = "/payments/stripe/webhook/"
PRODUCTION_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def signed(event):
    payload = json.dumps(event)
    timestamp = int(time.time())
    digest = hmac.new(
        settings.STRIPE_WEBHOOK_SECRET.encode(),
        f"{timestamp}.{payload}".encode(),
        hashlib.sha256,
    ).hexdigest()
    return payload, f"t={timestamp},v1={digest}"


def succeeded_event(donation, number):
    obj = {
        "id": donation.stripe_payment_intent_id,
        "object": "payment_intent",
        "amount": donation.amount_minor,
        "amount_received": donation.amount_minor,
        "currency": "cny",
        "status": "succeeded",
        "metadata": {"donation_id": str(donation.pk)},
    }
    return {
        "id": f"evt_bench_{number:07d}",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {"object": obj},
    }


def prepare(count):
    """Needs with caps, and one pending donation per event (not timed)."""
    from matching.ledger.models import Account
    from matching.ledger.services import account_open
    from matching.payments.models import Donation

    targets = [
        account_open(
            code=f"need:{n}",
            kind=Account.Kind.NEED,
            category="medical",
            earmark_cap_minor=2_000_000,
        )
        for n in range(1, 21)
    ]
    donations = [
        Donation(
            target_code=random.choice(targets).code,
            amount_minor=random.randint(1_000, 200_000),
            donor_email="donor@example.com",
            stripe_payment_intent_id=f"pi_bench_{number}",
        )
        for number in range(count)
    ]
    return Donation.objects.bulk_create(donations)


def deliveries(donations, replay_percent, paths):
    """(path, event, is_replay): paths take turns; replays come after the firsts."""
    events = [succeeded_event(d, n) for n, d in enumerate(donations)]
    replays = random.sample(events, len(events) * replay_percent // 100)
    plan = [(event, False) for event in events] + [(event, True) for event in replays]
    return [(paths[n % len(paths)], event, replay) for n, (event, replay) in enumerate(plan)]


class ViewPath:
    """The webhook view itself, called with a raw request."""

    def __init__(self):
        from matching.payments.views import stripe_webhook

        self.view, self.factory = stripe_webhook, RequestFactory()

    def post(self, payload, signature):
        request = self.factory.post(
            URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
        return self.view(request).status_code


class HttpPath:
    """Django's test client: routing and the site's whole middleware stack."""

    def __init__(self):
        self.client = Client()

    def post(self, payload, signature):
        response = self.client.post(
            URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
        )
        return response.status_code


class GunicornPath:
    """One gunicorn sync worker on the bench database, over loopback HTTP."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        database = {**settings.DATABASES["default"]}
        url = (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        )
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "bench.webhooks_server_settings",
        }
        self.server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "--pythonpath", f"site,{REPO}",
                "--workers", "1", "--worker-class", "sync", "--bind",
                f"127.0.0.1:{self.port}", "--log-level", "warning", "config.wsgi",
            ],
            cwd=REPO,
            env=env,
        )  # fmt: skip
        self._wait_until_up()

    def _wait_until_up(self):
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def post(self, payload, signature):
        # The sync worker closes each connection after its response.
        conn = http.client.HTTPConnection("127.0.0.1", self.port)
        headers = {"Content-Type": "application/json", "Stripe-Signature": signature}
        conn.request("POST", URL, body=payload.encode(), headers=headers)
        status = conn.getresponse().status
        conn.close()
        return status

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=30)


def run(count, replay_percent, path_names):
    from django.db import connections

    paths = {"view": ViewPath, "http": HttpPath, "gunicorn": GunicornPath}
    plan = deliveries(prepare(count), replay_percent, path_names)
    if "gunicorn" in path_names:
        connections.close_all()  # the server must see the committed donations
    workers = {name: paths[name]() for name in path_names}
    for worker in workers.values():  # first requests load code and translations
        for _ in range(3):
            assert worker.post("{}", "t=1,v1=0") == 400
    samples = {(name, replay): [] for name in path_names for replay in (False, True)}
    cpu = dict.fromkeys(path_names, 0.0)
    try:
        with override_settings(TASKS=PRODUCTION_TASKS):
            for name, event, is_replay in plan:
                payload, signature = signed(event)
                t0, c0 = time.perf_counter(), time.process_time()
                status = workers[name].post(payload, signature)
                samples[name, is_replay].append(time.perf_counter() - t0)
                cpu[name] += time.process_time() - c0
                assert status == 200, status
    finally:
        for worker in workers.values():
            if hasattr(worker, "stop"):
                worker.stop()
    return samples, cpu


def check_ledger(count):
    """Every event recorded once, every donation succeeded, every posting balanced."""
    from django_tasks_db.models import DBTaskResult

    from matching.ledger.selectors import transaction_unbalanced_list
    from matching.payments.models import Donation, StripeEvent

    assert StripeEvent.objects.count() == count
    assert Donation.objects.filter(status="succeeded").count() == count
    assert not transaction_unbalanced_list().exists()
    receipts = DBTaskResult.objects.filter(task_path__endswith=".donation_receipt_send")
    assert receipts.count() == count  # one receipt each, none for replays


def percentile(samples, percent):
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


def report(samples, cpu, path_names):
    load = os.getloadavg()
    print(f"database: {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version})")
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    for name in path_names:
        first, replayed = samples[name, False], samples[name, True]
        both = first + replayed
        print(
            f"[{name}] {len(first)} new + {len(replayed)} replays: "
            f"{len(both) / sum(both):.0f} events/s (mean {statistics.fmean(both) * 1000:.2f} ms"
            + (
                f"; this process's CPU {cpu[name] / len(both) * 1000:.2f} ms per event)"
                if name != "gunicorn"
                else ")"
            )
        )
        for label, series in (("record a donation", first), ("replayed (dedupe)", replayed)):
            if len(series) > 1:
                p50, p95 = percentile(series, 50) * 1000, percentile(series, 95) * 1000
                print(f"[{name}] {label}: p50 {p50:.2f} ms, p95 {p95:.2f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000, help="new events (donations)")
    parser.add_argument("--replay-percent", type=int, default=10, help="share delivered twice")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--paths", default="view,http", help="view, http and/or gunicorn")
    parser.add_argument("--gunicorn", action="store_true", help="add the gunicorn path")
    args = parser.parse_args()
    random.seed(args.seed)
    path_names = args.paths.split(",") + (["gunicorn"] if args.gunicorn else [])
    if connection.vendor != "postgresql":
        sys.exit("this benchmark measures PostgreSQL; point DATABASE_URL at it")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        samples, cpu = run(args.events, args.replay_percent, path_names)
        check_ledger(args.events)
        report(samples, cpu, path_names)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
