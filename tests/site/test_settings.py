"""Production settings refuse to start half-configured, and pass the deploy check when complete."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

COMPLETE = {
    "DJANGO_SECRET_KEY": "k7Qm2vX9pL4wT8zR1nB6yH3cF5jD0sG2aE7uK9oI4xW8qV1mN3bZ",
    "DJANGO_ALLOWED_HOSTS": "assist.changchun.example",
    "DATABASE_URL": "postgres://assist:assist@127.0.0.1:54329/assist",
    "ELASTICSEARCH_URL": "http://127.0.0.1:9250",
    "STRIPE_SECRET_KEY": "sk_live_example",
    "STRIPE_WEBHOOK_SECRET": "whsec_example",
    "PERSONAL_DATA_KEYS": "m1i4sU0gq9v5mN3o0JQ2m5y2e0m4bG3x8xQw0l8m3Zk=",
    "CACHE_URL": "redis://127.0.0.1:63799/0",
}


def manage(*args, **overrides):
    # Only the basics of this process's environment: nothing set by other tests
    # (the browser fixture's DJANGO_ALLOW_ASYNC_UNSAFE) may leak into the check.
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **overrides})
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_without_a_secret_key_names_it_and_the_fix():
    settings = {**COMPLETE}
    del settings["DJANGO_SECRET_KEY"]
    result = manage("check", **settings)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "secrets.token_urlsafe" in result.stderr


def test_production_with_nothing_set_lists_every_missing_service():
    result = manage("check")
    assert result.returncode != 0
    for name in (
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "ELASTICSEARCH_URL",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
        "PERSONAL_DATA_KEYS",
        "CACHE_URL",
    ):
        assert name in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    settings = {**COMPLETE}
    del settings["CACHE_URL"]
    result = manage("check", **settings)
    assert result.returncode != 0
    assert "CACHE_URL is not set" in result.stderr
    assert "redis://" in result.stderr


def test_production_refuses_a_cache_each_process_keeps_to_itself():
    result = manage("check", **{**COMPLETE, "CACHE_URL": "locmemcache://"})
    assert result.returncode != 0
    assert "CACHE_URL must name a shared cache" in result.stderr


def test_production_refuses_an_unsafe_key_and_sqlite():
    result = manage(
        "check",
        **{
            **COMPLETE,
            "DJANGO_SECRET_KEY": "dev-only-insecure-key",
            "DATABASE_URL": "sqlite:///tmp/x.sqlite3",
        },
    )
    assert "DJANGO_SECRET_KEY is unsafe" in result.stderr
    assert "PostgreSQL" in result.stderr


def test_the_deploy_check_is_clean_when_everything_is_set():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **COMPLETE)
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr
    assert "no issues" in result.stdout


def test_the_demo_city_is_in_development_and_never_in_production():
    production = manage("help", "seed_demo", **COMPLETE)
    assert production.returncode != 0
    assert "Unknown command: 'seed_demo'" in production.stderr
    development = manage("help", "seed_demo", DJANGO_SETTINGS_MODULE="config.settings.dev")
    assert development.returncode == 0, development.stderr
    assert "seed_demo" in development.stdout


def test_production_takes_a_search_cluster_instead_of_one_node():
    cluster = {key: value for key, value in COMPLETE.items() if key != "ELASTICSEARCH_URL"}
    cluster["ELASTICSEARCH_HOSTS"] = "http://es1.internal:9200,http://es2.internal:9200"
    cluster["ELASTICSEARCH_REPLICAS"] = "1"
    script = (
        "from django.conf import settings as s; "
        "print(s.ELASTICSEARCH_HOSTS, s.ELASTICSEARCH_SHARDS, s.ELASTICSEARCH_REPLICAS)"
    )
    result = manage("shell", "-c", script, **cluster)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "['http://es1.internal:9200', 'http://es2.internal:9200'] 1 1"
    )
    without = {key: value for key, value in cluster.items() if key != "ELASTICSEARCH_HOSTS"}
    refused = manage("check", **without)
    assert refused.returncode != 0 and "ELASTICSEARCH_HOSTS" in refused.stderr
