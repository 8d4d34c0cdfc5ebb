"""Personal names: the household's known names and the ways case texts refer to them.

Case workers write 张秀兰, then 张某 or 张某某, then 秀兰, 老张, 张阿姨.
Starting from the names the case file knows, every such variant is found.
A single-character given name alone (明 of 李明) is not searched for: it is
an ordinary character and would redact half the text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .kinship import is_common_word
from .spans import NAME, Finding
from .vocabulary import COMMON_SURNAMES, COMPOUND_SURNAMES, HONORIFICS, alternation

_HONORIFICS = alternation(HONORIFICS)
_HAN_NAME = re.compile("[\u4e00-\u9fff·•・]+")
_MIDDLE_DOT = re.compile("[·•・]")


@dataclass(frozen=True)
class PersonName:
    full: str
    surname: str
    given: str


def split_name(name: str) -> PersonName:
    """Separate surname and given name, honouring compound surnames."""
    name = re.sub(r"\s+", "", name)
    for length in (4, 2):
        if len(name) > length and name[:length] in COMPOUND_SURNAMES:
            return PersonName(name, name[:length], name[length:])
    return PersonName(name, name[:1], name[1:])


def find_names(text: str, names: Iterable[str]) -> Iterator[Finding]:
    """Every mention of the given names and their variants in ``text``."""
    surnames = set()
    for name in names:
        name = name.strip() if name else ""
        if not _HAN_NAME.fullmatch(name):
            # A transliterated or foreign name: only as written, spaces optional.
            yield from _literal(text, name)
            continue
        parts = _MIDDLE_DOT.split(name)
        if len(parts) > 1:
            # 买买提·艾力: the whole name and each part of two or more characters.
            for part in [name, *parts]:
                if len(part) >= 2:
                    yield from _literal(text, part)
            continue
        person = split_name(name)
        yield from _pinyin(text, person)
        yield from _literal(text, person.full)
        if len(person.given) >= 2:  # a one-character given name is an ordinary character
            yield from _literal(text, person.given)
        surnames.add(person.surname)
    for surname in sorted(surnames):
        yield from _surname_variants(text, surname)


# 张某 written by a case worker who already pseudonymised the name still keeps
# the surname. Without a listed name, only a surname standing at the start of
# a clause counts, so that 由于某种原因 is not read as 于某.
_PSEUDONYM = re.compile(
    "(?:(?<=^)|(?<=[^\u4e00-\u9fff]))[" + "".join(sorted(COMMON_SURNAMES)) + "]某{1,2}"
    "(?![种些个天处地位日年月次项单])"
)


def find_pseudonyms(text: str) -> Iterator[Finding]:
    """Surname + 某 at the start of a clause (张某，男，43岁), listed or not."""
    for match in _PSEUDONYM.finditer(text):
        yield Finding(NAME, match.start(), match.end())


_LATIN_WORD = re.compile("[A-Za-z]+")
# What may stand between the syllables of a name written in pinyin.
_PINYIN_GAPS = frozenset({"", " ", "-", "'", ",", ", "})
_MAX_PINYIN_WORDS = 4


@lru_cache(maxsize=4096)
def _spellings(surname: str, given: str) -> frozenset[str]:
    """Every pinyin spelling of the name, lower case and joined: surname first and last.

    Each character contributes all its readings (heteronyms: 单 dan/shan/chan),
    ü as v, u or yu; tone marks are folded away before detection
    (normalize.py), so Qín Chūnjuān is found as Qin Chunjuan.
    """
    from pypinyin import Style, pinyin

    def spelled(characters: str) -> list[str]:
        options = []
        for readings in pinyin(characters, style=Style.NORMAL, heteronym=True):
            forms = []
            for reading in readings:
                forms += [reading, reading.replace("v", "u"), reading.replace("v", "yu")]
            options.append(list(dict.fromkeys(forms)))
        return ["".join(parts) for parts in itertools.product(*options)]

    surnames, givens = spelled(surname), spelled(given)
    return frozenset(spelling for s in surnames for g in givens for spelling in (s + g, g + s))


def _pinyin(text: str, person: PersonName) -> Iterator[Finding]:
    """The name in pinyin: Qin Chunjuan, sun shuru, QinChunjuan, Chunjuan Qin, QIN Chunjuan."""
    if not person.given:
        return
    words = [(m.start(), m.end(), m.group().lower()) for m in _LATIN_WORD.finditer(text)]
    if not words:
        return
    spellings = _spellings(person.surname, person.given)
    longest = max(map(len, spellings))
    for first in range(len(words)):
        joined = ""
        for last in range(first, min(first + _MAX_PINYIN_WORDS, len(words))):
            if last > first and text[words[last - 1][1] : words[last][0]] not in _PINYIN_GAPS:
                break
            joined += words[last][2]
            if len(joined) > longest:
                break
            if joined in spellings:
                yield Finding(NAME, words[first][0], words[last][1])


def _literal(text: str, needle: str) -> Iterator[Finding]:
    """``needle`` wherever it occurs, tolerating spaces between its characters."""
    needle = re.sub(r"\s+", "", needle)
    if not needle:
        return
    for match in _spaced(needle).finditer(text):
        yield Finding(NAME, match.start(), match.end())


# Patterns per name are compiled once per process: the same household's names
# come back with every text of its case (title, story, preview, updates).
@lru_cache(maxsize=4096)
def _spaced(needle: str) -> re.Pattern:
    return re.compile(" *".join(map(re.escape, needle)))


@lru_cache(maxsize=4096)
def _surname_patterns(surname: str) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    escaped = re.escape(surname)
    return (
        re.compile(escaped + "某{1,2}"),
        re.compile(f"[老小]{escaped}"),
        re.compile(f"(?:(?<=姓){escaped}|{escaped}(?={_HONORIFICS}))"),
    )


def _surname_variants(text: str, surname: str) -> Iterator[Finding]:
    # 张某 / 张某某: the surname is still an identifier next to a street name.
    # 老张 / 小张: how neighbours and case workers refer to an adult.
    # 张阿姨 / 姓张: only the surname is removed, the word of address stays.
    for index, pattern in enumerate(_surname_patterns(surname)):
        for match in pattern.finditer(text):
            if index == 1 and _inside_word(text, match.start(), match.end()):
                continue  # 养老金 is not 老金
            yield Finding(NAME, match.start(), match.end())


def _inside_word(text: str, start: int, end: int) -> bool:
    """True when 老张/小张 is the end or start of a longer dictionary word (养老金)."""
    before = text[start - 1 : end] if start else ""
    after = text[start : end + 1] if end < len(text) else ""
    return is_common_word(before) or is_common_word(after)
