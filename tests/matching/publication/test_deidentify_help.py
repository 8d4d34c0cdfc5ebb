"""``manage.py deidentify --help`` prints its help (a lazy help string crashed argparse)."""

import subprocess
import sys
from pathlib import Path

from django.utils import translation

from matching.publication.management.commands.deidentify import Command

ROOT = Path(__file__).resolve().parents[3]


def test_help_from_the_command_line_prints_and_exits_cleanly():
    done = subprocess.run(
        [sys.executable, "manage.py", "deidentify", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "JSON Lines" in done.stdout and "usage: manage.py deidentify" in done.stdout


def test_help_is_in_the_active_language(capsys):
    with translation.override("zh-hans"):
        Command().print_help("manage.py", "deidentify")
    assert "去标识化" in capsys.readouterr().out
    with translation.override("en"):
        Command().print_help("manage.py", "deidentify")
    english = capsys.readouterr().out
    assert "de-identif" in english.lower() and "去标识化" not in english
