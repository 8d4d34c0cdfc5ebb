"""Run every benchmark in turn (``make bench``); each prints its own figures.

Benchmarks are not tests: run them on a quiet machine and copy the figures,
with the date and the machine's load, into docs/performance.md.
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    ["matching.py", "--offers", "100000", "--needs", "100", "--inprocess-needs", "5"],
    ["matching.py", "--offers", "1000000", "--needs", "100", "--index-only"],
    ["ranking.py"],
    ["analyzers.py"],
    ["allocation.py"],
    ["public_listing.py"],
    ["webhooks.py"],
]


def main():
    failed = 0
    for bench in BENCHES:
        if not (HERE / bench[0]).exists():
            continue
        print(f"== {' '.join(bench)}", flush=True)
        failed += (
            subprocess.run(
                [sys.executable, str(HERE / bench[0]), *bench[1:]], check=False
            ).returncode
            != 0
        )
    return failed


if __name__ == "__main__":
    sys.exit(main())
