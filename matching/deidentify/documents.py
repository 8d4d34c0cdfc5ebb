"""Document numbers after their label, vehicle plates, and QQ numbers written as Q号.

A label (低保证号, 社保卡号, 残疾证号, 住院号 …) followed by an
identifier-shaped token makes the token an identifier, whatever its shape:
绿民低〔2018〕09373号, 长绿低字第2019001234号, 22010419620815302X42,
ZY2026-00123. Only the token is removed; the label stays so that the
sentence still says what kind of document it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .spans import DOCUMENT, PLATE, QQ, Finding

_LABEL = (
    "低保证|低保金?领取证|低保(?:证书)?编号|低保卡|低保|特困(?:供养)?证|最低生活保障证|保障证|救助证|"
    "社会保障卡|社保卡|社保|医保卡|医保|医疗保险|养老保险|残疾人证|残疾证|残联证|"
    "住院|病案|病历|门诊|就诊卡|医疗证|诊疗卡|档案|学籍|学生证|准考证|工作证|户口簿|户口本|户籍|"
    "护照|驾驶证|驾照|行驶证|军官证|退伍证|营业执照|房产证|不动产权证|产权证|合同|"
    "优抚证|烈属证|老年证|敬老卡|公交卡|燃气卡|电卡|水卡|供暖|采暖|信用代码|原|旧|新|该|其"
)
_SUFFIX = "(?:证件|证书|证)?(?:号码|编号|卡号|号|码|账号|帐号|ID)"
# The identifier: optional issuing prefix (绿民低〔2018〕, 长绿低字第), then at
# least three characters of letters and digits, optionally closed by 号.
_YEAR_IN_BRACKETS = "(?:〔[0-9]{4}〕|\\[[0-9]{4}\\]|\\([0-9]{4}\\)|【[0-9]{4}】)"
_PREFIX = f"(?:[\u4e00-\u9fff]{{1,6}}{_YEAR_IN_BRACKETS}|[\u4e00-\u9fff]{{1,6}}字第|第)"
_TOKEN = f"(?:{_PREFIX} ?)?(?=[A-Za-z\\-]*[0-9])[A-Za-z0-9][A-Za-z0-9\\-/]{{2,29}}(?:号)?"
_DOCUMENT = re.compile(
    f"(?:{_LABEL}){_SUFFIX}(?:为|是|:|：| |\\(|（|，|,){{0,3}}(?P<id>{_TOKEN})(?![A-Za-z0-9])"
)

# Vehicle plates: province, issuing letter, an optional dot, five characters
# (six for new-energy plates, which start or end with D/F).
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE = re.compile(
    f"(?<![A-Za-z0-9])[{_PROVINCES}][A-HJ-NP-Z] ?[·•・.\\- ]? ?"
    "(?=[A-HJ-NP-Z]{0,3}[0-9])[A-HJ-NP-Z0-9]{5,6}(?:挂|学|警)?(?![A-Za-z0-9])"
)

# QQ written the way people type it in a chat: Q号, q号, 企鹅号, 扣扣号 (QQ itself
# and 扣扣 are handled in numbers.py).
_QQ_VARIANTS = re.compile(
    r"(?:(?<![A-Za-z])[Qq](?=号)|企鹅)号?(?:码)?[ :]*(?:是|为)?[ :]*"
    r"(?P<number>[1-9](?:[ \-]?[0-9]){4,10})(?![0-9元块万])"
)


def find_documents(text: str) -> Iterator[Finding]:
    """Document numbers after a label, plates and Q号 numbers in ``text``."""
    for match in _DOCUMENT.finditer(text):
        yield Finding(DOCUMENT, match.start("id"), match.end("id"))
    for match in _PLATE.finditer(text):
        yield Finding(PLATE, match.start(), match.end())
    for match in _QQ_VARIANTS.finditer(text):
        yield Finding(QQ, match.start("number"), match.end("number"))
