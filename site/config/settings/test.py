"""Settings for pytest.

The suite runs against the real services that ``make test`` starts; their
addresses come from the environment, with the loopback ports that
``scripts/services`` uses as defaults.
"""

from config.env import env

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

# The demo city's tests call ``seed_demo``; production has no such command.
INSTALLED_APPS = [*INSTALLED_APPS, "matching.demo"]

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://assist:assist@127.0.0.1:54329/assist"),
}
# Separate names let two suites share one server without colliding.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DB_NAME", default="test_assist")}
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="http://127.0.0.1:9250")
# Parallel workers (pytest-xdist) each get their own indexes, as they get
# their own databases from pytest-django.
ELASTICSEARCH_INDEX_PREFIX = env("TEST_INDEX_PREFIX", default="test") + env(
    "PYTEST_XDIST_WORKER", default=""
)
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="sk_test_123")
STRIPE_PUBLISHABLE_KEY = "pk_test_123"
STRIPE_WEBHOOK_SECRET = "whsec_test_secret"  # noqa: S105
STRIPE_API_BASE = env("STRIPE_API_BASE", default="http://127.0.0.1:12111")
# The shared cache of the tests: the Redis that scripts/redis.sh starts. Each
# suite and each pytest-xdist worker keeps its keys under its own prefix, and
# config.cache.RedisCache.clear() only removes those.
CACHES = {
    "default": {
        **env.cache_url_config(env("CACHE_URL", default="redis://127.0.0.1:63799/0")),
        "BACKEND": REDIS_CACHE_BACKEND,  # noqa: F405
        "KEY_PREFIX": "cache-" + ELASTICSEARCH_INDEX_PREFIX,
    },
}
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PERSONAL_DATA_KEYS = ["m1i4sU0gq9v5mN3o0JQ2m5y2e0m4bG3x8xQw0l8m3Zk="]
# Static files are served from the finders; an empty root keeps WhiteNoise quiet.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = VAR_DIR / "static-test"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Django's test client logs in without a request, which django-axes refuses;
# the lockout tests turn it back on with override_settings.
AXES_ENABLED = False
STAFF_REQUIRE_2FA = False
# Tests that call seed_demo do not need 300 more households; the stories have their own test.
DEMO_STORY_GROUPS = 0
