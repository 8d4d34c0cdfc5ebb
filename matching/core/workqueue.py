"""The work queues a staff dashboard counts, and the lists those counts open.

Each app declares its queues in a ``queues`` module (found by
``autodiscover``) with ``queue_register``: a key, a label, the scoped rows
(a selector ``rows(user=...) -> QuerySet``), the index view that lists them
and, optionally, the deadline field and the jurisdiction path field used to
split the count per subordinate unit. The dashboard counts
``rows(user=...)``; the list opened with ``?queue=<key>`` shows
``rows(user=...)`` too (``ScopedIndexView`` in ``matching/core/admin.py``), so
the two cannot disagree.

It depends on Django only, never on an app of this project.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Min
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.module_loading import autodiscover_modules

from .scope import subtree

DUE_SOON = timedelta(hours=24)


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    rows: object  # ``(*, user) -> QuerySet``; None when the role has no such queue
    index_url_name: str
    order: int = 100
    deadline: str = ""  # a datetime field of the rows: soonest first, and the clock
    unit_field: str = ""  # the rows' jurisdiction path, to count per subordinate unit
    icon: str = "list-ul"

    def list_rows(self, *, user, unit=None):
        """The rows the list shows: the queue's rows (in ``unit`` when given),
        by deadline with the overdue first."""
        rows = self.rows(user=user)
        if unit is not None and self.unit_field:
            rows = rows.filter(subtree(unit.path, field=self.unit_field))
        if self.deadline:
            rows = rows.order_by(F(self.deadline).asc(nulls_last=True), "pk")
        return rows

    def url(self, unit=None):
        query = {"queue": self.key}
        if unit is not None:
            query["unit"] = unit.pk
        return f"{reverse(self.index_url_name)}?{urlencode(query)}"


_QUEUES = {}
_discovered = False
# Set by the app that knows jurisdictions (directory): ``units(user)`` lists
# the subordinate units a supervisor reads, ``unit(user, code)`` finds one of them.
_UNITS = {"units": lambda user: [], "unit": lambda user, code: None, "memo": nullcontext}


def units_register(*, units, unit, memo=nullcontext):
    """``memo()``: a context in which the reader's profile is looked up once."""
    _UNITS.update(units=units, unit=unit, memo=memo)


def dashboard(*, user):
    """Everything the dashboard shows: the reader's tallies and, for a
    supervisor, each subordinate unit's, the worst first."""
    autodiscover()
    with _UNITS["memo"]():
        units = _UNITS["units"](user)
        return _tallies(user=user, units=units)


def subordinate_units(*, user):
    autodiscover()
    return _UNITS["units"](user)


def unit_get(*, user, code):
    autodiscover()
    return _UNITS["unit"](user, code)


def queue_register(**kwargs):
    queue = Queue(**kwargs)
    _QUEUES[queue.key] = queue
    return queue


def autodiscover():
    global _discovered
    if not _discovered:
        autodiscover_modules("queues")
        _discovered = True


def queue_get(key):
    autodiscover()
    return _QUEUES.get(key)


def queues():
    autodiscover()
    return sorted(_QUEUES.values(), key=lambda queue: (queue.order, queue.key))


@dataclass
class Tally:
    """One queue's count for one reader (or one unit): how many, and the soonest deadline."""

    queue: Queue
    count: int
    soonest: object = None
    unit: object = None

    @property
    def url(self):
        return self.queue.url(self.unit)

    @property
    def state(self):
        """ "overdue", "due_soon" or "" by the soonest deadline of the rows."""
        if not self.count or self.soonest is None:
            return ""
        now = timezone.now()
        if self.soonest < now:
            return "overdue"
        return "due_soon" if self.soonest < now + DUE_SOON else ""

    @property
    def time_left(self):
        return self.soonest - timezone.now() if self.soonest else None


def _totals(queue):
    figures = {"n": Count("pk")}
    if queue.deadline:
        figures["soonest"] = Min(queue.deadline)
    return figures


def _aggregate(queue, rows):
    """Count and soonest deadline in one query."""
    return rows.aggregate(**_totals(queue))


def my_queue(*, user):
    """The reader's queues with work in them or not, one aggregate query each."""
    return _tallies(user=user, units=[])[0]


def _tallies(*, user, units):
    """The reader's tallies and, per subordinate unit, the unit's tallies.

    One query per queue: for a queue split by unit, the per-unit query groups
    every row the reader sees, so the reader's own count and soonest deadline
    are the sum and the least of its groups (before, a second query counted
    them again).
    """
    tallies = []
    per_unit = {unit.pk: [] for unit in units}
    for queue in queues():
        rows = queue.rows(user=user)
        if rows is None:
            continue
        if units and queue.unit_field:
            result = _unit_figures(queue, rows, units)
            for unit in units:
                tally = Tally(queue, result[f"n_{unit.pk}"], result.get(f"d_{unit.pk}"), unit)
                per_unit[unit.pk].append(tally)
        else:
            result = _aggregate(queue, rows)
        tallies.append(Tally(queue, result["n"], result.get("soonest")))

    def badness(unit):
        unit_tallies = per_unit[unit.pk]
        overdue = sum(t.count for t in unit_tallies if t.state == "overdue")
        return (-overdue, -sum(t.count for t in unit_tallies), unit.pk)

    return tallies, [(unit, per_unit[unit.pk]) for unit in sorted(units, key=badness)]


def _unit_figures(queue, rows, units):
    """Per unit: count and soonest deadline, all units in one query.

    Sibling units' paths have one length, so the rows group by that prefix of
    their path (one pass over the rows); otherwise one filtered aggregate per unit.
    """
    lengths = {len(unit.path) for unit in units}
    if len(lengths) == 1:
        return _unit_figures_grouped(queue, rows, units, lengths.pop())
    figures = _totals(queue)
    for unit in units:
        inside = subtree(unit.path, field=queue.unit_field)
        figures[f"n_{unit.pk}"] = Count("pk", filter=inside)
        if queue.deadline:
            figures[f"d_{unit.pk}"] = Min(queue.deadline, filter=inside)
    return rows.aggregate(**figures)


def _unit_figures_grouped(queue, rows, units, length):
    figures = {"n": Count("pk")}
    if queue.deadline:
        figures["d"] = Min(queue.deadline)
    grouped = (
        rows.order_by()
        .annotate(unit_path=Substr(queue.unit_field, 1, length))
        .values("unit_path")
        .annotate(**figures)
    )
    by_path = {row["unit_path"]: row for row in grouped}
    deadlines = [row["d"] for row in by_path.values() if row.get("d") is not None]
    result = {
        "n": sum(row["n"] for row in by_path.values()),
        "soonest": min(deadlines, default=None),
    }
    for unit in units:
        row = by_path.get(unit.path, {})
        result[f"n_{unit.pk}"] = row.get("n", 0)
        result[f"d_{unit.pk}"] = row.get("d")
    return result


def queue_by_unit(*, user, units):
    """For a supervisor: each subordinate unit's tallies, the worst unit first
    (most overdue work, then most work)."""
    return _tallies(user=user, units=units)[1] if units else []
