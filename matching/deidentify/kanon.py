"""k-anonymity of a group of published needs.

Each record holds the quasi-identifiers a published need shows: ``district``,
``street`` (None when published at district level), ``categories``,
``age_bands``, ``size_band`` and ``statuses``. Records with identical
published values form an equivalence class; a neighbour who knows those
values about a household must find at least ``k`` candidates.

The check climbs a fixed ladder, one rung per round. In each round only the
records whose class is still smaller than ``k`` move up a rung (local
recoding), so a well-populated street keeps its street. Classes only ever
grow: a record leaves its class only when that class is too small, and then
every member of it leaves too. After the last rung, records still in a class
smaller than ``k`` are withheld from publication.

District and categories are never generalized: the district is the coarsest
location the brief allows, and the categories are the need itself.

Cost: records are grouped once by their key; each rung then touches only the
small classes, O(records + rungs × classes).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from .generalize import (
    AGE_BAND_ORDER,
    WIDE_AGE_BAND_ORDER,
    widen_age_band,
    widen_household_size_band,
)

FIELDS = ("district", "street", "categories", "age_bands", "size_band", "statuses")
DEFAULT_K = 5


def publishable(count: int, k: int = DEFAULT_K) -> bool:
    """Whether a public figure that counts ``count`` people may be shown: zero
    names nobody; one to k - 1 would point at a few households."""
    return count == 0 or count >= k


@dataclass(frozen=True)
class Step:
    """A stable machine ``code`` and the Chinese ``label`` shown to staff."""

    code: str
    label: str


@dataclass(frozen=True)
class Outcome:
    """One record after the check: what may be published, and why it changed."""

    record: Mapping  # read-only; shared by every member of the class
    steps: tuple[Step, ...]
    withheld: bool = False
    reason: Step | None = None


STREET_TO_DISTRICT = Step("street_to_district", "街道级位置合并为区县级")
AGE_BANDS_WIDENED = Step("age_bands_widened", "年龄段放宽为未成年、劳动年龄、老年三档")
SIZE_BAND_WIDENED = Step("size_band_widened", "家庭人口数放宽为1人、2-3人、4人及以上")
STATUSES_SUPPRESSED = Step("statuses_suppressed", "隐去家庭特殊身份（低保、特困、残疾等）")
SIZE_BAND_SUPPRESSED = Step("size_band_suppressed", "隐去家庭人口数")
AGE_BANDS_SUPPRESSED = Step("age_bands_suppressed", "隐去年龄段")
WITHHELD_CODE = "withheld_below_k"


# The rungs work on the record as a tuple in FIELDS order, which is also its
# equivalence-class key; every rung is idempotent.
_STREET, _AGES, _SIZE, _STATUSES = 1, 3, 4, 5


def _replace(key: tuple, position: int, value) -> tuple:
    return (*key[:position], value, *key[position + 1 :])


def _to_district(key: tuple) -> tuple:
    return _replace(key, _STREET, None)


def _widen_ages(key: tuple) -> tuple:
    if key[_AGES] is None:
        return key
    return _replace(key, _AGES, _widened_bands(key[_AGES]))


@lru_cache(maxsize=1024)  # at most 2**9 sets of the nine bands occur
def _widened_bands(bands: tuple[str, ...]) -> tuple[str, ...]:
    return _sorted_bands(widen_age_band(band) for band in bands)


def _widen_size(key: tuple) -> tuple:
    if key[_SIZE] is None:
        return key
    return _replace(key, _SIZE, widen_household_size_band(key[_SIZE]))


def _suppress(position: int) -> Callable[[tuple], tuple]:
    def suppress(key: tuple) -> tuple:
        return _replace(key, position, None)

    return suppress


# Order: the attribute that pins a household down most, and matters least to
# a donor, goes first. The street is the strongest locator; exact ages and
# household size say little to a donor; a status such as "disability" is
# useful to charities, so it is suppressed only when widening was not enough.
LADDER: tuple[tuple[Step, Callable[[tuple], tuple]], ...] = (
    (STREET_TO_DISTRICT, _to_district),
    (AGE_BANDS_WIDENED, _widen_ages),
    (SIZE_BAND_WIDENED, _widen_size),
    (STATUSES_SUPPRESSED, _suppress(_STATUSES)),
    (SIZE_BAND_SUPPRESSED, _suppress(_SIZE)),
    (AGE_BANDS_SUPPRESSED, _suppress(_AGES)),
)


def k_anonymize(records: Iterable[Mapping], k: int = DEFAULT_K) -> list[Outcome]:
    """Generalize ``records`` until every published equivalence class has ≥ ``k`` members.

    Returns one ``Outcome`` per record, in input order. Suppressed attributes
    are ``None`` in ``Outcome.record`` (a read-only mapping). Deterministic:
    the result depends only on the multiset of records, not on their order.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive whole number, got {k!r}")
    with _no_cyclic_gc():
        classes, sizes, count = _group(records)
        for step, apply in LADDER:
            # A whole class moves together: each rung runs once per small class.
            for key in [key for key, size in sizes.items() if size < k]:
                generalized = apply(key)
                if generalized != key:
                    _move(classes, sizes, key, generalized, step)
        return _outcomes(classes, sizes, count, k)


def _move(classes: dict, sizes: dict, key: tuple, generalized: tuple, step: Step) -> None:
    moved = [((*history, step), members) for history, members in classes.pop(key)]
    target = classes.get(generalized)
    if target is None:
        classes[generalized] = moved
        sizes[generalized] = sizes.pop(key)
    else:
        target.extend(moved)
        sizes[generalized] += sizes.pop(key)


def _group(records: Iterable[Mapping]) -> tuple[dict, dict, int]:
    """Classes as key → cohorts, a cohort being (history of steps, member indices)."""
    canonical = _Canonicalizer()
    members_by_key: dict[tuple, list[int]] = {}
    count = 0
    for count, record in enumerate(records, start=1):
        key = canonical.key(record)
        members = members_by_key.get(key)
        if members is None:
            members_by_key[key] = [count - 1]
        else:
            members.append(count - 1)
    classes = {key: [((), members)] for key, members in members_by_key.items()}
    sizes = {key: len(members) for key, members in members_by_key.items()}
    return classes, sizes, count


@contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector while building many small tuples.

    The run creates hundreds of thousands of tuples and lists but no reference
    cycles; collector passes over that growing heap would triple its time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _outcomes(classes: dict, sizes: dict, count: int, k: int) -> list[Outcome]:
    reason = Step(WITHHELD_CODE, f"逐级概括后同类需求仍少于{k}户，暂不公示")
    outcomes: list = [None] * count
    for key, cohorts in classes.items():
        withheld = sizes[key] < k
        # One read-only record per class is shared by its members' outcomes.
        record = MappingProxyType(dict(zip(FIELDS, key, strict=True)))
        for history, members in cohorts:
            outcome = Outcome(record, history, withheld, reason if withheld else None)
            for index in members:
                outcomes[index] = outcome
    return outcomes


def equivalence_classes(records: Iterable[Mapping]) -> Counter:
    """Size of each class of identical published quasi-identifiers."""
    canonical = _Canonicalizer()
    return Counter(canonical.key(record) for record in records)


class _Canonicalizer:
    """A record as its class key, with set-like fields as sorted tuples.

    {"medical", "housing"} and ("housing", "medical") are the same published
    value. Few distinct sets occur in practice, so each is sorted once and
    remembered.
    """

    def __init__(self):
        self._sets: dict = {}
        self._bands: dict = {}

    def key(self, record: Mapping) -> tuple:
        return (
            record["district"],
            record.get("street"),
            self._as_set(record.get("categories", ())),
            self._as_bands(record.get("age_bands", ())),
            record.get("size_band"),
            self._as_set(record.get("statuses", ())),
        )

    def _as_set(self, values):
        return self._remembered(self._sets, values, lambda v: tuple(sorted(set(v))))

    def _as_bands(self, bands):
        return self._remembered(self._bands, bands, _sorted_bands)

    @staticmethod
    def _remembered(cache: dict, values, normalize):
        if values is None:
            return None
        try:
            return cache[values]
        except KeyError:
            cache[values] = normalized = normalize(values)
        except TypeError:  # a list: not hashable, normalize it every time
            normalized = normalize(values)
        return normalized


_BAND_RANK = {**AGE_BAND_ORDER, **WIDE_AGE_BAND_ORDER}


def _sorted_bands(bands: Iterable[str]) -> tuple[str, ...]:
    unique = set(bands)
    unknown = unique - _BAND_RANK.keys()
    if unknown:
        raise ValueError(f"unknown age band(s): {sorted(unknown)}")
    return tuple(sorted(unique, key=_BAND_RANK.__getitem__))
