"""Normalisation used for detection, with a map back to the original text.

Case texts arrive typed on phones and office PCs, read aloud into a hotline
note or scanned: full-width digits (１３９…), full-width X in ID numbers,
ideographic spaces, half a dozen dash characters, numbers read out in
Chinese numerals (幺五八…, 一九六八年), pinyin with tone marks, and digit
runs split by OCR spacing or a line break. Detection runs on a normalised
copy of the text; ``Normalized.span`` maps a span of that copy back onto
the original, so what is published is always the original text with spans
replaced.

Two stages:

* ``fold`` maps one character to exactly one character (full-width ASCII,
  dashes, spaces, tone-marked vowels; Chinese digit numerals inside a run
  of four or more digits), so offsets are unchanged;
* ``normalize`` then drops the whitespace that splits a digit run (a line
  break, or OCR spacing between single digits) and keeps, for every
  character of the result, where it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Full-width ASCII block U+FF01..U+FF5E maps onto U+0021..U+007E.
_FULL_WIDTH_OFFSET = 0xFF01 - 0x21
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc"
_SPACES = "\u3000\u00a0\u2002\u2003\u2009\u200a\u202f\t"
# Pinyin written with tone marks (Qín Chūnjuān): the bare letter, ü as v
# (the spelling pypinyin and keyboards use).
_TONED = {
    "a": "āáǎà",
    "e": "ēéěè",
    "i": "īíǐì",
    "o": "ōóǒò",
    "u": "ūúǔù",
    "v": "üǖǘǚǜ",
    "A": "ĀÁǍÀ",
    "E": "ĒÉĚÈ",
    "I": "ĪÍǏÌ",
    "O": "ŌÓǑÒ",
    "U": "ŪÚǓÙ",
    "V": "ÜǕǗǙǛ",
}

_FOLD = {code: code - _FULL_WIDTH_OFFSET for code in range(0xFF01, 0xFF5F)}
_FOLD.update({ord(ch): "-" for ch in _DASHES})
_FOLD.update({ord(ch): " " for ch in _SPACES})
_FOLD.update({ord(toned): bare for bare, marks in _TONED.items() for toned in marks})

# Chinese numerals read digit by digit (a phone read out, 幺 for 1 on the
# phone, 两 for 2; 〇/○ and 零 for 0).
CHINESE_DIGITS = {
    "零": "0",
    "〇": "0",
    "○": "0",
    "洞": "0",
    "一": "1",
    "幺": "1",
    "二": "2",
    "两": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}
_DIGITISH = "0-9零〇○一幺二两三四五六七八九"
# A run of four or more digit characters, optionally grouped by one space or
# dash, with at least one Chinese numeral in it. Shorter runs are words
# (一一, 三四个, 两三天); 洞 is only a digit inside a run that has others.
_NUMERAL_RUN = re.compile(f"[{_DIGITISH}洞](?:[ \\-]?[{_DIGITISH}洞]){{3,}}")
_HAN_NUMERAL = re.compile("[零〇○洞一幺二两三四五六七八九]")

# Whitespace that splits a digit run: a line break (with any spaces around
# it) anywhere, or OCR spacing between digits written one by one.
_LINE_BREAK_IN_DIGITS = re.compile(r"(?<=[0-9])[ \t]*(?:\r\n|\r|\n)[ \t]*(?=[0-9Xx])")
_SPACED_DIGITS = re.compile(r"(?<![0-9])[0-9](?: [0-9]+)+(?![0-9])")
_MIN_SINGLE_DIGIT_GROUPS = 3


def fold(text: str) -> str:
    """``text`` with full-width ASCII, dashes, spaces, tone marks and digit numerals folded.

    Same length as ``text``: every character maps to exactly one character.
    """
    folded = text.translate(_FOLD)
    return _NUMERAL_RUN.sub(_digits_of_run, folded)


def _digits_of_run(match: re.Match) -> str:
    run = match.group()
    if not _HAN_NUMERAL.search(run) or set(run) <= {"两", "洞", " ", "-"}:
        return run
    return "".join(CHINESE_DIGITS.get(ch, ch) for ch in run)


@dataclass(frozen=True)
class Normalized:
    """The normalised text and, per character, the original span it came from."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised span ``[start, end)``."""
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> Normalized:
    """Fold ``text`` and join digit runs split by line breaks or OCR spacing."""
    folded = fold(text)
    dropped = set()
    for match in _LINE_BREAK_IN_DIGITS.finditer(folded):
        dropped.update(range(match.start(), match.end()))
    for match in _SPACED_DIGITS.finditer(folded):
        groups = match.group().split(" ")
        if sum(len(group) == 1 for group in groups) >= _MIN_SINGLE_DIGIT_GROUPS:
            dropped.update(i for i in range(match.start(), match.end()) if folded[i] == " ")
    if not dropped:
        positions = range(len(text))
        return Normalized(folded, tuple(positions), tuple(i + 1 for i in positions))
    kept = [i for i in range(len(folded)) if i not in dropped]
    return Normalized("".join(folded[i] for i in kept), tuple(kept), tuple(i + 1 for i in kept))
