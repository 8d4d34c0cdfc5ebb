"""A server process settles before its first request (site/config/warm.py)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, sys
import config.wsgi
print(gc.get_freeze_count())
print("matching.volunteering.views" in sys.modules)
"""


def test_the_wsgi_process_loads_every_view_and_freezes_what_start_up_built():
    """Without it, a full garbage collection walked the start-up objects every
    few dozen requests: 250 ms on whichever request met it."""
    # As gunicorn starts it: from the checkout, with ``--pythonpath site``.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": "site"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    frozen, views_loaded = result.stdout.split()
    assert int(frozen) > 100_000  # Django, Wagtail and every app, out of the collector's way
    assert views_loaded == "True"  # URLconfs imported at start, not on the first request
