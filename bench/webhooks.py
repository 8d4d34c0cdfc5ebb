"""Benchmark: Stripe webhook events, one worker, PostgreSQL, with dedupe.

Creates its own throw-away database (Django's test-database utilities, named
by TEST_DB_NAME, default ``bench_webhooks``), so the ``assist`` database is
never touched. Each donation's ``payment_intent.succeeded`` is signed as
Stripe signs it; a share of events is delivered a second time (dedupe).
Rounds alternate between the two designs, so both see the same load:

- ``inline`` (the baseline: how every event was handled before the worker):
  the webhook view records *and applies* each event in its own request and
  transaction -- signature, JSON, dedupe insert, donation lock, earmark with
  row lock, posting, status change, COMMIT with the deferred balance
  triggers, the receipt task enqueued after commit;
- ``worker`` (production, ``STRIPE_EVENTS_APPLY=worker``): the same view
  only verifies and records (one INSERT, committed), timed as ``receive``;
  then one worker applies the backlog with ``stripe_events_apply`` in
  batches (``apply``): events processed per second by one worker.

``--latency`` adds the time to record a donation end to end: the real
``manage.py stripe_events_worker`` service runs in its own process while
this one delivers events at ``--rate`` per second; each event's time from
being recorded to being applied is read from the database afterwards.
``--gunicorn`` adds the receive path through a real ``gunicorn --workers 1``
sync worker over loopback HTTP (Django's whole middleware stack).

Receipts and the needs' "raised" refresh go to production's task backend
(``django_tasks_db``: rows inserted after commit; the e-mail itself is the
task worker's job). Database connections persist across requests, as
production's ``CONN_MAX_AGE`` keeps them.

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/webhooks.py \
        --events 2000 --rounds 4 --latency

Prints, per path, events per second and p50/p95 latencies; checks afterwards
that every event was recorded and applied once, every donation succeeded,
one receipt was enqueued per donation and every posting balances.
"""

import argparse
import hashlib
import hmac
import http.client
import itertools
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
from django.test import RequestFactory, override_settings  # noqa: E402
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


_intent_numbers = itertools.count()


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
            stripe_payment_intent_id=f"pi_bench_{next(_intent_numbers)}",
        )
        for _number in range(count)
    ]
    return Donation.objects.bulk_create(donations)


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


class GunicornPath:
    """One gunicorn sync worker on the bench database, over loopback HTTP."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = _subprocess_env()
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


def _database_url():
    database = {**settings.DATABASES["default"]}
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )


def _subprocess_env(**extra):
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "STRIPE_EVENTS_APPLY": "worker",
        "DJANGO_SETTINGS_MODULE": "bench.webhooks_server_settings",
        **extra,
    }


def with_replays(donations, replay_percent, first_number):
    """Signed deliveries: each donation's event, then a share delivered again."""
    events = [succeeded_event(d, first_number + n) for n, d in enumerate(donations)]
    replays = random.sample(events, len(events) * replay_percent // 100)
    return [(event, False) for event in events] + [(event, True) for event in replays]


def post_all(path, plan, samples, key):
    """Deliver ``plan`` through ``path``; returns the seconds it took (and CPU)."""
    t_start, c_start = time.perf_counter(), time.process_time()
    for event, is_replay in plan:
        payload, signature = signed(event)
        t0 = time.perf_counter()
        status = path.post(payload, signature)
        samples[key, is_replay].append(time.perf_counter() - t0)
        assert status == 200, status
    return time.perf_counter() - t_start, time.process_time() - c_start


def run(count, rounds, replay_percent, gunicorn):
    """Rounds of: inline deliveries; worker-mode deliveries, then the worker's drain."""
    from matching.payments.webhooks import stripe_events_drain

    per_round = count // rounds
    paths = ["inline", "receive"] + (["gunicorn"] if gunicorn else [])
    donations = prepare(per_round * rounds * len(paths))
    samples = {(name, replay): [] for name in paths for replay in (False, True)}
    totals = {name: [0.0, 0.0, 0] for name in [*paths, "apply"]}  # seconds, CPU, events
    view = ViewPath()
    servers = {}
    if gunicorn:
        connections_close()
        servers["gunicorn"] = GunicornPath()
    for _ in range(3):  # first requests load code and translations
        assert view.post("{}", "t=1,v1=0") == 400
    number = 0
    try:
        for _round in range(rounds):
            for name in paths:
                batch, donations = donations[:per_round], donations[per_round:]
                plan = with_replays(batch, replay_percent, number)
                number += len(batch)
                mode = "inline" if name == "inline" else "worker"
                with override_settings(TASKS=PRODUCTION_TASKS, STRIPE_EVENTS_APPLY=mode):
                    seconds, cpu = post_all(servers.get(name, view), plan, samples, name)
                    totals[name][0] += seconds
                    totals[name][1] += cpu
                    totals[name][2] += len(plan)
                    if name != "inline":
                        t0, c0 = time.perf_counter(), time.process_time()
                        applied = stripe_events_drain().applied
                        totals["apply"][0] += time.perf_counter() - t0
                        totals["apply"][1] += time.process_time() - c0
                        totals["apply"][2] += applied
                        assert applied == len(batch), applied
    finally:
        for server in servers.values():
            server.stop()
    return samples, totals, number


def connections_close():
    from django.db import connections

    connections.close_all()  # a server process must see the committed donations


def latency(count, rate):
    """The worker service in its own process; events delivered at ``rate`` per second."""
    from matching.payments.models import StripeEvent

    donations = prepare(count)
    view = ViewPath()
    connections_close()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "stripe_events_worker", "--idle", "5"],
        cwd=REPO,
        env=_subprocess_env(),
    )
    time.sleep(3)
    first = StripeEvent.objects.count()
    try:
        with override_settings(TASKS=PRODUCTION_TASKS, STRIPE_EVENTS_APPLY="worker"):
            start = time.perf_counter()
            for n, donation in enumerate(donations):
                # Evenly spaced arrivals, as a steady stream from Stripe.
                pause = start + n / rate - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                payload, signature = signed(succeeded_event(donation, 10_000_000 + n))
                assert view.post(payload, signature) == 200
        deadline = time.monotonic() + 60
        while StripeEvent.objects.filter(due_at__isnull=False).exists():
            assert time.monotonic() < deadline, "the worker did not keep up"
            time.sleep(0.05)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    rows = StripeEvent.objects.order_by("id")[first:].values_list("received_at", "applied_at")
    return [(applied - received).total_seconds() for received, applied in rows]


def check_ledger(count):
    """Every event recorded and applied once, every donation succeeded, postings balanced."""
    from django_tasks_db.models import DBTaskResult

    from matching.ledger.selectors import transaction_unbalanced_list
    from matching.payments.models import Donation, StripeEvent

    assert StripeEvent.objects.count() == count
    assert StripeEvent.objects.filter(outcome="applied").count() == count
    assert Donation.objects.filter(status="succeeded").count() == count
    assert not transaction_unbalanced_list().exists()
    receipts = DBTaskResult.objects.filter(task_path__endswith=".donation_receipts_send")
    receipted = [n for task in receipts for n in task.args_kwargs["kwargs"]["donation_ids"]]
    assert sorted(receipted) == sorted(set(receipted)) and len(receipted) == count


def percentile(samples, percent):
    return statistics.quantiles(samples, n=100, method="inclusive")[percent - 1]


def _ms(series):
    return f"p50 {percentile(series, 50) * 1000:.2f} ms, p95 {percentile(series, 95) * 1000:.2f} ms"


def report(samples, totals):
    load = os.getloadavg()
    print(f"database: {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version})")
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    labels = {
        "inline": "inline (baseline): record and apply in the request",
        "receive": "worker mode, the webhook view: verify and record",
        "gunicorn": "worker mode, one gunicorn sync worker over HTTP: verify and record",
        "apply": "worker mode, one worker applying the backlog (batches of 500)",
    }
    for name, (seconds, cpu, events) in totals.items():
        cpu_note = "" if name == "gunicorn" else f"; CPU here {cpu / events * 1000:.2f} ms/event"
        rate = events / seconds
        print(f"[{name}] {labels[name]}: {events} events, {rate:.0f} events/s{cpu_note}")
        if name == "apply":
            continue
        first, replayed = samples[name, False], samples[name, True]
        print(f"[{name}]   new event: {_ms(first)}; replayed (dedupe): {_ms(replayed)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="new events per path")
    parser.add_argument("--rounds", type=int, default=4, help="alternations of the paths")
    parser.add_argument("--replay-percent", type=int, default=10, help="share delivered twice")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--gunicorn", action="store_true", help="add the gunicorn receive path")
    parser.add_argument("--latency", action="store_true", help="end to end with the service")
    parser.add_argument("--latency-events", type=int, default=3000)
    parser.add_argument("--rate", type=int, default=300, help="arrivals per second (--latency)")
    args = parser.parse_args()
    random.seed(args.seed)
    if connection.vendor != "postgresql":
        sys.exit("this benchmark measures PostgreSQL; point DATABASE_URL at it")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        samples, totals, count = run(args.events, args.rounds, args.replay_percent, args.gunicorn)
        report(samples, totals)
        if args.latency:
            delays = latency(args.latency_events, args.rate)
            count += args.latency_events
            print(
                f"[service] {len(delays)} events at {args.rate}/s through the view, applied by "
                f"`stripe_events_worker` in its own process: recorded -> applied {_ms(delays)}"
            )
        check_ledger(count)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
