"""The one place that reads the process environment.

Every setting that an operator can change is read here, through
django-environ, so that a grep for ``env(`` finds the whole configuration
surface.
"""

from pathlib import Path

import environ

REPO_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()

# A .env file beside manage.py is read when present (development only);
# real environment variables always win.
environ.Env.read_env(REPO_DIR / ".env", overwrite=False)
