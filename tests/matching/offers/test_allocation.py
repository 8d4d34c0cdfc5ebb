"""Global allocation on generated and hand-made instances (no database needed)."""

import random
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from matching.offers.allocation import Problem, greedy, offer_capacity, optimal


def generated(seed, *, needs=300, offers=200, orgs=25, per_need=8, emergencies=30, share=0.1):
    """A seeded city-sized instance: scores rounded as the scoring function rounds them."""
    rng = random.Random(seed)
    need_ids = [f"N-{i}" for i in range(needs)]
    offer_ids = [f"P-{i}" for i in range(offers)]
    edges = [
        (need, offer, round(rng.random(), 4))
        for need in need_ids
        for offer in rng.sample(offer_ids, per_need)
    ]
    return Problem(
        edges=edges,
        capacity={offer: rng.choice((0, 1, 1, 2, 3, None)) for offer in offer_ids},
        # Orgs of unequal size (the first few own most offers) so the cap binds.
        organization={o: f"O-{min(int(rng.expovariate(0.3)), orgs - 1)}" for o in offer_ids},
        needs=need_ids,
        emergency=frozenset(rng.sample(need_ids, emergencies)),
        org_share=share,
    )


SEEDS = [1, 2, 3, 4, 5]
SOLVERS = [optimal, greedy]


def assert_within_limits(problem, allocation):
    edges = {(n, o): s for n, o, s in problem.edges}
    per_offer = Counter(offer for offer, _ in allocation.pairs.values())
    for need, (offer, score) in allocation.pairs.items():
        assert edges[(need, offer)] == score  # only candidate edges are used
    for offer, used in per_offer.items():
        limit = problem.capacity[offer]
        assert limit is None or used <= limit
    per_org = Counter(problem.organization[o] for o, _ in allocation.pairs.values())
    assert max(per_org.values(), default=0) <= problem.org_cap
    assert per_org == allocation.org_loads


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("solve", SOLVERS, ids=["optimal", "greedy"])
def test_no_capacity_or_org_cap_is_ever_exceeded(seed, solve):
    problem = generated(seed)
    allocation = solve(problem)
    assert allocation.assigned > 0
    assert_within_limits(problem, allocation)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_org_cap_binds_on_the_generated_city(seed):
    problem = generated(seed)
    uncapped = optimal(replace(problem, org_share=1.0))
    assert uncapped.max_org_load > problem.org_cap  # so the cap is really tested
    assert optimal(problem).max_org_load <= problem.org_cap


@pytest.mark.parametrize("seed", SEEDS)
def test_optimal_scores_at_least_as_well_as_greedy(seed):
    problem = generated(seed)
    best, one_by_one = optimal(problem), greedy(problem)
    # Emergencies first, then the total: optimal is never behind greedy on that order.
    assert best.emergencies >= one_by_one.emergencies
    if best.emergencies == one_by_one.emergencies:
        assert best.total_score >= one_by_one.total_score - 1e-9


@pytest.mark.parametrize("seed", SEEDS)
def test_without_emergencies_optimal_beats_greedy_on_score(seed):
    problem = replace(generated(seed), emergency=frozenset())
    assert optimal(problem).total_score >= greedy(problem).total_score - 1e-9


def test_optimal_is_strictly_better_where_greedy_is_myopic():
    # A comes first and grabs X; B then has nothing. Optimal gives A its second best.
    problem = Problem(
        edges=[("A", "X", 0.9), ("A", "Y", 0.8), ("B", "X", 0.85)],
        capacity={"X": 1, "Y": 1},
        organization={"X": "O-1", "Y": "O-2"},
        needs=["A", "B"],
        org_share=1.0,
    )
    assert greedy(problem).pairs == {"A": ("X", 0.9)}
    assert optimal(problem).pairs == {"A": ("Y", 0.8), "B": ("X", 0.85)}
    assert optimal(problem).total_score == pytest.approx(1.65)


def brute_force(problem):
    """(emergencies served, total score) of SciPy's maximum-weight matching over offers
    expanded into single slots, an emergency weighing more than every score together."""
    bonus = len(problem.needs) + 1
    slots = [o for o, cap in problem.capacity.items() for _ in range(cap)]
    weight = np.zeros((len(problem.needs), len(slots)))
    row = {need: i for i, need in enumerate(problem.needs)}
    for need, offer, score in problem.edges:
        for j, slot in enumerate(slots):
            if slot == offer:
                weight[row[need], j] = score + bonus * (need in problem.emergency)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    served = sum(weight[r, c] >= bonus for r, c in zip(rows, cols, strict=True))
    return served, weight[rows, cols].sum() - bonus * served


@pytest.mark.parametrize("emergencies", [0, 8])
@pytest.mark.parametrize("seed", SEEDS)
def test_optimal_equals_an_independent_assignment_solver(seed, emergencies):
    rng = random.Random(seed)
    problem = generated(seed, needs=40, offers=25, per_need=3, emergencies=emergencies, share=1.0)
    capacity = {o: rng.choice((1, 1, 2)) for o in problem.capacity}
    problem = replace(problem, capacity=capacity)
    served, total = brute_force(problem)
    best = optimal(problem)
    assert best.emergencies == served
    assert best.total_score == pytest.approx(total, abs=1e-6)


def test_emergencies_are_served_first_when_capacity_is_short():
    normal = [(f"N-{i}", "P", 0.95) for i in range(5)]
    urgent = [(f"E-{i}", "P", 0.2) for i in range(3)]
    problem = Problem(
        edges=normal + urgent,
        capacity={"P": 2},
        organization={"P": "O-1"},
        needs=[n for n, _, _ in normal + urgent],  # normal ones have waited longer
        emergency=frozenset(n for n, _, _ in urgent),
        org_share=1.0,
    )
    for solve in SOLVERS:
        allocation = solve(problem)
        assert set(allocation.pairs) <= {"E-0", "E-1", "E-2"}
        assert allocation.emergencies == 2


def test_an_emergency_is_worth_more_than_any_score_difference():
    # Serving E costs A its best offer; the total score drops, but E is served.
    problem = Problem(
        edges=[("A", "X", 1.0), ("A", "Y", 0.1), ("E", "X", 0.1)],
        capacity={"X": 1, "Y": 1},
        organization={"X": "O-1", "Y": "O-2"},
        needs=["A", "E"],
        emergency=frozenset({"E"}),
        org_share=1.0,
    )
    assert optimal(problem).pairs == {"A": ("Y", 0.1), "E": ("X", 0.1)}


def test_instances_that_look_infeasible_still_solve():
    rng = random.Random(9)
    edges = [(f"N-{i}", f"P-{rng.randrange(5)}", 0.5) for i in range(200)]
    edges.append(("N-0", "P-unknown", 0.9))  # an offer with no stated capacity entry
    problem = Problem(
        edges=edges,
        capacity={"P-0": 0, "P-1": 1, "P-2": 1, "P-3": 0, "P-4": 50},
        organization={f"P-{i}": "O-1" for i in range(5)},
        needs=[f"N-{i}" for i in range(250)],  # fifty needs have no candidate at all
        org_share=0.01,  # three cases for the single organization
    )
    for solve in SOLVERS:
        allocation = solve(problem)
        assert allocation.assigned == problem.org_cap == 3
        assert_within_limits(problem, allocation)


def test_nothing_to_allocate_is_an_empty_allocation():
    problem = Problem(edges=[], capacity={}, organization={}, needs=["N-1"])
    assert optimal(problem).pairs == greedy(problem).pairs == {}


def test_independent_volunteers_are_not_counted_against_any_organization():
    problem = Problem(
        edges=[(f"N-{i}", "V-1", 0.5) for i in range(4)],
        capacity={"V-1": 3},
        organization={"V-1": None},
        needs=[f"N-{i}" for i in range(4)],
        org_share=0.25,  # one case per organization
    )
    assert optimal(problem).assigned == greedy(problem).assigned == 3


@pytest.mark.parametrize(
    ("offer", "cases"),
    [
        ({"offer_type": "project", "slots": 4}, 4),
        ({"offer_type": "project", "budget_minor": 1_000_000, "max_per_case_minor": 300_000}, 3),
        (
            {"offer_type": "project", "slots": 2, "budget_minor": 900_000, "max_per_case_minor": 1},
            2,
        ),
        ({"offer_type": "project", "budget_minor": 500_000}, 1),
        ({"offer_type": "project", "budget_minor": 0, "max_per_case_minor": 100}, 0),
        ({"offer_type": "project"}, None),
        ({"offer_type": "fund", "budget_minor": 5_000_000, "max_per_case_minor": 200_000}, 25),
        ({"offer_type": "volunteer", "hours_per_week": 5}, 2),
        ({"offer_type": "volunteer", "hours_per_week": 1}, 1),
        ({"offer_type": "volunteer", "hours_per_week": 0}, 0),
    ],
)
def test_offer_capacity(offer, cases):
    assert offer_capacity(**offer) == cases


def test_edges_of_needs_outside_the_batch_are_ignored_by_both_solvers():
    problem = Problem(
        edges=[("N-1", "P", 0.4), ("N-elsewhere", "P", 0.9)],
        capacity={"P": 1},
        organization={"P": "O-1"},
        needs=["N-1"],
        org_share=1.0,
    )
    assert optimal(problem).pairs == greedy(problem).pairs == {"N-1": ("P", 0.4)}
