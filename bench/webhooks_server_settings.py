"""Settings for the gunicorn worker that ``bench/webhooks.py --gunicorn`` starts.

The test settings (the bench database comes in through DATABASE_URL) with
what production changes on the webhook's path: persistent database
connections and the database task backend for the receipt.
"""

from config.settings.test import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
