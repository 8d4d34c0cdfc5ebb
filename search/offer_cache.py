"""The offers index held in process memory, for the in-process matcher.

Reading and preparing every offer row took ~400 ms of a match at 20,000
offers on SQLite (docs/performance.md). A process now prepares them once and
keeps them, with small inverted sets -- category, form, served jurisdiction,
a volunteer's service cells and home district -- so a match touches only the
offers that could be candidates or close exclusions and checks only those
that could pass, with the very same check functions (search.constraints).

The snapshot is keyed on the offers index's version token (search.versions),
which every committed change to a project, volunteer or fund replaces, in
whichever process it was made: each match reads the token (one primary-key
lookup) and rebuilds the snapshot when it differs. A transaction with its own
uncommitted changes gets a snapshot of what it sees, never cached.

docs/search.md ("The in-process matcher's cache") has the design and its
memory cost.
"""

import heapq
import threading
from dataclasses import dataclass

from . import registry, versions
from .constraints import (
    check_active,
    check_availability,
    check_capacity,
    first_violation,
    need_cells,
)
from .scoring import bigrams

INDEX = "offers"
# Fields only Elasticsearch filters on (search.documents.filter_keys), and the
# description, which no check or score reads (the Elasticsearch backend does
# not fetch it either): not kept.
_NOT_KEPT = frozenset(
    {
        "category_keys",
        "status_keys",
        "age_low",
        "age_high",
        "slots_left",
        "money_left",
        "start_day",
        "end_day",
        "available",
        "service_cells",
        "description",
    }
)


@dataclass(frozen=True)
class Snapshot:
    """Prepared offer documents and, per code, the positions of the
    documents carrying it."""

    token: int | None
    # Each document as a tuple of its values in ``fields`` order, made a dict
    # again when read (kept as dicts, the snapshot took 31.8 MiB at 20,000
    # offers instead of 18.7: docs/search.md).
    fields: tuple
    rows: tuple
    refs: tuple
    title_grams: tuple
    by_title_grams: dict
    # Those that pass the checks no need can change (active, capacity left,
    # a volunteer's time): the others are never candidates.
    open: frozenset
    # Projects and funds ("others": volunteers are category-free).
    others_by_category: dict
    others_by_form: dict
    others_by_area: dict
    volunteers: frozenset
    volunteers_by_form: dict
    volunteers_by_cell: dict
    volunteers_by_home_area: dict

    def select(self, profile, ctx, excluded):
        """(candidates, close exclusions), as a walk over every document
        would find them (search.matcher.InProcessBackend)."""
        forms = profile.forms
        sharing = _union(self.others_by_category, profile.categories)
        served = sharing & _union(self.others_by_area, profile.area_codes)
        if forms:  # check_forms, on the offers sharing a category
            served &= _union(self.others_by_form, forms)
        volunteers = _union(self.volunteers_by_form, forms) if forms else self.volunteers
        reached = volunteers & self._within_reach(profile)
        # Only these can pass every check; first_violation decides.
        checked = sorted(self.open & (served | reached))
        passing, candidates = [], []
        for position in checked:
            doc = self.doc(position)
            if first_violation(profile, doc, ctx) is None:
                passing.append(position)
                candidates.append(doc)
        if not excluded:
            return candidates, []
        # Close: every offer sharing a category or a form of help (volunteers:
        # a form) that is not a candidate.
        close = sharing | _union(self.others_by_form, forms)
        if forms:
            close |= volunteers
        return candidates, self._closest(profile, close.difference(passing), excluded)

    def _within_reach(self, profile):
        """Volunteers who may serve the household: those sharing one of its
        service cells (every volunteer within their radius does, and only
        they can pass check_area), or without its position, those of its
        district."""
        if profile.location is None:
            district = profile.area_codes[1] if len(profile.area_codes) > 1 else None
            return _union(self.volunteers_by_home_area, [district])
        return _union(self.volunteers_by_cell, need_cells(profile.location))

    def _closest(self, profile, positions, size):
        """The close exclusions most relevant by title, then by ref (then in
        walk order, where the walk's stable sort left ties: bench's
        baseline_inprocess):
        titles repeat, so by groups of one title's bigrams, most shared first."""
        grams = frozenset(bigrams(profile.text))
        if len(self.by_title_grams) > len(positions):  # few exclusions: one by one
            titles, refs = self.title_grams, self.refs
            chosen = heapq.nsmallest(
                size, positions, key=lambda p: (-len(titles[p] & grams), refs[p], p)
            )
            return [self.doc(p) for p in chosen]
        levels = {}
        for title, group in self.by_title_grams.items():
            levels.setdefault(len(title & grams), []).append(group)
        chosen = []
        for overlap in sorted(levels, reverse=True):
            level = [p for group in levels[overlap] for p in group.intersection(positions)]
            chosen += heapq.nsmallest(size - len(chosen), level, key=self._by_ref)
            if len(chosen) >= size:
                break
        return [self.doc(p) for p in chosen]

    def doc(self, position):
        """The document at ``position``: a new dict, the caller's to keep."""
        return dict(zip(self.fields, self.rows[position], strict=True))

    def __len__(self):
        return len(self.rows)

    def _by_ref(self, position):
        return (self.refs[position], position)


def _union(by_code, codes):
    found = [by_code[code] for code in codes if code in by_code]
    if len(found) == 1 and isinstance(found[0], frozenset):
        return found[0]
    return frozenset().union(*found)


_current = None
_building = threading.Lock()


def snapshot():
    """The offers as this connection sees them: the cached snapshot when the
    database's token is the one it was built under, else a new one."""
    global _current
    if versions.pending(INDEX):
        return build(None)
    token = versions.token(INDEX)  # before the rows: a change after it only wastes a load
    if token is None:  # no change ever recorded (rows loaded behind the signals)
        return build(None)
    current = _current
    if current is not None and current.token == token:
        return current
    with _building:  # one thread builds; the others wait for it
        current = _current
        if current is None or current.token != token:
            current = _current = build(token)
    return current


def forget():
    """Drop the cached snapshot (tests, and a process that wants the memory back)."""
    global _current
    _current = None


def build(token):
    """A snapshot of every offer row this connection sees, under ``token``."""
    builder = _Builder()
    for source in registry.spec(INDEX).sources:
        for row in source.queryset().iterator(chunk_size=2000):
            builder.add(source.prepare(row))
    return builder.snapshot(token)


class _Builder:
    """Keeps what the matcher reads of each prepared document, as a tuple in
    ``fields`` order (lists as tuples; equal tuples and strings shared), and
    files its position under each of its codes."""

    def __init__(self):
        self.fields, self.rows, self.refs, self.titles = None, [], [], []
        self.shared, self.grams = {}, {}
        self.by_title, self.open, self.volunteers = {}, [], []
        self.others = {"category": {}, "form": {}, "area": {}}
        self.volunteer = {"form": {}, "cell": {}, "area": {}}

    def _layout(self, prepared):
        self.fields = (*(n for n in prepared if n not in _NOT_KEPT), "description")
        self.lists = [i for i, n in enumerate(self.fields) if isinstance(prepared[n], list)]
        self.strings = [i for i, n in enumerate(self.fields) if n in _SHARED_STRINGS]

    def add(self, prepared):
        if self.fields is None:
            self._layout(prepared)
        shared, position = self.shared, len(self.rows)
        prepared["description"] = ""
        values = [prepared[name] for name in self.fields]
        for i in self.lists:
            value = tuple(values[i])
            values[i] = shared.setdefault(value, value)
        for i in self.strings:
            values[i] = shared.setdefault(values[i], values[i])
        self.rows.append(tuple(values))
        self.refs.append(prepared["ref"])
        grams = self.grams.get(prepared["title"])
        if grams is None:  # titles repeat
            grams = frozenset(bigrams(prepared["title"]))
            grams = self.grams[prepared["title"]] = shared.setdefault(grams, grams)
        self.titles.append(grams)
        self.by_title.setdefault(grams, set()).add(position)
        if _open(prepared):
            self.open.append(position)
        if prepared["offer_type"] == "volunteer":
            self.volunteers.append(position)
            _add(self.volunteer["form"], prepared["forms"], position)
            _add(self.volunteer["cell"], prepared["service_cells"], position)
            _add(self.volunteer["area"], prepared["home_area"], position)
        else:
            _add(self.others["category"], prepared["categories"], position)
            _add(self.others["form"], prepared["forms"], position)
            _add(self.others["area"], prepared["jurisdictions"], position)

    def snapshot(self, token):
        return Snapshot(
            token=token,
            fields=self.fields or (),
            rows=tuple(self.rows),
            refs=tuple(self.refs),
            title_grams=tuple(self.titles),
            by_title_grams={grams: frozenset(group) for grams, group in self.by_title.items()},
            open=frozenset(self.open),
            others_by_category=_frozen(self.others["category"]),
            others_by_form=_frozen(self.others["form"]),
            others_by_area=_frozen(self.others["area"]),
            volunteers=frozenset(self.volunteers),
            volunteers_by_form=_frozen(self.volunteer["form"]),
            volunteers_by_cell=_frozen(self.volunteer["cell"]),
            volunteers_by_home_area=_frozen(self.volunteer["area"]),
        )


# Strings many documents repeat (shared); refs and primary keys are unique.
_SHARED_STRINGS = frozenset({"offer_type", "organization_id", "title"})


def _open(doc):
    """Passes the checks that read the document alone (none reads the need
    or the day: a check that does must not be listed here)."""
    return not (
        check_active(None, doc, None)
        or check_capacity(None, doc, None)
        or check_availability(None, doc, None)
    )


def _add(by_code, codes, position):
    for code in codes:
        by_code.setdefault(code, set()).add(position)


def _frozen(by_code):
    """Sets per code; a code few offers carry (a street, a service cell where
    volunteers are sparse) as a sorted tuple: a frozenset costs 216 bytes
    before its first member."""
    return {
        code: tuple(sorted(positions)) if len(positions) <= _AS_TUPLE else frozenset(positions)
        for code, positions in by_code.items()
    }


_AS_TUPLE = 8
