"""Deadline arithmetic: working days on China's official calendar, or clock hours.

A working-day deadline ends at 24:00 (local time) of the Nth working day
after the day the clock starts; the starting day itself is not counted, as
in Chinese administrative practice. Working days follow the State Council's
holiday schedule, including weekend make-up working days (调休), through the
``holidays`` library. An hour deadline runs round the clock.
"""

from datetime import datetime, time, timedelta
from functools import cache

import holidays
from django.utils import timezone

from matching.core.vocabulary import Urgency

from .models import DeadlineRule

# Used when staff have configured nothing for a key.
DEFAULT_RULES = {
    (DeadlineRule.Purpose.REFERRAL, Urgency.NORMAL): (5, DeadlineRule.Unit.WORKING_DAYS),
    (DeadlineRule.Purpose.REFERRAL, Urgency.EMERGENCY): (24, DeadlineRule.Unit.HOURS),
    (DeadlineRule.Purpose.FIRST_RESPONSE, Urgency.NORMAL): (3, DeadlineRule.Unit.WORKING_DAYS),
    (DeadlineRule.Purpose.FIRST_RESPONSE, Urgency.EMERGENCY): (24, DeadlineRule.Unit.HOURS),
    (DeadlineRule.Purpose.TRIAGE, Urgency.NORMAL): (2, DeadlineRule.Unit.WORKING_DAYS),
    (DeadlineRule.Purpose.TRIAGE, Urgency.EMERGENCY): (12, DeadlineRule.Unit.HOURS),
}


@cache
def _china_calendar(year):
    return holidays.China(years=year)


def is_working_day(day):
    return _china_calendar(day.year).is_working_day(day)


def add_working_days(start, days):
    """The end of the ``days``-th working day after ``start`` (an aware datetime)."""
    day = timezone.localtime(start).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
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
