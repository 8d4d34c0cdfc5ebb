"""Place names as a reader of the page's language writes them.

Chinese pages show the division's name; English pages romanise it with
pypinyin and translate the administrative suffix ("朝阳区" → "Chaoyang
District"), so no Chinese is left inside an English sentence.
"""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Longest suffix first: "街道" before "道", "开发区" before "区".
SUFFIXES = [
    ("街道", "Subdistrict"),
    ("乡", "Township"),
    ("镇", "Town"),
    ("区", "District"),
    ("县", "County"),
    ("市", "City"),
]
# The four development zones' official English names.
ZONES = {
    "长春经济技术开发区": "Changchun Economic and Technological Development Zone",
    "长春净月高新技术产业开发区": "Changchun Jingyue High-tech Industrial Development Zone",
    "长春高新技术产业开发区": "Changchun High-tech Industrial Development Zone",
    "长春汽车经济技术开发区": "Changchun Automobile Economic and Technological Development Zone",
    "长春市": "Changchun",
}


@lru_cache(maxsize=4096)
def romanise(name):
    """ "朝阳区" → "Chaoyang District"; "农安县" → "Nong'an County"."""
    if name in ZONES:
        return ZONES[name]
    if not any("\u4e00" <= character <= "\u9fff" for character in name):
        return name  # already in Latin letters (a translated label)
    for suffix, english in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return f"{_syllables(name[: -len(suffix)])} {english}"
    return _syllables(name)


# Readings pypinyin's phrase list gets wrong in place names (朝 as in 朝阳 is chao).
READINGS = {"朝阳": ["chao", "yang"], "长春": ["chang", "chun"]}


def _syllables(text):
    """Pinyin written as one word, with an apostrophe before a syllable that starts
    with a vowel (Nong'an, Xi'an), as the national standard spells place names."""
    word = ""
    for syllable in _readings(text):
        if word and syllable[:1] in "aeo":
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]


def _readings(text):
    for stem, syllables in READINGS.items():
        if stem in text:
            head, _stem, tail = text.partition(stem)
            return [*_readings(head), *syllables, *_readings(tail)]
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default") if text else []
    return [s.replace("lv", "lü").replace("nv", "nü") for s in syllables]
