"""Personal names: the household's known names and the ways case texts refer to them.

Case workers write 张秀兰, then 张某 or 张某某, then 秀兰, 老张, 张阿姨.
Starting from the names the case file knows, every such variant is found.
A single-character given name alone (明 of 李明) is not searched for: it is
an ordinary character and would redact half the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

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


def _syllables(characters: str) -> list[list[str]]:
    """Every reading of each character, as pinyin without tones (ü as v, u or yu)."""
    from pypinyin import Style, pinyin

    readings = []
    for options in pinyin(characters, style=Style.NORMAL, heteronym=True):
        spelled = []
        for option in options:
            spelled += [option, option.replace("v", "u"), option.replace("v", "yu")]
        readings.append(list(dict.fromkeys(spelled)))
    return readings


def _pinyin(text: str, person: PersonName) -> Iterator[Finding]:
    """The name in pinyin, surname first or last, with or without spaces and capitals.

    Tone marks are folded away before detection (normalize.py), so Qín Chūnjuān
    is found as Qin Chunjuan.
    """
    if not re.search("[A-Za-z]", text):
        return
    surname = "".join(_alternatives(options) for options in _syllables(person.surname))
    given = "[ '\\-]?".join(_alternatives(options) for options in _syllables(person.given))
    if not given:
        return
    separator = "(?:[ \\-]|, ?)?"
    pattern = re.compile(
        f"(?<![A-Za-z])(?:{surname}{separator}{given}|{given}{separator}{surname})(?![A-Za-z])",
        re.IGNORECASE,
    )
    for match in pattern.finditer(text):
        yield Finding(NAME, match.start(), match.end())


def _alternatives(options: list[str]) -> str:
    return "(?:" + "|".join(sorted(options, key=len, reverse=True)) + ")"


def _literal(text: str, needle: str) -> Iterator[Finding]:
    """``needle`` wherever it occurs, tolerating spaces between its characters."""
    needle = re.sub(r"\s+", "", needle)
    if not needle:
        return
    for match in re.finditer(" *".join(map(re.escape, needle)), text):
        yield Finding(NAME, match.start(), match.end())


def _surname_variants(text: str, surname: str) -> Iterator[Finding]:
    escaped = re.escape(surname)
    # 张某 / 张某某: the surname is still an identifier next to a street name.
    for match in re.finditer(escaped + "某{1,2}", text):
        yield Finding(NAME, match.start(), match.end())
    # 老张 / 小张: how neighbours and case workers refer to an adult.
    for match in re.finditer(f"[老小]{escaped}", text):
        yield Finding(NAME, match.start(), match.end())
    # 张阿姨 / 姓张: only the surname is removed, the word of address stays.
    for match in re.finditer(f"(?:(?<=姓){escaped}|{escaped}(?={_HONORIFICS}))", text):
        yield Finding(NAME, match.start(), match.end())
