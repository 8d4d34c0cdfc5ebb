"""Identifiers made of digits and ASCII: ID numbers, phones, cards, e-mail, WeChat, QQ.

Every detector takes the *folded* text (see ``normalize.fold``) and yields
``Finding``s whose offsets are valid in the original text too.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from stdnum import luhn
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from .spans import BANK_CARD, EMAIL, ID_NUMBER, PHONE, QQ, WECHAT, Finding
from .vocabulary import ID_PROVINCES

# A "digit chain": digit groups joined by spaces, dashes or a dot, as people
# write 2201 0419 8503 1223 4X, 139-1234-5678 or 139.0431.2208; an ID number
# may end in X.
_CHAIN = re.compile(r"(?<!\d)\d+(?:(?:[ \-]{1,2}|\.)\d+)*(?:[Xx](?![A-Za-z0-9]))?")
_GROUP = re.compile(r"\d+[Xx]?")
# A disability certificate number is the ID number plus two digits (20).
_LONGEST_NUMBER = 20
# Mobile 11, +86 mobile 13, 0086 mobile or old ID 15, cards 13-19, ID 18, 20.
_CANDIDATE_LENGTHS = frozenset({11, *range(13, 21)})

# Keywords that, shortly before a number, say what it is. They decide between
# readings (an 18-digit number can pass both the ID and the Luhn check) and
# let a mistyped number that fails its checksum still be removed.
_CARD_WORDS = re.compile(r"卡|账号|帐号|账户|帐户|存折|银行")
_ID_WORDS = re.compile(r"身份证|证件号|身份号|公民身份|证号|ID", re.IGNORECASE)
_CONTEXT_CHARS = 12

_MOBILE = re.compile(r"1[3-9]\d{9}")
_COUNTRY_PREFIX = re.compile(r"(?<!\d)(?:\((?:\+|00)?86\)|(?:\+|00)86)[ \-]?$")

_LANDLINE = re.compile(
    r"""
    (?<![\d+])
    (?: \(\ ?0\d{2,3}\ ?\)                 # (0431)
      | (?:\+|00)86[ \-]?\(?\d{2,3}\)?     # +86 431, the trunk 0 dropped
      | 0\d{2,3}                           # 0431
    )
    [ \-]{0,2}
    [2-9]\d{2,3}[ \-]?\d{4}                # local number, 7 or 8 digits
    (?:[ \-]{0,2}(?:转|分机|ext\.?|-)[ \-]{0,2}\d{1,5})?   # extension
    (?!\d)
    """,
    re.VERBOSE | re.IGNORECASE,
)
# A local number without area code is only a phone when a keyword says so.
_LOCAL_LANDLINE = re.compile(
    r"(?:电话|座机|固话|宅电|家电|tel)(?:号码)?[ :()]{0,4}(?:是|为)?[ :]*"
    r"(?P<number>(?<!\d)[2-9]\d{2,3}[ \-]?\d{4}(?:[ \-]{0,2}(?:转|分机|-)[ \-]{0,2}\d{1,5})?)"
    r"(?!\d)",
    re.IGNORECASE,
)
# The lookbehind lets the local part start once, not at each of its letters.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
# WeChat ids are 6-20 characters starting with a letter; many people use
# their phone or QQ number instead, so digits are accepted after the keyword.
_WECHAT = re.compile(
    r"(?:(?<![A-Za-z])(?:wechat|weixin|wx|vx)(?![A-Za-z0-9_])|微信|薇信|威信|V信)"
    r"[ :]*(?:号码|号|id)?[ :]*(?:是|为)?[ :]*"
    r"(?P<id>[A-Za-z][A-Za-z0-9_\-]{5,19}|\+?\d(?:[ \-]?\d){4,15}(?![元块万]))"
    r"(?![A-Za-z0-9_\-])",
    re.IGNORECASE,
)
_WXID = re.compile(r"(?<![A-Za-z0-9_])wxid_[A-Za-z0-9_\-]{4,30}(?![A-Za-z0-9_\-])", re.IGNORECASE)
_QQ = re.compile(
    r"(?:(?<![A-Za-z])qq(?![A-Za-z])|扣扣)[ :]*(?:号码|号)?[ :]*(?:是|为)?[ :]*"
    r"(?P<number>[1-9](?:[ \-]?\d){4,10})(?![\d元块万])",
    re.IGNORECASE,
)


def find_numbers(folded: str) -> Iterator[Finding]:
    """Every digit- and ASCII-based identifier in ``folded``."""
    yield from _chain_findings(folded)
    yield from _landlines(folded)
    yield from _keyword_findings(folded)


# --- ID numbers, mobiles, bank cards: classified by their digits ------------


def _chain_findings(folded: str) -> Iterator[Finding]:
    for chain in _CHAIN.finditer(folded):
        groups = [
            (chain.start() + g.start(), chain.start() + g.end(), g.group())
            for g in _GROUP.finditer(chain.group())
        ]
        # Any run of consecutive groups may be one number: a chain can hold an
        # ID number and, after a space, a phone number. Nobody starts writing
        # a number with a lone digit, which keeps long tables of digits cheap.
        for first in range(len(groups)):
            if len(groups[first][2]) < 2:
                continue
            digits = ""
            for last in range(first, len(groups)):
                digits += groups[last][2]
                if len(digits) > _LONGEST_NUMBER:
                    break
                if len(digits) not in _CANDIDATE_LENGTHS:
                    continue
                start, end = groups[first][0], groups[last][1]
                kind = _classify(digits.upper(), folded[max(0, start - _CONTEXT_CHARS) : start])
                if kind == PHONE:
                    start = _phone_start(folded, start, digits)
                if kind:
                    yield Finding(kind, start, end)


def _classify(digits: str, before: str) -> str | None:
    """What a compact run of digits is, given the text just before it."""
    if digits[-1] == "X" and len(digits) != 18:
        return None
    if _is_mobile(digits):
        # 86 + a mobile number is 13 digits and may happen to pass Luhn.
        return PHONE
    says_card = bool(_CARD_WORDS.search(before))
    says_id = bool(_ID_WORDS.search(before))
    is_id = _is_resident_id(digits) or (says_id and _looks_like_resident_id(digits))
    is_card = 13 <= len(digits) <= 19 and digits.isdigit() and (luhn.is_valid(digits) or says_card)
    if is_id and is_card:
        return BANK_CARD if says_card and not says_id else ID_NUMBER
    if is_id:
        return ID_NUMBER
    if is_card:
        return BANK_CARD
    return None


def _is_resident_id(digits: str) -> bool:
    if len(digits) == 20:
        # 残疾人证号: the holder's ID number followed by category and grade.
        return digits[18:].isdigit() and _is_resident_id(digits[:18])
    if len(digits) == 15:
        return _is_old_resident_id(digits)
    if len(digits) != 18 or digits[:2] not in ID_PROVINCES or not digits[:17].isdigit():
        return False
    try:
        ric.get_birth_date(digits)
    except ValidationError:
        return False
    # Checksum and birth date only: the place-of-birth table in stdnum lags
    # behind re-zoned districts, and a missed ID number is the worse error.
    return ric.calc_check_digit(digits) == digits[17]


def _is_old_resident_id(digits: str) -> bool:
    """15-digit first-generation number: place (6), YYMMDD (6), sequence (3)."""
    if not digits.isdigit() or digits[:2] not in ID_PROVINCES:
        return False
    return _is_date("19" + digits[6:12])


def _looks_like_resident_id(digits: str) -> bool:
    """An 18-character number with a plausible birth date, checksum ignored."""
    return (
        len(digits) == 18
        and digits[:17].isdigit()
        and digits[:2] in ID_PROVINCES
        and _is_date(digits[6:14])
    )


def _is_date(yyyymmdd: str) -> bool:
    try:
        datetime.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return True


def _is_mobile(digits: str) -> bool:
    for prefix in ("0086", "86", ""):
        if digits.startswith(prefix) and _MOBILE.fullmatch(digits[len(prefix) :]):
            return True
    return False


def _phone_start(folded: str, start: int, digits: str) -> int:
    """Widen a mobile number's span over a country prefix written before it."""
    if digits.startswith(("86", "0086")):
        return start - 1 if start and folded[start - 1] == "+" else start
    prefix = _COUNTRY_PREFIX.search(folded, max(0, start - 8), start)
    return prefix.start() if prefix else start


# --- landlines ---------------------------------------------------------------


def _landlines(folded: str) -> Iterator[Finding]:
    for match in _LANDLINE.finditer(folded):
        yield Finding(PHONE, match.start(), match.end())
    for match in _LOCAL_LANDLINE.finditer(folded):
        yield Finding(PHONE, match.start("number"), match.end("number"))


# --- e-mail, WeChat, QQ --------------------------------------------------------


def _keyword_findings(folded: str) -> Iterator[Finding]:
    for match in _EMAIL.finditer(folded):
        yield Finding(EMAIL, match.start(), match.end())
    for match in _WECHAT.finditer(folded):
        yield Finding(WECHAT, match.start("id"), match.end("id"))
    for match in _WXID.finditer(folded):
        yield Finding(WECHAT, match.start(), match.end())
    for match in _QQ.finditer(folded):
        yield Finding(QQ, match.start("number"), match.end("number"))
