"""Periods and percentiles: pure functions, no database."""

import datetime as dt
import statistics
from decimal import Decimal

import pytest

from matching.supervision.forms import local_midnight, month_bounds, period_label
from matching.supervision.selectors import Durations, percentile


@pytest.mark.parametrize(
    ("text", "first", "following"),
    [
        ("2026-10", dt.date(2026, 10, 1), dt.date(2026, 11, 1)),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
        ("2028-02", dt.date(2028, 2, 1), dt.date(2028, 3, 1)),
    ],
)
def test_a_month_is_its_first_day_to_the_next_months(text, first, following):
    assert month_bounds(text) == (first, following)
    assert period_label(first, following) == f"{first.year}年{first.month}月"


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "10/2026", "", "2026-00"])
def test_a_malformed_month_is_refused(text):
    with pytest.raises(ValueError):
        month_bounds(text)


def test_periods_start_at_beijing_midnight():
    start = local_midnight(dt.date(2026, 10, 1))
    assert start.utcoffset() == dt.timedelta(hours=8)
    assert start.astimezone(dt.UTC) == dt.datetime(2026, 9, 30, 16, 0, tzinfo=dt.UTC)
    assert period_label(dt.date(2026, 10, 3), dt.date(2026, 10, 10)) == "2026-10-03 至 2026-10-09"


@pytest.mark.parametrize(
    "seconds", [[7200], [3600, 7200], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100], [50, 10, 40, 20, 30]]
)
def test_percentiles_interpolate_like_statistics_inclusive(seconds):
    ordered = sorted(Decimal(s) for s in seconds)
    if len(ordered) > 1:
        expected = statistics.quantiles(ordered, n=10, method="inclusive")[8]
    else:
        expected = ordered[0]
    assert percentile(seconds, Decimal("0.9")) == expected
    assert percentile(seconds, Decimal("0.5")) == statistics.median(ordered)


def test_durations_are_hours_with_one_decimal_and_none_when_empty():
    assert Durations.of([]) == Durations(count=0, median_hours=None, p90_hours=None)
    durations = Durations.of([5400, 9000])  # 1.5 h and 2.5 h
    assert durations.median_hours == Decimal("2.0")
    assert durations.p90_hours == Decimal("2.4")
