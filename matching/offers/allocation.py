"""Global allocation: every open need to at most one capacity-limited offer at once.

Pure Python over plain values (no models), so it can be tested on generated
instances and benchmarked at full size. ``optimal`` solves a min-cost flow
with OR-Tools; ``greedy`` is the one-by-one matching it is compared with.
docs/matching.md ("Global allocation") describes the model.

The network::

    need ─(1, −gain)─► offer ─(offer capacity)─► organization ─(org cap)─► sink
      └────────────────(1, gain 0: "unmatched")──────────────────────────────┘

Every need has a supply of one unit and the sink absorbs them all; the
unmatched arc means every instance is feasible, whatever the capacities.
Emergencies are served first (see :func:`optimal`).
"""

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter

import numpy as np

# Scores in [0, 1] become integer costs with four decimals, the precision
# the scoring function rounds to.
SCALE = 10_000
# A volunteer visit takes about two hours a week per household.
HOURS_PER_CASE = 2


@dataclass(frozen=True)
class Problem:
    """Candidate edges and the limits they must respect.

    ``needs`` lists every open need in the order one-by-one matching would
    take them within a priority level (longest waiting first); a need
    without edges simply stays unmatched.
    """

    edges: Sequence[tuple[Hashable, Hashable, float]]  # (need, offer, score in [0, 1])
    capacity: dict  # offer -> cases it can still take (None: no limit; absent: none)
    organization: dict  # offer -> organization key, or None for an independent volunteer
    needs: Sequence[Hashable]
    emergency: frozenset = frozenset()
    org_share: float = 0.2

    @property
    def org_cap(self):
        """Most assignments any one organization may receive in this batch.

        A share of the *batch* (the needs being allocated), not of the
        assignments made: the cap must be known before solving for the
        problem to stay a flow.
        """
        return max(1, math.ceil(self.org_share * len(self.needs)))


@dataclass
class Allocation:
    pairs: dict = field(default_factory=dict)  # need -> (offer, score)
    org_loads: Counter = field(default_factory=Counter)
    emergencies: int = 0

    @property
    def total_score(self):
        return round(sum(score for _, score in self.pairs.values()), 4)

    @property
    def assigned(self):
        return len(self.pairs)

    @property
    def max_org_load(self):
        return max(self.org_loads.values(), default=0)

    def summary(self, problem):
        return {
            "score": self.total_score,
            "assigned": self.assigned,
            "emergencies_assigned": self.emergencies,
            "max_org_load": self.max_org_load,
            "max_org_share": round(self.max_org_load / max(1, len(problem.needs)), 4),
        }


def offer_capacity(
    *, offer_type, slots=None, budget_minor=None, max_per_case_minor=None, hours_per_week=None
):
    """How many more cases an offer can take; ``None`` means no stated limit.

    Money counts whole cases at the per-case maximum, so an allocation can
    never promise more than the budget; without a per-case maximum the
    remaining budget is kept for a single case.
    """
    if offer_type == "volunteer":
        return 0 if not hours_per_week else max(1, hours_per_week // HOURS_PER_CASE)
    limits = [] if slots is None else [slots]
    if budget_minor is not None:
        limits.append(budget_minor // max_per_case_minor if max_per_case_minor else 1)
    return max(0, min(limits)) if limits else None


def _add(allocation, problem, need, offer, score):
    allocation.pairs[need] = (offer, score)
    org = problem.organization.get(offer)
    if org is not None:
        allocation.org_loads[org] += 1
    if need in problem.emergency:
        allocation.emergencies += 1


# -- the edges as arrays ---------------------------------------------------------------------


@dataclass
class _Columns:
    """The usable edges (a listed need, an offer with capacity left) as parallel arrays
    over dense indices. Keys of needs or offers left without edges stay, harmlessly."""

    need_keys: list
    offer_keys: list
    org_keys: list
    need_index: np.ndarray
    offer_index: np.ndarray
    scores: np.ndarray

    @property
    def size(self):
        return len(self.scores)


def _dense(keys):
    """Keys in first-seen order, and each key's position in that order."""
    order = dict.fromkeys(keys)
    positions = {key: i for i, key in enumerate(order)}
    return list(order), np.fromiter(map(positions.__getitem__, keys), np.int64, len(keys))


def _columns(problem):
    # Per-edge work goes through map() and numpy masks rather than a Python
    # loop: at a million edges the preparation would otherwise rival the solve.
    needs, offers, scores = (list(map(itemgetter(i), problem.edges)) for i in range(3))
    need_keys, need_index = _dense(needs)
    offer_keys, offer_index = _dense(offers)
    listed = set(problem.needs)  # greedy only walks these; the flow must see the same needs
    keep = (
        _flags(need_keys, listed.__contains__)[need_index]
        & _flags(offer_keys, lambda offer: problem.capacity.get(offer, 0) != 0)[offer_index]
    )
    org_keys = sorted({problem.organization.get(o) for o in offer_keys} - {None}, key=str)
    scores = np.asarray(scores, dtype=np.float64)[keep]
    return _Columns(need_keys, offer_keys, org_keys, need_index[keep], offer_index[keep], scores)


def _flags(keys, test):
    return np.fromiter(map(test, keys), bool, len(keys))


# -- optimal: min-cost flow -----------------------------------------------------------------


def _offer_arcs(problem, cols, first_org, sink):
    """offer → its organization (or the sink for an independent volunteer), cap = capacity."""
    org_node = {org: first_org + i for i, org in enumerate(cols.org_keys)}
    unlimited = len(cols.need_keys)
    heads, caps = [], []
    for offer in cols.offer_keys:
        org, limit = problem.organization.get(offer), problem.capacity.get(offer, 0)
        heads.append(sink if org is None else org_node[org])
        caps.append(unlimited if limit is None else min(limit, unlimited))
    return np.asarray(heads, np.int64), np.asarray(caps, np.int64)


def _arcs(problem, cols, gains, urgent, floor):
    """(tails, heads, capacities, costs); need→offer arcs come first, in edge order.

    Nodes: needs, offers, organizations, the sink, then a gate. With a
    ``floor``, emergencies leave unmatched only through the gate, which lets
    at most (emergencies − floor) through: at least ``floor`` are served.
    """
    n_needs, n_offers, n_orgs = len(cols.need_keys), len(cols.offer_keys), len(cols.org_keys)
    first_org = n_needs + n_offers
    sink, gate = first_org + n_orgs, first_org + n_orgs + 1
    offer_heads, offer_caps = _offer_arcs(problem, cols, first_org, sink)
    unmatched_heads = np.where(urgent, gate, sink) if floor is not None else np.full(n_needs, sink)
    tails = [cols.need_index, n_needs + np.arange(n_offers), first_org + np.arange(n_orgs)]
    heads = [n_needs + cols.offer_index, offer_heads, np.full(n_orgs, sink)]
    caps = [np.ones(cols.size, np.int64), offer_caps, np.full(n_orgs, problem.org_cap)]
    # The unmatched arcs (gain 0), and the gate's own arc to the sink.
    tails += [np.arange(n_needs), [gate]]
    heads += [unmatched_heads, [sink]]
    caps += [np.ones(n_needs, np.int64), [int(urgent.sum()) - (floor or 0)]]
    costs = [-gains, np.zeros(n_offers + n_orgs + n_needs + 1, np.int64)]
    return [np.concatenate(part).astype(np.int64) for part in (tails, heads, caps, costs)], sink


def _solve(problem, cols, gains, *, urgent, floor=None):
    """Flows on the need→offer arcs of the cheapest flow (the largest total gain)."""
    from ortools.graph.python import min_cost_flow

    (tails, heads, caps, costs), sink = _arcs(problem, cols, gains, urgent, floor)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(sink + 2, np.int64)
    supplies[: len(cols.need_keys)] = 1
    supplies[sink] = -len(cols.need_keys)
    flow.set_nodes_supplies(np.arange(sink + 2), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:  # cannot happen with the unmatched arcs; say so loudly if it does
        raise RuntimeError(f"min-cost flow did not solve: status {status}")
    return flow.flows(arcs[: cols.size])


def _most_emergencies(problem, cols, urgent):
    """How many emergencies can be served at all, whatever happens to the others."""
    mask = urgent[cols.need_index]
    if not mask.any():
        return 0
    only = replace(
        cols,
        need_index=cols.need_index[mask],
        offer_index=cols.offer_index[mask],
        scores=cols.scores[mask],
    )
    return int(_solve(problem, only, np.ones(only.size, np.int64), urgent=urgent).sum())


def optimal(problem):
    """The assignment with the largest total score under every cap, emergencies first.

    Lexicographic, in two flows over the same network: the first finds how
    many emergencies can be served at all; the second maximizes the total
    score while serving at least that many. (One flow with a large
    emergency bonus gives the same answer, but the wider range of costs
    makes the cost-scaling solver about a third slower.)
    """
    cols = _columns(problem)
    if not cols.size:
        return Allocation()
    urgent = _flags(cols.need_keys, problem.emergency.__contains__)
    floor = _most_emergencies(problem, cols, urgent)
    gains = np.rint(cols.scores * SCALE).astype(np.int64)
    return _allocation(
        problem, cols, np.flatnonzero(_solve(problem, cols, gains, urgent=urgent, floor=floor))
    )


def _allocation(problem, cols, chosen_edges):
    allocation = Allocation()
    for i in chosen_edges:
        need, offer = cols.need_keys[cols.need_index[i]], cols.offer_keys[cols.offer_index[i]]
        _add(allocation, problem, need, offer, float(cols.scores[i]))
    return allocation


# -- greedy: one need at a time -------------------------------------------------------------


def _priority_order(problem):
    """Emergencies first, each group in the given (waiting) order."""
    urgent = [n for n in problem.needs if n in problem.emergency]
    return urgent + [n for n in problem.needs if n not in problem.emergency]


def _best_first(cols):
    """Per need index, the slice of edge positions sorted best score first."""
    # One integer key (need, then score descending); a stable sort keeps ties in input order.
    key = cols.need_index * (SCALE + 1) + (SCALE - np.rint(cols.scores * SCALE).astype(np.int64))
    order = np.argsort(key, kind="stable")
    bounds = np.searchsorted(cols.need_index[order], np.arange(len(cols.need_keys) + 1))
    return order, bounds


def greedy(problem):
    """Needs in priority order, each taking its best edge that still fits."""
    cols = _columns(problem)
    order, bounds = _best_first(cols)
    position = {need: i for i, need in enumerate(cols.need_keys)}
    left = [problem.capacity.get(offer, 0) for offer in cols.offer_keys]
    orgs = [problem.organization.get(offer) for offer in cols.offer_keys]
    offer_of = cols.offer_index.tolist()  # plain ints: numpy scalars are slow one at a time
    allocation = Allocation()
    for need in _priority_order(problem):
        i = position.get(need)
        for edge in [] if i is None else order[bounds[i] : bounds[i + 1]].tolist():
            offer = offer_of[edge]
            if left[offer] == 0 or (
                orgs[offer] is not None and allocation.org_loads[orgs[offer]] >= problem.org_cap
            ):
                continue
            if left[offer] is not None:
                left[offer] -= 1
            _add(allocation, problem, need, cols.offer_keys[offer], float(cols.scores[edge]))
            break
    return allocation
