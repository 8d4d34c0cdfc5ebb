"""Place names on English pages: official names, then pinyin with an English generic term."""

import csv
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from matching.directory.place_names import place_name, romanize_place

DIVISIONS = Path(__file__).resolve().parents[3] / "matching/directory/data/changchun-divisions.csv"


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("朝阳区", "Chaoyang District"),  # 朝 read cháo, not zhāo
        ("南湖街道", "Nanhu Subdistrict"),
        ("绿园区", "Lüyuan District"),
        ("农安县", "Nong'an County"),  # apostrophe before a vowel syllable
        ("长春净月高新技术产业开发区", "Changchun Jingyue High-tech Industrial Development Zone"),
        ("双营子回族乡", "Shuangyingzi Hui Ethnic Township"),
        ("长红村委会", "Changhong Village Committee"),  # 长 in a place name is cháng
        (
            "八家子村委会（合隆经济开发区）（省级）",
            "Bajiazi Village Committee (Helong Economic Development Zone) (provincial)",
        ),
    ],
)
def test_romanized_names(chinese, english):
    assert romanize_place(chinese) == english


def test_chinese_pages_keep_the_chinese_name():
    with translation.override("zh-hans"):
        assert place_name("朝阳区") == "朝阳区"
    with translation.override("en"):
        assert place_name("朝阳区") == "Chaoyang District"


def test_every_district_and_street_of_the_city_comes_out_in_latin_letters():
    with DIVISIONS.open(encoding="utf-8") as rows:
        names = [row["name"] for row in csv.DictReader(rows) if row["level"] != "community"]
    bad = [name for name in names if not re.fullmatch(r"[A-Za-zü' ()\-]+", romanize_place(name))]
    assert len(names) > 200 and bad == []


def test_the_template_filter_follows_the_active_language():
    template = Template("{% load place_names %}{{ name|place_name }}")
    with translation.override("en"):
        assert template.render(Context({"name": "南湖街道"})) == "Nanhu Subdistrict"
    with translation.override("zh-hans"):
        assert template.render(Context({"name": "南湖街道"})) == "南湖街道"
