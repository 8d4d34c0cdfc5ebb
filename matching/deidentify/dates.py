"""Dates of birth and exact ages, replaced by a band rather than a token.

A birth date is a date with a birth cue next to it (出生于…, …生, 出生日期：…):
the same date without a cue is an ordinary date (2026年11月3日到街道申请)
and stays. Ages are exact when written as a number of years (75岁, 45周岁,
七十五岁); thresholds (60岁以上, 年满60周岁) and approximations (七十多岁,
40岁左右) stay.

The replacement keeps what publication allows of the quasi-identifier: the
decade of birth (1960年代), the decade of age (七十多岁).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from .spans import AGE, BIRTH_DATE, Finding

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_CN_DIGIT.update({"七": 7, "八": 8, "九": 9})
_CN_NUMBER = "[零〇一二两三四五六七八九十]{1,3}"
_MONTH = f"(?:[0-9]{{1,2}}|{_CN_NUMBER})"
_DAY = f"(?:[0-9]{{1,2}}|{_CN_NUMBER})"

_DATE = re.compile(
    rf"""
    (?<![0-9])
    (?:
        (?P<year>(?:19|20)[0-9]{{2}}|[0-9]{{2}})\ ?年\ ?
            (?:{_MONTH}\ ?月(?:\ ?{_DAY}\ ?[日号])?)?
      | (?P<year2>(?:19|20)[0-9]{{2}})\ ?[./\-]\ ?[0-9]{{1,2}}(?:\ ?[./\-]\ ?[0-9]{{1,2}})?
        (?![0-9./\-])
      | (?P<year3>(?:19|20)[0-9]{{2}})(?:0[1-9]|1[0-2])(?:[0-2][0-9]|3[01])(?![0-9])
    )
    """,
    re.VERBOSE,
)
# A cue right before (出生于, 出生日期：, 生于, 生日) or right after (出生, 生人, …生).
_CUE_BEFORE = re.compile(
    r"(?:出生|生于|生日|生辰|出生日期|出生年月日?|DOB|born)[于在是为:： ]{0,3}$"
)
_CUE_AFTER = re.compile(r"^ ?(?:出生|出世|生人|生日|生(?![病活产育气意存命效长成态物理前]))")
_CUE_WINDOW = 10

_AGE = re.compile(
    rf"(?<![0-9满过于到至])(?P<number>[0-9]{{1,3}}|{_CN_NUMBER})(?:周岁|岁)"
    r"(?!以上|以下|以内|及以上|及以下|以前|之前|左右|上下|月|多|半|前|后|起|至|到|-|~|—|或)"
)


def find_birth_dates(text: str) -> Iterator[tuple[Finding, str]]:
    """Dates with a birth cue, each with its replacement (the decade of birth)."""
    for match in _DATE.finditer(text):
        before = text[max(0, match.start() - _CUE_WINDOW) : match.start()]
        after = text[match.end() : match.end() + 4]
        if not (_CUE_BEFORE.search(before) or _CUE_AFTER.match(after)):
            continue
        if match.group("year") and not (match.group().count("月") or _CUE_AFTER.match(after)):
            continue  # a bare year is kept unless written as 1968年生
        year = int(match.group("year") or match.group("year2") or match.group("year3"))
        if year < 100:
            this_year = datetime.date.today().year
            year += 2000 if year <= this_year % 100 else 1900
        yield Finding(BIRTH_DATE, match.start(), match.end()), f"{year // 10 * 10}年代"


def find_ages(text: str) -> Iterator[tuple[Finding, str]]:
    """Exact ages, each with its replacement (七十多岁)."""
    for match in _AGE.finditer(text):
        age = chinese_number(match.group("number"))
        if age is None or age > 120:
            continue
        yield Finding(AGE, match.start(), match.end()), age_phrase(age)


def age_phrase(age: int) -> str:
    """The decade an age falls in, in words: 75 -> 七十多岁."""
    if age < 10:
        return "不到十岁"
    if age < 20:
        return "十几岁"
    if age >= 100:
        return "百岁以上"
    tens = "零一二三四五六七八九"[age // 10]
    return f"{tens}十多岁"


def chinese_number(number: str) -> int | None:
    """75, 七十五, 七五, 十五 -> int; None when it is not a number."""
    if number.isdigit():
        return int(number)
    if "十" not in number:
        digits = [_CN_DIGIT.get(ch) for ch in number]
        return None if None in digits else int("".join(map(str, digits)))
    tens, _, ones = number.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    tens_value = _CN_DIGIT.get(tens) if tens else 1
    ones_value = _CN_DIGIT.get(ones) if ones else 0
    if tens_value is None or ones_value is None:
        return None
    return tens_value * 10 + ones_value
