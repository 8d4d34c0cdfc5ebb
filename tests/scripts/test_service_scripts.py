"""The service scripts explain what is missing instead of failing obscurely."""

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BASICS = ("bash", "dirname", "mkdir", "cat", "seq", "sleep", "printf", "curl", "tail", "id")


def run_with_only(tools, script, *args, tmp_path):
    """Run a script on a PATH holding only the basics plus ``tools``; port 9299 is unused."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in (*BASICS, *tools):
        (bin_dir / name).symlink_to(shutil.which(name))
    env = {"PATH": str(bin_dir), "ES_PORT": "9299", "ASSIST_RUN_DIR": str(tmp_path / "run")}
    return subprocess.run(
        [shutil.which("bash"), str(REPO / "scripts" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_starting_elasticsearch_without_java_names_java_and_how_to_install_it(tmp_path):
    result = run_with_only((), "elasticsearch.sh", "start", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Java is missing" in result.stderr
    assert "apt-get install openjdk-17" in result.stderr


def test_starting_elasticsearch_without_maven_names_maven(tmp_path):
    result = run_with_only(("java", "javac"), "elasticsearch.sh", "start", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Maven is missing" in result.stderr
    assert "apt-get install maven" in result.stderr


def test_the_status_of_a_stopped_node_is_a_clear_failure(tmp_path):
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "elasticsearch.sh"), "status"],
        env={**os.environ, "ES_PORT": "9299", "ASSIST_RUN_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "not running on http://127.0.0.1:9299" in result.stderr
