"""Place names for English pages: official English names where they exist,
Hanyu Pinyin (pypinyin) with an English generic term where they do not.

``place_name("南湖街道", "en")`` gives "Nanhu Subdistrict"; in Chinese the
name is returned unchanged. Rules (docs/design.md, "English conventions"):
the proper name in pinyin without tones, written as one word with its first
letter capitalised and an apostrophe before a syllable that starts with a
vowel (Xi'an); the administrative suffix (区, 街道, 镇…) as an English word.
"""

import functools
import re

from django.utils import translation
from pypinyin import Style, load_phrases_dict, load_single_dict, pinyin

# Official English names of the city's county-level units and zones.
OFFICIAL_NAMES = {
    "长春市": "Changchun",
    "南关区": "Nanguan District",
    "宽城区": "Kuancheng District",
    "朝阳区": "Chaoyang District",
    "二道区": "Erdao District",
    "绿园区": "Lüyuan District",
    "双阳区": "Shuangyang District",
    "九台区": "Jiutai District",
    "农安县": "Nong'an County",
    "榆树市": "Yushu City",
    "德惠市": "Dehui City",
    "公主岭市": "Gongzhuling City",
    "长春经济技术开发区": "Changchun Economic and Technological Development Zone",
    "长春净月高新技术产业开发区": "Changchun Jingyue High-tech Industrial Development Zone",
    "长春高新技术产业开发区": "Changchun High-tech Industrial Development Zone",
    "长春汽车经济技术开发区": "Changchun Automotive Economic and Technological Development Zone",
}

# Longest first: "回族乡" before "乡", "街道" before "道".
SUFFIXES = [
    ("朝鲜族乡", "Korean Ethnic Township"),
    ("朝鲜族镇", "Korean Ethnic Town"),
    ("回族乡", "Hui Ethnic Township"),
    ("满族乡", "Manchu Ethnic Township"),
    ("满族镇", "Manchu Ethnic Town"),
    ("经济开发区", "Economic Development Zone"),
    ("产业园区", "Industrial Park"),
    ("开发区", "Development Zone"),
    ("管委会", "Administrative Committee"),
    ("居委会", "Residents' Committee"),
    ("村委会", "Village Committee"),
    ("街道", "Subdistrict"),
    ("社区", "Community"),
    ("农场", "Farm"),
    ("镇", "Town"),
    ("乡", "Township"),
    ("区", "District"),
    ("县", "County"),
    ("市", "City"),
    ("村", "Village"),
]

# Readings that pypinyin's general dictionary gets wrong for place names.
# 长 in a place name is cháng (Changchun, Chang'an), 朝阳 is cháoyáng.
load_single_dict({ord("长"): "cháng,zhǎng"})
load_phrases_dict({"朝阳": [["cháo"], ["yáng"]]})

_HAN = re.compile(r"[\u3400-\u9fff]+")
_PARENTHESES = str.maketrans({"（": " (", "）": ")"})
_WORDS = {"省级": "provincial", "市级": "municipal"}


def is_english():
    return (translation.get_language() or "").startswith("en")


def place_name(name, language=None):
    """``name`` as it is written in ``language`` (the active language by default)."""
    if not name:
        return name
    language = language or translation.get_language() or ""
    if not language.startswith("en"):
        return name
    return romanize_place(name)


@functools.lru_cache(maxsize=4096)
def romanize_place(name):
    if name in OFFICIAL_NAMES:
        return OFFICIAL_NAMES[name]
    text = name.translate(_PARENTHESES)
    return (
        re.sub(r"\s+", " ", _HAN.sub(lambda run: " " + _romanize_run(run.group()) + " ", text))
        .replace("( ", "(")
        .replace(" )", ")")
        .strip()
    )


def _romanize_run(run):
    if run in OFFICIAL_NAMES:
        return OFFICIAL_NAMES[run]
    if run in _WORDS:
        return _WORDS[run]
    for suffix, english in SUFFIXES:
        if run.endswith(suffix) and len(run) > len(suffix):
            return f"{pinyin_word(run[: -len(suffix)])} {english}"
    return pinyin_word(run)


def pinyin_word(chinese):
    """ "南湖" -> "Nanhu", "西安" -> "Xi'an", "绿园" -> "Lüyuan"."""
    syllables = [s[0] for s in pinyin(chinese, style=Style.NORMAL, v_to_u=True)]
    word = ""
    for syllable in syllables:
        if word and syllable[:1] in "aoe":
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]
