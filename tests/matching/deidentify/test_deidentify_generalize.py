"""Quasi-identifier generalizers."""

import datetime

import pytest

from matching.deidentify import (
    age_band,
    household_size_band,
    month_of,
    widen_age_band,
    widen_household_size_band,
)


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (0, "0-5"),
        (5, "0-5"),
        (6, "6-11"),
        (11, "6-11"),
        (12, "12-17"),
        (17, "12-17"),
        (18, "18-29"),
        (29, "18-29"),
        (30, "30-44"),
        (44, "30-44"),
        (45, "45-59"),
        (59, "45-59"),
        (60, "60-69"),
        (69, "60-69"),
        (70, "70-79"),
        (79, "70-79"),
        (80, "80+"),
        (104, "80+"),
    ],
)
def test_age_band_edges(age, band):
    assert age_band(age) == band


@pytest.mark.parametrize("age", [-1, 2.5, "30", True, None])
def test_age_band_rejects_what_is_not_an_age(age):
    with pytest.raises((TypeError, ValueError)):
        age_band(age)


def test_wide_age_bands_contain_the_narrow_ones():
    assert [widen_age_band(age_band(a)) for a in (3, 17, 18, 59, 60, 95)] == [
        "0-17",
        "0-17",
        "18-59",
        "18-59",
        "60+",
        "60+",
    ]
    assert widen_age_band("60+") == "60+"


@pytest.mark.parametrize(
    ("size", "band"), [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5+"), (11, "5+")]
)
def test_household_size_band(size, band):
    assert household_size_band(size) == band


@pytest.mark.parametrize("size", [0, -2, 1.0, False])
def test_household_size_band_rejects_impossible_sizes(size):
    with pytest.raises((TypeError, ValueError)):
        household_size_band(size)


def test_wide_household_size_bands():
    assert [widen_household_size_band(b) for b in ("1", "2", "3", "4", "5+")] == [
        "1",
        "2-3",
        "2-3",
        "4+",
        "4+",
    ]


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2026, 11, 3),
        datetime.datetime(2026, 11, 30, 23, 59),
        "2026-11-03",
        "2026-11-03T08:00:00+08:00",
    ],
)
def test_month_of(value):
    assert month_of(value) == "2026-11"


def test_month_of_rejects_non_dates():
    with pytest.raises(TypeError):
        month_of(20261103)
