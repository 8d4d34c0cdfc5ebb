"""Street addresses and the institutions that would point at a household.

Publication may keep the district and the street (街道) — the brief coarsens
location to that level — so an address finding starts *after* them:
朝阳区红旗街道人民大街3399号5栋2单元501室 publishes as 朝阳区红旗街道[住址].

Chinese has no spaces, so a regex that ends at 路/小区/医院 cannot know where
the name begins. Each pattern therefore matches a generous run of characters
before the suffix, and ``_trim`` cuts it back after the last word that
cannot be part of a place name (住, 在, 区, 街道, 女儿 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .normalize import fold
from .spans import ADDRESS, BED, INSTITUTION, SCHOOL_CLASS, Finding
from .vocabulary import (
    ADMIN_UNITS,
    GENERIC_INSTITUTION_WORDS,
    GENERIC_PLACES,
    KINSHIP_WORDS,
    PASSING_WORDS,
    ROLE_WORDS,
    TIME_WORDS,
    alternation,
)

_HAN = "\u4e00-\u9fff"
_NUM = "[0-9一二三四五六七八九十百零〇两]+"

# --- building, unit, room ------------------------------------------------------

_BUILDING = f"(?:{_NUM}|[A-Za-z])(?:号楼|栋|幢|座|号院|号)"
_UNIT = f"{_NUM}(?:单元|门)"
_ROOM = f"(?:{_NUM}(?:室|号)|(?:(?<=单元)|(?<=门))[0-9]{{3,4}}(?![0-9]))"
_DASHED = r"[0-9]{1,3}-[0-9]{1,2}-[0-9]{2,4}(?![0-9\-])"
_TAIL = f"(?:{_DASHED}|(?:{_BUILDING})?(?:{_UNIT})?(?:{_ROOM})?)"

# --- addresses -------------------------------------------------------------------

_ROAD = re.compile(
    f"(?P<name>[{_HAN}]{{1,10}}?)(?:大街|大路|胡同|路|街|道|巷|弄) ?"
    f"{_NUM}(?:-{_NUM})? ?号(?:院)?(?P<tail>{_TAIL})"
)
_MULTI_CHAR_ESTATES = "小区|花园|家园|公寓|新村|家属楼|家属院|家属区|宿舍|大厦"
# Estate names that end in a word of praise rather than 小区 (盛世名苑, 亚泰丽景):
# they name one compound, so they are removed without a building number.
_NAMED_ESTATES = (
    "名苑|雅苑|丽苑|华苑|嘉苑|景苑|丽景|华庭|豪庭|雅居|嘉园|佳园|丽园|景园|名都|名城|名邸|公馆|"
    "华府|首府|水岸|山庄|花城|新城|家苑|苑"
)
_COMMUNITY = re.compile(
    f"(?P<name>[{_HAN}A-Za-z]{{1,10}}?)"
    f"(?P<suffix>(?:{_MULTI_CHAR_ESTATES}|{_NAMED_ESTATES}|社区|园|城|府|湾)+)"
    f"(?P<tail>{_TAIL})"
)
_VILLAGE = re.compile(
    f"(?P<name>[{_HAN}]{{1,8}}?)(?P<suffix>村|屯)(?P<tail>(?:{_NUM}(?:组|社|队))?(?:{_NUM}号)?)"
)
_STANDALONE_TAIL = re.compile(f"(?:{_BUILDING})(?:{_UNIT})(?:{_ROOM})?|(?:{_UNIT})(?:{_ROOM})")
_DASHED_NEAR_ADDRESS = re.compile(f"(?<![0-9\\-]){_DASHED}")
_ADDRESS_WORDS = re.compile("住|家|址|小区|楼|栋|号|院|花园|公寓|家园|宿舍")

# Where a place name cannot extend to the left; the admin units among them
# are the coarse location that may stay published.
# 区 ends a district (朝阳区) but not 校区, 小区 or 社区, which belong to the place name.
# Time words, kinship words, pronouns and verbs of going end a place name too:
# 今天下午去小区 and 他母亲家属楼 have no place name before the suffix.
_ADDRESS_BOUNDARY = re.compile(
    "街道|(?<![校小社园])区|"
    + alternation(TIME_WORDS, KINSHIP_WORDS, PASSING_WORDS - {"楼下", "楼上", "对门"})
    + "|[住在于址到从往县市省旗镇乡是为的与及近靠位了、他她我你们去回来搬租说跟]"
)

# --- institutions ------------------------------------------------------------------

_MEDICAL = "卫生服务中心|卫生服务站|妇幼保健院|保健院|卫生院|医院|诊所|卫生所|卫生室"
_SCHOOL = (
    "幼儿园|附中|附小|小学(?!生)|中学(?!生)|大学(?!生)|学院(?!生)|学校|高中(?!生)|初中(?!生)|"
    "职高|中专|技校"
)
_EMPLOYER = (
    "有限责任公司|股份有限公司|有限公司|公司|集团|厂(?![长房区里子])|超市|洗浴中心|洗浴|浴池|"
    "饭店|酒店|宾馆|旅馆|旅店|餐馆|餐厅|饭馆|面馆|商店|商行|商场|门市部|药房|药店|网吧|加油站|"
    "批发部|便利店|小吃店|美发店|理发店|火锅店|烧烤店|快餐店|修理部|汽修部"
)
_INSTITUTION_SUFFIX = f"{_MEDICAL}|{_SCHOOL}|{_EMPLOYER}"
_INSTITUTION = re.compile(
    f"(?P<name>[{_HAN}A-Za-z0-9]{{1,14}}?)(?:{_INSTITUTION_SUFFIX})"
    f"(?:[{_HAN}0-9]{{0,8}}?(?:{_INSTITUTION_SUFFIX}))*"
)
# Changchun's hospitals are known by short names: 吉大一院 is 吉林大学第一医院.
_HOSPITAL_NICKNAME = re.compile("吉大[一二三四]院|省[一二三]院")
_INSTITUTION_BOUNDARY = re.compile(
    "考上|考入|就读|就诊|毕业|工作|打工|上班|务工|送往|送到|送至|转入|转到|转至|转院|住进|前往|"
    "一直|曾经|先后|期间|" + alternation(TIME_WORDS) + "|"
    "一家|这家|那家|一所|这所|那所|[0-9]*号|"
    + alternation(KINSHIP_WORDS, ROLE_WORDS)
    + "|[在于到去从往住赴送是为系的与及读念被把曾已也都还又了过、年月日岁元和]"
)
_QUALIFIERS = re.compile("^(?:一家|这家|那家|一所|这所|那所|该|某|本|原|现)")
_GENERIC_INSTITUTION_WORDS = re.compile(alternation(GENERIC_INSTITUTION_WORDS))
_REPLACEMENT_BY_SUFFIX = (
    (re.compile(f"(?:{_MEDICAL})$"), "medical"),
    (re.compile(f"(?:{_SCHOOL})$"), "school"),
)


def find_addresses(folded: str, known: Iterable[str] = ()) -> Iterator[Finding]:
    """Known addresses of the household, and anything shaped like a street address."""
    for variant in _known_address_variants(known):
        for match in _spaced_literal(variant).finditer(folded):
            yield Finding(ADDRESS, match.start(), match.end())
    yield from _named_places(folded, _ROAD, _road_is_address)
    yield from _named_places(folded, _COMMUNITY, _estate_is_address)
    yield from _named_places(folded, _VILLAGE, _village_is_address)
    for match in _STANDALONE_TAIL.finditer(folded):
        yield Finding(ADDRESS, match.start(), match.end())
    for match in _DASHED_NEAR_ADDRESS.finditer(folded):
        if _ADDRESS_WORDS.search(folded, max(0, match.start() - 12), match.start()):
            yield Finding(ADDRESS, match.start(), match.end())


# A bed in a hospital ward (3病区12床, 302病房5床, 12号床): the department
# before it (心内科) stays. A class in a school (4年6班, 初三(8)班, 三年二班).
_BED = re.compile(
    "(?<![0-9])(?:[0-9]{1,4} ?(?:病区|号病房|病房|号楼|楼|层|区) ?)*"
    "[0-9]{1,3} ?(?:号)?(?:病床|床)(?:位)?"
)
_CLASS_NUMBER = "[0-9一二三四五六七八九十]{1,2}"
_SCHOOL_CLASS = re.compile(
    "(?:(?<![0-9])[1-9]|(?<![一二三四五六七八九十])[一二三四五六七八九]|[初高][一二三])"
    f"(?:年级|年)? ?(?:\\({_CLASS_NUMBER}\\)|{_CLASS_NUMBER}) ?班(?![长主级子车倒])"
)


def find_rooms(folded: str) -> Iterator[Finding]:
    """Hospital beds and school classes: each points at one person."""
    for match in _BED.finditer(folded):
        yield Finding(BED, match.start(), match.end())
    for match in _SCHOOL_CLASS.finditer(folded):
        yield Finding(SCHOOL_CLASS, match.start(), match.end())


def find_institutions(folded: str) -> Iterator[tuple[Finding, str]]:
    """Named hospitals, schools and employers, each with its sector."""
    for match in _HOSPITAL_NICKNAME.finditer(folded):
        yield Finding(INSTITUTION, match.start(), match.end()), "medical"
    for match in _INSTITUTION.finditer(folded):
        start, _boundary = _trim(match, _INSTITUTION_BOUNDARY)
        name = _QUALIFIERS.sub("", folded[start : match.end("name")])
        start = match.end("name") - len(name)
        if len(name) < 2 or not _GENERIC_INSTITUTION_WORDS.sub("", name):
            continue
        yield Finding(INSTITUTION, start, match.end()), _sector(match.group())


def _sector(matched: str) -> str:
    for pattern, sector in _REPLACEMENT_BY_SUFFIX:
        if pattern.search(matched):
            return sector
    return "employer"


def _named_places(folded: str, pattern: re.Pattern, accept) -> Iterator[Finding]:
    for match in pattern.finditer(folded):
        start, boundary = _trim(match, _ADDRESS_BOUNDARY)
        name = folded[start : match.end("name")]
        if len(name) >= 1 and name not in GENERIC_PLACES and accept(match, name, boundary):
            yield Finding(ADDRESS, start, match.end())


# Characters that end an admin unit (长春市, 农安县) but also begin or end a
# place's own name (红旗街, 新市路): a cut that would leave no name is not one.
_NAME_CHARACTER_BOUNDARIES = frozenset("县市省旗镇乡")


def _trim(match: re.Match, boundary: re.Pattern) -> tuple[int, str | None]:
    """Start of the place name inside ``match``, and the word it was cut after."""
    last = None
    for found in boundary.finditer(match.string, match.start("name"), match.end("name")):
        if found.end() == match.end("name") and found.group() in _NAME_CHARACTER_BOUNDARIES:
            break
        last = found
    if last is None:
        return match.start("name"), None
    return last.end(), last.group()


def _road_is_address(match: re.Match, name: str, boundary: str | None) -> bool:
    return True  # a road name with a house number is an address


def _estate_is_address(match: re.Match, name: str, boundary: str | None) -> bool:
    if match.group("tail"):
        return True
    suffix = match.group("suffix")
    if len(name) < 2 and len(suffix) > 1:
        # 春城嘉园, 富苑苑: the shortest name ended at a character that is also
        # a suffix (城, 苑); it belongs to the name.
        name, suffix = name + suffix[0], suffix[1:]
    if suffix == "社区":
        # 富锦社区 after 红旗街道 is a place; 所在社区 is not.
        return boundary in ADMIN_UNITS and len(name) >= 2
    # Single-character suffixes (园, 城, 府 …) are too common without a house number.
    return (
        len(name) >= 2
        and re.fullmatch(f"(?:{_MULTI_CHAR_ESTATES}|{_NAMED_ESTATES}|社区)+", suffix) is not None
    )


def _village_is_address(match: re.Match, name: str, boundary: str | None) -> bool:
    if len(name) < 2:
        return False  # 农村, 全村, 本村
    return bool(match.group("tail")) or boundary in ADMIN_UNITS


# --- known addresses -----------------------------------------------------------------

_ADMIN_PREFIX = re.compile(
    "^(?:[^省]*省)?(?:[^市]*市)?(?:[^区县旗]*(?:区|县|旗))?(?:[^街镇乡]*(?:街道|镇|乡))?"
)
_PLACE_NAME_IN_ADDRESS = re.compile(f"[{_HAN}]{{2,8}}?(?:{_MULTI_CHAR_ESTATES}|社区|村|屯)")


def _known_address_variants(addresses: Iterable[str]) -> set[str]:
    """What of a known address to look for: the part below the street, and its estate."""
    variants = set()
    for address in addresses:
        address = re.sub(r"\s+", "", fold(address or ""))
        detail = address[_ADMIN_PREFIX.match(address).end() :]
        if len(detail) >= 2:
            variants.add(detail)
        for place in _PLACE_NAME_IN_ADDRESS.finditer(detail):
            variants.add(place.group())
    return variants


def _spaced_literal(text: str) -> re.Pattern:
    """``text`` as a pattern that tolerates spaces between its characters."""
    return re.compile(" *".join(re.escape(ch) for ch in text))
