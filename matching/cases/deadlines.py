"""Deadline arithmetic: working days on China's official calendar, or clock hours.

A working-day deadline ends at 24:00 (local time) of the Nth working day
after the day the clock starts; the starting day itself is not counted, as
in Chinese administrative practice. Working days follow the State Council's
holiday schedule, including weekend make-up working days (调休), through the
``holidays`` library. An hour deadline runs round the clock.

The library knows the State Council's schedule only for the years it has
been published in (``PUBLISHED_THROUGH``); for a later year it estimates the
statutory holidays and knows no make-up working day. City staff enter a
year's schedule as ``HolidayOverride`` days, which win over the library, and
a deadline that runs into a year with neither is *provisional*: staff see a
warning, and entering the schedule recomputes the open deadlines
(``deadlines_recompute``).
"""

from datetime import datetime, time, timedelta
from functools import cache

import holidays
from django.utils import timezone
from holidays.countries.china import ChinaStaticHolidays

from matching.core.vocabulary import Urgency

from .models import DeadlineRule, HolidayOverride

# Used when staff have configured nothing for a key.
DEFAULT_RULES = {
    (DeadlineRule.Purpose.REFERRAL, Urgency.NORMAL): (5, DeadlineRule.Unit.WORKING_DAYS),
    (DeadlineRule.Purpose.REFERRAL, Urgency.EMERGENCY): (24, DeadlineRule.Unit.HOURS),
    (DeadlineRule.Purpose.FIRST_RESPONSE, Urgency.NORMAL): (3, DeadlineRule.Unit.WORKING_DAYS),
    (DeadlineRule.Purpose.FIRST_RESPONSE, Urgency.EMERGENCY): (24, DeadlineRule.Unit.HOURS),
    (DeadlineRule.Purpose.TRIAGE, Urgency.NORMAL): (2, DeadlineRule.Unit.WORKING_DAYS),
    (DeadlineRule.Purpose.TRIAGE, Urgency.EMERGENCY): (12, DeadlineRule.Unit.HOURS),
}


# The last year whose official schedule (with its make-up working days) the
# ``holidays`` package carries.
PUBLISHED_THROUGH = max(ChinaStaticHolidays.special_public_holidays)


@cache
def _china_calendar(year):
    return holidays.China(years=year)


def _overrides(years):
    """``{date: is a working day}`` of the staff-entered days in ``years``."""
    rows = HolidayOverride.objects.filter(date__year__in=years).values_list("date", "kind")
    return {day: kind == HolidayOverride.Kind.WORKDAY for day, kind in rows}


def is_working_day(day, overrides=None):
    overrides = _overrides([day.year]) if overrides is None else overrides
    if day in overrides:
        return overrides[day]
    return _china_calendar(day.year).is_working_day(day)


def add_working_days(start, days):
    """The end of the ``days``-th working day after ``start`` (an aware datetime)."""
    day = timezone.localtime(start).date()
    # Enough years for any deadline of this many working days.
    overrides = _overrides(range(day.year, day.year + 2 + days // 200))
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            counted += 1
    end_of_day = datetime.combine(day + timedelta(days=1), time.min)
    return timezone.make_aware(end_of_day, timezone.get_current_timezone())


def add_duration(start, amount, unit):
    if unit == DeadlineRule.Unit.HOURS:
        return start + timedelta(hours=amount)
    return add_working_days(start, amount)


def rule_for(*, purpose, urgency, category=""):
    """(amount, unit) for the most specific configured rule, else the default."""
    rules = DeadlineRule.objects.filter(purpose=purpose, urgency=urgency)
    chosen = rules.filter(category=category).first() if category else None
    chosen = chosen or rules.filter(category="").first()
    if chosen:
        return chosen.amount, chosen.unit
    return DEFAULT_RULES[(purpose, urgency)]


def deadline_for(*, purpose, urgency, start, category=""):
    amount, unit = rule_for(purpose=purpose, urgency=urgency, category=category)
    return add_duration(start, amount, unit)


def unpublished_years(start, end):
    """Years from ``start`` to ``end`` with neither the package's schedule nor staff entries."""
    first = timezone.localtime(start).year
    last = timezone.localtime(end).year
    later = [year for year in range(first, last + 1) if year > PUBLISHED_THROUGH]
    if not later:
        return []
    entered = set(
        HolidayOverride.objects.filter(date__year__in=later).values_list("date__year", flat=True)
    )
    return [year for year in later if year not in entered]


def is_provisional(start, end):
    """Whether a deadline from ``start`` to ``end`` rests on an estimated calendar."""
    return bool(unpublished_years(start, end))


def referral_due_is_provisional(referral):
    """A working-day referral deadline that rests on an estimated calendar (hours never do)."""
    _amount, unit = rule_for(
        purpose=DeadlineRule.Purpose.REFERRAL,
        urgency=referral.case.urgency,
        category=referral.category,
    )
    return unit == DeadlineRule.Unit.WORKING_DAYS and is_provisional(
        referral.referred_at, referral.due_at
    )
