"""Lighthouse on the public pages at mobile settings (performance, accessibility).

    .venv/bin/python bench/lighthouse.py [--runs 3] [--port 8792] [--record]

Builds the demo city once under var/lighthouse/ (the embedded settings:
SQLite, no services; ``migrate`` + ``seed_demo``), collects and compresses
the static files (gzip and Brotli, as ``make demo`` + WhiteNoise serve them
in production), starts gunicorn on it with DEBUG off, then runs Lighthouse
12.2.3 (bench/lighthouse/, ``npm ci`` there once; Node 20 rules out 13) with
the system Chromium at its default mobile settings (Moto G Power viewport,
simulated slow 4G and 4x CPU slow-down) on the home page, the needs listing
and one need's page. Prints the median score of ``--runs`` runs per page;
``--record`` appends them to docs/performance.md.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
VAR = REPO / "var" / "lighthouse"
LIGHTHOUSE = REPO / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROME_FLAGS = "--no-sandbox --headless=new --disable-background-networking"
PYTHON = sys.executable
TARGETS = {"performance": 90, "accessibility": 95}


def django_env():
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "false",
        "DJANGO_VAR_DIR": str(VAR),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PUBLIC_SEARCH_RATE": "",  # Lighthouse reloads pages; no rate limit here
    }


def manage(*args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=REPO, env=django_env(), check=True)


def build_site():
    VAR.mkdir(parents=True, exist_ok=True)
    if not (VAR / "db.sqlite3").exists():
        manage("migrate", "--no-input", "-v", "0")
        with (VAR / "seed.log").open("w") as log:
            subprocess.run(
                [PYTHON, "manage.py", "seed_demo"],
                cwd=REPO,
                env=django_env(),
                check=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
    manage("collectstatic", "--no-input", "--clear", "-v", "0")
    subprocess.run([PYTHON, "-m", "whitenoise.compress", "-q", str(VAR / "static")], check=True)


def start_server(port):
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "--pythonpath",
            "site",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "config.wsgi",
        ],
        cwd=REPO,
        env=django_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz/", timeout=2).raise_for_status()
            return server
        except requests.RequestException:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("gunicorn did not answer on /healthz/")


def first_need_url(base):
    html = requests.get(f"{base}/needs/", timeout=10).text
    found = re.search(r'href="(/needs/\d+/)"', html)
    if not found:
        raise SystemExit("the demo listing shows no need")
    return base + found.group(1)


def lighthouse(url, out_dir, attempts=3):
    report = Path(out_dir) / "report.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=performance,accessibility",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    for attempt in range(1, attempts + 1):
        # Lighthouse sometimes loses the trace of a page load ("NO_NAVSTART") and
        # asks to be run again: a failed run is retried, not counted.
        done = subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, check=False)
        if done.returncode == 0:
            break
        if attempt == attempts:
            raise SystemExit(f"Lighthouse failed {attempts} times on {url}")
    data = json.loads(report.read_text())
    scores = {name: round(cat["score"] * 100) for name, cat in data["categories"].items()}
    audits = data["audits"]
    scores["lcp_ms"] = round(audits["largest-contentful-paint"]["numericValue"])
    scores["tbt_ms"] = round(audits["total-blocking-time"]["numericValue"])
    scores["cls"] = round(audits["cumulative-layout-shift"]["numericValue"], 3)
    return scores


def measure(pages, runs):
    results = {}
    with tempfile.TemporaryDirectory() as out_dir:
        for name, url in pages.items():
            samples = [lighthouse(url, out_dir) for _ in range(runs)]
            results[name] = {
                key: statistics.median(sample[key] for sample in samples) for key in samples[0]
            }
            print(f"{name:8} {url}: {results[name]}", flush=True)
    return results


def record(results, runs):
    lines = [
        "",
        f"### Lighthouse, {datetime.date.today().isoformat()} (median of {runs} runs)",
        "",
        "| page | performance | accessibility | LCP (ms) | TBT (ms) | CLS |",
        "|---|---|---|---|---|---|",
    ]
    for name, score in results.items():
        lines.append(
            f"| {name} | {score['performance']:g} | {score['accessibility']:g} "
            f"| {score['lcp_ms']:g} | {score['tbt_ms']:g} | {score['cls']:g} |"
        )
    with (REPO / "docs" / "performance.md").open("a", encoding="utf-8") as doc:
        doc.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: run `npm ci` in bench/lighthouse/ first")
    build_site()
    server = start_server(args.port)
    try:
        base = f"http://127.0.0.1:{args.port}"
        pages = {"home": base + "/", "listing": base + "/needs/", "need": first_need_url(base)}
        results = measure(pages, args.runs)
    finally:
        server.terminate()
        server.wait()
    if args.record:
        record(results, args.runs)
    failed = [
        f"{name} {category} {score[category]:g} < {target}"
        for name, score in results.items()
        for category, target in TARGETS.items()
        if score[category] < target
    ]
    print("targets met" if not failed else "below target: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
