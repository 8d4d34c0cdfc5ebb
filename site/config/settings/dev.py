"""Local development and ``make demo``: the embedded defaults, debug on."""

from config.env import env

from .base import *  # noqa: F403
from .base import INSTALLED_APPS

# The demo city (``manage.py seed_demo``) exists here and in tests, never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "matching.demo"]

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A development-only key: production refuses to start without its own.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-not-for-production")
