"""Benchmark: global allocation (min-cost flow) against greedy one-by-one matching.

Generates a seeded instance directly (no database, no Elasticsearch): open
needs, capacity-limited offers owned by organizations of very unequal size
(so the per-organization cap binds), and candidate edges with scores in
[0, 1]. Times ``optimal`` (OR-Tools min-cost flow) and ``greedy`` on the
same instance and prints their totals.

    .venv/bin/python bench/allocation.py --needs 10000 --offers 5000 --edges 1000000

Figures go to docs/performance.md ("Global allocation").
"""

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO)]

from matching.offers.allocation import Problem, greedy, optimal  # noqa: E402


def organizations(offers, count, rng):
    """Offer -> organization, Zipf-like: the largest owns about a third of the offers,
    more than the per-organization cap lets it serve."""
    weights = [1 / (rank + 1) ** 1.4 for rank in range(count)]
    return {
        offer: f"O-{org}" for offer, org in enumerate(rng.choices(range(count), weights, k=offers))
    }


def edges(needs, offers, total, rng):
    """``total`` (need, offer, score) edges, spread evenly over needs.

    A score mixes the offer's general fit with the pair's own, so that
    good offers are contested (what makes greedy myopic).
    """
    per_need = max(1, total // needs)
    quality = np.asarray([rng.random() for _ in range(offers)])
    np_rng = np.random.default_rng(rng.randrange(2**32))
    picks = np_rng.integers(0, offers, size=(needs, per_need))
    scores = np.round(0.6 * quality[picks] + 0.4 * np_rng.random((needs, per_need)), 4)
    need_ids = np.repeat(np.arange(needs), per_need)
    return list(
        zip(need_ids.tolist(), picks.ravel().tolist(), scores.ravel().tolist(), strict=True)
    )


def instance(args):
    rng = random.Random(args.seed)
    problem_edges = edges(args.needs, args.offers, args.edges, rng)
    return Problem(
        edges=problem_edges,
        # 1-3 cases each: on average less capacity than there are needs.
        capacity={offer: rng.choice((1, 1, 2, 3)) for offer in range(args.offers)},
        organization=organizations(args.offers, args.orgs, rng),
        needs=list(range(args.needs)),
        emergency=frozenset(rng.sample(range(args.needs), args.needs // 10)),
        org_share=args.org_share,
    )


def timed(solve, problem, runs):
    """Best and worst wall-clock seconds, and the CPU seconds of the best run.

    CPU time is reported too because other work often shares the two cores:
    wall time then overstates what the solve itself costs.
    """
    runs_seen, result = [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = solve(problem)
        runs_seen.append((time.perf_counter() - wall, time.process_time() - cpu))
    best, worst = min(runs_seen), max(runs_seen)
    return result, {
        "best_s": round(best[0], 2),
        "worst_s": round(worst[0], 2),
        "cpu_s": round(best[1], 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--offers", type=int, default=5_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--orgs", type=int, default=400)
    parser.add_argument("--org-share", type=float, default=0.2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261128)
    args = parser.parse_args()
    start = time.perf_counter()
    problem = instance(args)
    generated = time.perf_counter() - start
    report = {
        "python": platform.python_version(),
        "needs": args.needs,
        "offers": args.offers,
        "edges": len(problem.edges),
        "capacity": sum(problem.capacity.values()),
        "emergencies": len(problem.emergency),
        "org_cap": problem.org_cap,
        "generate_s": round(generated, 2),
    }
    for name, solve in (("optimal", optimal), ("greedy", greedy)):
        result, seconds = timed(solve, problem, args.runs)
        report[name] = {**result.summary(problem), **seconds}
    report["load_average"] = [round(load, 1) for load in os.getloadavg()]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
