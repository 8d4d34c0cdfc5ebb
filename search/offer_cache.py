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
    # Each document as a tuple of its values in ``fields`` order (a dict per
    # offer took three times the memory), made a dict again when read.
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
        walk order, as search.matcher._closest's stable sort leaves ties):
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
    docs, cells, interned = [], [], {}
    for source in registry.spec(INDEX).sources:
        for row in source.queryset().iterator(chunk_size=2000):
            prepared = source.prepare(row)
            cells.append(prepared["service_cells"])
            docs.append(_kept(prepared, interned))
    return _indexed(token, docs, cells, interned)


def _kept(prepared, interned):
    """The fields the matcher reads; lists as tuples, and equal tuples and
    strings shared between documents."""
    doc = {}
    for name, value in prepared.items():
        if name in _NOT_KEPT:
            continue
        if isinstance(value, list):
            value = tuple(value)
        if isinstance(value, tuple | str):
            value = interned.setdefault(value, value)
        doc[name] = value
    doc["description"] = ""
    return doc


def _indexed(token, docs, cells, interned):
    others = {"category": {}, "form": {}, "area": {}}
    volunteers = {"form": {}, "cell": {}, "area": {}}
    titles, by_title = [], {}
    for position, doc in enumerate(docs):
        grams = frozenset(bigrams(doc["title"]))
        titles.append(interned.setdefault(grams, grams))
        by_title.setdefault(titles[-1], set()).add(position)
        if doc["offer_type"] == "volunteer":
            _add(volunteers["form"], doc["forms"], position)
            _add(volunteers["cell"], cells[position], position)
            _add(volunteers["area"], doc["home_area"], position)
        else:
            _add(others["category"], doc["categories"], position)
            _add(others["form"], doc["forms"], position)
            _add(others["area"], doc["jurisdictions"], position)
    fields = tuple(docs[0]) if docs else ()
    return Snapshot(
        token=token,
        fields=fields,
        rows=tuple(tuple(doc[name] for name in fields) for doc in docs),
        refs=tuple(doc["ref"] for doc in docs),
        title_grams=tuple(titles),
        by_title_grams={grams: frozenset(group) for grams, group in by_title.items()},
        open=frozenset(p for p, doc in enumerate(docs) if _open(doc)),
        others_by_category=_frozen(others["category"]),
        others_by_form=_frozen(others["form"]),
        others_by_area=_frozen(others["area"]),
        volunteers=frozenset(p for p, d in enumerate(docs) if d["offer_type"] == "volunteer"),
        volunteers_by_form=_frozen(volunteers["form"]),
        volunteers_by_cell=_frozen(volunteers["cell"]),
        volunteers_by_home_area=_frozen(volunteers["area"]),
    )


def _open(doc):
    return not any(
        check(None, doc, None) for check in (check_active, check_capacity, check_availability)
    )


def _add(by_code, codes, position):
    for code in codes:
        by_code.setdefault(code, set()).add(position)


def _frozen(by_code):
    """Sets per code; a few positions as a sorted tuple (a service cell holds
    one to a handful of volunteers, and an empty frozenset alone is 216 bytes)."""
    return {
        code: tuple(sorted(positions)) if len(positions) <= _AS_TUPLE else frozenset(positions)
        for code, positions in by_code.items()
    }


_AS_TUPLE = 8
