"""Set up Django for a benchmark against the real services, on its own database.

Benchmarks never touch the ``assist`` database or the test databases: they
use ``assist_bench`` (created and migrated on first use) and the ``bench``
index prefix.
"""

import os
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "site"), str(REPO)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("TEST_INDEX_PREFIX", "bench")
os.environ.setdefault("DATABASE_URL", "postgres://assist:assist@127.0.0.1:54329/assist_bench")


def setup():
    import django
    import psycopg

    url = os.environ["DATABASE_URL"]
    if not url.startswith("sqlite:"):  # SQLite (the embedded default) creates its file itself
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentiles(samples_ms):
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p95": p95, "n": len(ordered)}


def fmt(stats):
    return f"p50 {stats['p50']:.1f} ms, p95 {stats['p95']:.1f} ms (n={stats['n']})"
