"""Benchmark: de-identification throughput and recall, the pipeline beside a baseline commit.

Runs the current ``matching.deidentify`` and the package as it was at
``--baseline`` (default c24bb10, before issue 18; extracted with
``git archive`` into a temporary folder and imported under another name) on
the same generated corpus (tests/matching/deidentify/corpus_generator.py,
420 texts in six registers), in one process pinned to one core. Prints
texts/s for both (best of ``--runs``, wall and CPU), the cold start of each
in a fresh interpreter (import and first call, dictionaries included), and
the per-class recall / per-kind precision table of both, with the misses of
the current pipeline.

    .venv/bin/python bench/deidentify.py [--runs 5] [--baseline c24bb10]

Figures go to docs/performance.md ("De-identification") and the tables to
docs/deidentification.md.
"""

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests/matching/deidentify")]

import corpus_generator  # noqa: E402

COLD_START = """
import sys, time
sys.path[:0] = [{path!r}]
start = time.perf_counter()
from {module} import deidentify
deidentify("邻居陈艳珍说，申请人秦春娟今年75岁，电话13904312208。", names=["秦春娟"])
print(time.perf_counter() - start)
"""


def baseline_package(commit, folder):
    """Extract matching/deidentify at ``commit`` as the package ``baseline_deidentify``."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", commit, "matching/deidentify"],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    (Path(folder) / "matching/deidentify").rename(Path(folder) / "baseline_deidentify")
    sys.path.insert(0, folder)
    return importlib.import_module("baseline_deidentify")


def throughput(deidentify, texts, runs):
    """texts/s over the corpus: the first pass and the best of ``runs``, wall and CPU.

    The first pass meets most names for the first time (per-name patterns and
    jieba windows are cached after that); later passes show the steady state
    of a server that sees the same case's texts again (title, story, preview).
    CPU time is reported because other sessions share the cores: under load
    wall time measures the machine, not the code.
    """
    for item in texts[:50]:  # warm: dictionaries loaded, as in a running server
        deidentify(item.text, names=item.names, addresses=item.addresses)
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        for item in texts:
            deidentify(item.text, names=item.names, addresses=item.addresses)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {
        "first_pass_texts_per_s_cpu": round(len(texts) / cpus[0], 1),
        "best_texts_per_s_cpu": round(len(texts) / min(cpus), 1),
        "best_texts_per_s_wall": round(len(texts) / min(walls), 1),
        "worst_texts_per_s_wall": round(len(texts) / max(walls), 1),
    }


def cold_start(path, module):
    script = COLD_START.format(path=str(path), module=module)
    seconds = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    return round(float(seconds), 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="c24bb10")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--per-register", type=int, default=corpus_generator.TEXTS_PER_REGISTER)
    parser.add_argument("--core", type=int, default=0)
    args = parser.parse_args()
    os.sched_setaffinity(0, {args.core})  # one core, for this process and nothing else

    texts = corpus_generator.generate(per_register=args.per_register)
    characters = sum(len(item.text) for item in texts)
    from matching.deidentify import deidentify as current

    with tempfile.TemporaryDirectory() as folder:
        baseline = baseline_package(args.baseline, folder).deidentify
        pipelines = {"current": current, f"baseline {args.baseline}": baseline}
        report = {
            "python": platform.python_version(),
            "texts": len(texts),
            "characters": characters,
            "registers": dict(Counter(item.register for item in texts)),
            "throughput": {name: throughput(f, texts, args.runs) for name, f in pipelines.items()},
            "cold_start_s": {
                "current": cold_start(REPO, "matching.deidentify"),
                f"baseline {args.baseline}": cold_start(folder, "baseline_deidentify"),
            },
        }
        report["load_average"] = [round(load, 1) for load in os.getloadavg()]
        print(json.dumps(report, indent=2, ensure_ascii=False))
        for name, deidentify in pipelines.items():
            evaluation = corpus_generator.evaluate(texts, deidentify)
            print(f"\n### {name}\n\n{corpus_generator.table(evaluation)}")
            if name == "current":
                print("\nMisses:")
                for cls, value, register in evaluation.misses:
                    print(f"- `{cls}` {value!r} ({register})")
                print("\nOrdinary text removed:")
                for kind, value in evaluation.over:
                    print(f"- `{kind}` {value!r}")


if __name__ == "__main__":
    main()
