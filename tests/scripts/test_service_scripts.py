"""The service scripts explain what is missing instead of failing obscurely."""

import os
import shutil
import socket
import stat
import subprocess
import tempfile
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


def _spare_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_postgres_starts_and_stops_from_a_clone_in_a_folder_only_its_owner_enters(tmp_path):
    """A clone in a 0700 folder (root's home, ``mktemp -d``): the server runs as
    'postgres', which cannot enter it, and must still start, answer and stop."""
    private = Path(tempfile.mkdtemp(prefix="assist-clone-"))  # 0700, like mktemp -d
    port = _spare_port()
    data_dir = Path(f"/var/tmp/assist-postgres-{port}")  # noqa: S108 - where the script puts it
    log = Path(f"/var/tmp/assist-postgres-{port}.log")  # noqa: S108 - where the script puts it
    try:
        assert stat.S_IMODE(private.stat().st_mode) == 0o700
        shutil.copytree(REPO / "scripts", private / "scripts")
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("PG_DATA_DIR", "PG_LOG", "ASSIST_RUN_DIR")
        } | {"PG_PORT": str(port)}

        def script(*args):
            return subprocess.run(
                ["bash", str(private / "scripts" / "postgres.sh"), *args],
                cwd=private,  # started from inside the private folder
                env=env,
                capture_output=True,
                text=True,
                timeout=180,
                check=False,
            )

        started = script("start")
        assert started.returncode == 0, started.stderr
        assert script("status").returncode == 0
        answer = subprocess.run(
            ["psql", f"postgresql://assist:assist@127.0.0.1:{port}/assist", "-tAc", "SELECT 1"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert answer.stdout.strip() == "1", answer.stderr
        stopped = script("stop")
        assert stopped.returncode == 0, stopped.stderr
        assert script("status").returncode == 1
    finally:
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                "/usr/lib/postgresql/15/bin/pg_ctl",
                "-D",
                str(data_dir),
                "-m",
                "immediate",
                "stop",
            ],
            cwd="/",
            capture_output=True,
            check=False,
        )
        shutil.rmtree(data_dir, ignore_errors=True)
        log.unlink(missing_ok=True)
        shutil.rmtree(private, ignore_errors=True)
