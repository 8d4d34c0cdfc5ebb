"""Production: every external service is required and checked at start-up.

A missing or unsafe value stops the process with a message that names the
variable and says how to fix it, instead of a site that half works.
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env

from .base import *  # noqa: F403
from .base import (
    CACHES,
    DATABASES,
    ELASTICSEARCH_HOSTS,
    ELASTICSEARCH_URL,
    SECRET_KEY,
    STRIPE_SECRET_KEY,
    STRIPE_WEBHOOK_SECRET,
)

DEBUG = False

_INSECURE_KEY_MARKERS = ("insecure", "dev-only", "changeme", "test-only")
# Caches that each process (or nobody) keeps to itself: rate limits would count per worker.
_UNSHARED_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)


def _problems():
    problems = []
    if not SECRET_KEY:
        problems.append(
            "DJANGO_SECRET_KEY is not set: generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    elif len(SECRET_KEY) < 50 or any(m in SECRET_KEY for m in _INSECURE_KEY_MARKERS):
        problems.append("DJANGO_SECRET_KEY is unsafe: use at least 50 random characters.")
    if not env("DATABASE_URL", default=""):
        problems.append("DATABASE_URL is not set: e.g. postgres://user:pass@host:5432/assist.")
    elif DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL must point at PostgreSQL in production.")
    if not (ELASTICSEARCH_URL or ELASTICSEARCH_HOSTS):
        problems.append(
            "ELASTICSEARCH_HOSTS (or ELASTICSEARCH_URL) is not set: e.g. "
            "http://es1.internal:9200,http://es2.internal:9200,http://es3.internal:9200."
        )
    if not STRIPE_SECRET_KEY:
        problems.append("STRIPE_SECRET_KEY is not set: copy it from the Stripe dashboard.")
    if not STRIPE_WEBHOOK_SECRET:
        problems.append("STRIPE_WEBHOOK_SECRET is not set: it is the endpoint's signing secret.")
    if not env.list("PERSONAL_DATA_KEYS", default=[]):
        problems.append(
            "PERSONAL_DATA_KEYS is not set: generate one with `python -c 'from "
            "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
        )
    if not env("CACHE_URL", default=""):
        problems.append(
            "CACHE_URL is not set: rate limits and two-factor throttles need one cache shared by "
            "every process, e.g. redis://cache.internal:6379/0."
        )
    elif CACHES["default"]["BACKEND"] in _UNSHARED_CACHES:
        problems.append("CACHE_URL must name a shared cache (Redis) in production.")
    if not env.list("DJANGO_ALLOWED_HOSTS", default=[]):
        problems.append("DJANGO_ALLOWED_HOSTS is not set: list the site's host names.")
    return problems


_missing = _problems()
if _missing:
    raise ImproperlyConfigured(
        "Production settings refuse to start:\n  - " + "\n  - ".join(_missing)
    )

# Keep connections between requests (a new PostgreSQL connection costs ~25 ms).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# Webhooks only record events; `manage.py stripe_events_worker` applies them.
STRIPE_EVENTS_APPLY = env("STRIPE_EVENTS_APPLY", default="worker")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"
# Every admin-side role signs in with a TOTP code (docs/governance.md).
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
