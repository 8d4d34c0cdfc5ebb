"""Quasi-identifier generalizers: what a published need says about age, size, time.

Age bands follow the stages the assistance schemes care about: 0-5 pre-school,
6-11 primary school, 12-17 secondary school (education assistance ends at
18), 18-29, 30-44 and 45-59 working age (employment assistance), 60-69 and
70-79 (retirement age, elderly services), 80+ (Jilin's advanced-age allowance
starts at 80). Bands are never narrower than six years, so a published band
does not give away a birth year.
"""

from __future__ import annotations

import datetime

AGE_BANDS = (
    (0, 5, "0-5"),
    (6, 11, "6-11"),
    (12, 17, "12-17"),
    (18, 29, "18-29"),
    (30, 44, "30-44"),
    (45, 59, "45-59"),
    (60, 69, "60-69"),
    (70, 79, "70-79"),
    (80, None, "80+"),
)
AGE_BAND_ORDER = {label: index for index, (_, _, label) in enumerate(AGE_BANDS)}

# The wider bands used when the k-anonymity check needs coarser ages:
# child, working age, elderly. Every narrow band falls inside exactly one.
WIDE_AGE_BANDS = {
    "0-5": "0-17",
    "6-11": "0-17",
    "12-17": "0-17",
    "18-29": "18-59",
    "30-44": "18-59",
    "45-59": "18-59",
    "60-69": "60+",
    "70-79": "60+",
    "80+": "60+",
}
WIDE_AGE_BAND_ORDER = {"0-17": 100, "18-59": 101, "60+": 102}

WIDE_HOUSEHOLD_SIZE_BANDS = {"1": "1", "2": "2-3", "3": "2-3", "4": "4+", "5+": "4+"}


def age_band(age: int) -> str:
    """The published band of an age in whole years: 37 → "30-44"."""
    _require_count(age, "age", minimum=0)
    for low, high, label in AGE_BANDS:
        if high is None or low <= age <= high:
            return label
    raise AssertionError("unreachable: the last band is open-ended")


def widen_age_band(band: str) -> str:
    """The wide band (0-17, 18-59, 60+) containing ``band``; wide bands map to themselves."""
    if band in WIDE_AGE_BAND_ORDER:
        return band
    return WIDE_AGE_BANDS[band]


def household_size_band(size: int) -> str:
    """The published size of a household: 1, 2, 3, 4 or 5+ members."""
    _require_count(size, "size", minimum=1)
    return str(size) if size < 5 else "5+"


def widen_household_size_band(band: str) -> str:
    """1, 2-3 or 4+: the size band used when 1-5+ would single a household out."""
    return WIDE_HOUSEHOLD_SIZE_BANDS.get(band, band)


def month_of(value: datetime.date | datetime.datetime | str) -> str:
    """The month a date falls in, "2026-11"; days are never published.

    An aware datetime is read in its own time zone: convert it to local time
    (Asia/Shanghai) first if it is stored in UTC.
    """
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if not isinstance(value, datetime.date):
        raise TypeError(f"month_of() needs a date, not {type(value).__name__}")
    return f"{value.year:04d}-{value.month:02d}"


def _require_count(value: int, what: str, *, minimum: int) -> None:
    # bool is an int subclass; True must not pass as an age of 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be a whole number, not {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {value}")
