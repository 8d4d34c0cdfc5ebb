"""A fresh embedded (SQLite) database made by one ``manage.py migrate``.

``make demo`` runs on SQLite; these helpers build such a database the way a
newcomer does (a subprocess, the development settings, an empty file) so
tests can check what one ``migrate`` leaves behind. The migrated file is
made once per test process and copied for each test that writes to it.
"""

import atexit
import functools
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[1]
# Our settings come from these; the subprocess must not inherit the test ones.
_SCRUBBED = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DJANGO_VAR_DIR", "ELASTICSEARCH_URL")


def manage(database, *args, timeout=600):
    """Run ``manage.py *args`` with the development settings on ``database``."""
    env = {key: value for key, value in os.environ.items() if key not in _SCRUBBED}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_VAR_DIR": str(Path(database).parent),
    }
    return subprocess.run(
        [sys.executable, str(REPO_DIR / "manage.py"), *args],
        cwd=REPO_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


@functools.cache
def _migrated_template():
    folder = Path(tempfile.mkdtemp(prefix="fresh-sqlite-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    database = folder / "db.sqlite3"
    manage(database, "migrate", "--no-input", "-v", "0")
    return database


def fresh_sqlite_database(folder):
    """A copy, inside ``folder``, of an empty SQLite database after one ``migrate``."""
    database = Path(folder) / "db.sqlite3"
    shutil.copyfile(_migrated_template(), database)
    return database


def sqlite_connect(database):
    """A plain sqlite3 connection, with foreign keys on as Django opens them."""
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection
