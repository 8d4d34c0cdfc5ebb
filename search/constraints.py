"""The matcher's hard constraints, each written twice on purpose: as an
Elasticsearch filter (retrieval) and as a Python check over the same
document dict (the in-process backend, and the reason an excluded
candidate was ruled out). The contract tests run both against the same
data and require the same answer.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext as django_gettext

from matching.core.vocabulary import Category

ANY = "*"  # the filter key of "no restriction" (search.documents.filter_keys)

# Volunteers' radii are capped here so that a distance pre-filter can use a
# cheap geo_distance before the exact per-volunteer radius check.
MAX_RADIUS_KM = 50.0


@lru_cache(maxsize=1024)
def _translated(language, message):
    return django_gettext(message)


def _(message):
    """gettext, remembered per language: every close exclusion builds a reason
    (Django's lookup walks each catalogue's fallback chain, ~0.1 ms a call)."""
    return _translated(get_language(), message)


@lru_cache(maxsize=256)
def _category_label(language, value):
    return str(Category(value).label)


@dataclass(frozen=True)
class NeedSets:
    """A profile's lists as sets, made once per profile rather than per offer."""

    categories: frozenset
    forms: frozenset
    area_codes: frozenset
    statuses: frozenset
    open_categories: frozenset


_memo = (None, None)  # (profile, its NeedSets); one tuple, so threads never mix them


def need_sets(profile):
    global _memo
    memo = _memo
    if memo[0] is profile:
        return memo[1]
    sets = NeedSets(
        categories=frozenset(profile.categories),
        forms=frozenset(profile.forms),
        area_codes=frozenset(profile.area_codes),
        statuses=frozenset(profile.statuses),
        open_categories=frozenset(open_categories(profile)),
    )
    _memo = (profile, sets)
    return sets


@dataclass(frozen=True)
class Context:
    """Facts about the world at matching time, read once per need."""

    today: date
    dishonest_orgs: frozenset = field(default_factory=frozenset)
    # Organizations not (or no longer) verified: their projects and funds
    # receive no proposals (docs/organizations.md). A volunteer is a person,
    # vetted on their own; their team's verification does not bar them.
    unverified_orgs: frozenset = field(default_factory=frozenset)


def haversine_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def open_categories(profile):
    """The need's categories not already covered by assistance it receives."""
    received = {item.category for item in profile.received}
    return [c for c in profile.categories if c not in received]


def distance_km(profile, doc):
    if profile.location is None or not doc.get("location"):
        return None
    return haversine_km(profile.location, (doc["location"]["lat"], doc["location"]["lon"]))


# -- Python checks: None when satisfied, else the reason -----------------------------------


def check_active(profile, doc, ctx):
    return None if doc["active"] else _("资源已停用或已结束")


def check_category(profile, doc, ctx):
    if doc["offer_type"] == "volunteer" or not need_sets(profile).categories.isdisjoint(
        doc["categories"]
    ):
        return None
    labels = "、".join(_category_label(get_language(), c) for c in doc["categories"])
    return _("类别不符：资源提供 %(offer)s") % {"offer": labels}


def check_duplicate(profile, doc, ctx):
    if doc["offer_type"] == "volunteer":
        return None
    sets = need_sets(profile)
    wanted = sets.categories.intersection(doc["categories"])
    if not wanted or not sets.open_categories.isdisjoint(wanted):
        return None
    item = next(r for r in profile.received if r.category in wanted)
    until = item.until.isoformat() if item.until else _("长期")
    return _("重复救助：%(category)s，%(provider)s，至 %(until)s") % {
        "category": Category(item.category).label,
        "provider": item.provider_label,
        "until": until,
    }


def check_forms(profile, doc, ctx):
    if not profile.forms or not need_sets(profile).forms.isdisjoint(doc["forms"]):
        return None
    return _("帮扶形式不符")


def check_area(profile, doc, ctx):
    if doc["offer_type"] != "volunteer":
        if not need_sets(profile).area_codes.isdisjoint(doc["jurisdictions"]):
            return None
        return _("不在服务区域内")
    distance = distance_km(profile, doc)
    if distance is None:
        # Without a household position, a volunteer serves their own district.
        district = profile.area_codes[1] if len(profile.area_codes) > 1 else None
        return None if district in doc["home_area"] else _("不在服务区域内")
    if distance <= min(doc["radius_km"], MAX_RADIUS_KM):
        return None
    return _("距离 %(km).1f 公里，超出服务半径 %(radius).1f 公里") % {
        "km": distance,
        "radius": doc["radius_km"],
    }


def check_status(profile, doc, ctx):
    wanted = doc["household_status_any"]
    if not wanted or not need_sets(profile).statuses.isdisjoint(wanted):
        return None
    return _("家庭类型不符合资助条件")


def check_age(profile, doc, ctx):
    low, high = doc["min_age"], doc["max_age"]
    if low is None and high is None:
        return None
    if any((low is None or age >= low) and (high is None or age <= high) for age in profile.ages):
        return None
    return _("家庭成员年龄不符合资助条件")


def check_capacity(profile, doc, ctx):
    if doc["slots"] is not None and doc["slots"] <= 0:
        return _("名额已满")
    if doc["budget_minor"] is not None and doc["budget_minor"] <= 0:
        return _("资金已用完")
    return None


def check_dates(profile, doc, ctx):
    today = ctx.today
    if doc["starts"] and _as_date(doc["starts"]) > today:
        return _("项目尚未开始")
    if doc["ends"] and _as_date(doc["ends"]) < today:
        return _("项目已结束")
    return None


def check_availability(profile, doc, ctx):
    if doc["offer_type"] != "volunteer":
        return None
    if doc["availability"] and (doc["hours_per_week"] or 0) > 0:
        return None
    return _("志愿者暂无可服务时间")


def check_dishonesty(profile, doc, ctx):
    if doc["organization_id"] and doc["organization_id"] in ctx.dishonest_orgs:
        return _("资源方存在失信记录")
    return None


VETTED_OFFERS = ("project", "fund")


def check_verified(profile, doc, ctx):
    if doc["offer_type"] in VETTED_OFFERS and doc["organization_id"] in ctx.unverified_orgs:
        return _("资源方组织未通过核验")
    return None


CHECKS = (
    check_active,
    check_category,
    check_forms,
    check_area,
    check_status,
    check_age,
    check_capacity,
    check_dates,
    check_availability,
    check_dishonesty,
    check_verified,
    check_duplicate,
)


def first_violation(profile, doc, ctx):
    for check in CHECKS:
        reason = check(profile, doc, ctx)
        if reason:
            return reason
    return None


def _as_date(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# -- Elasticsearch filters: the same constraints for retrieval -------------------------------


def _either(*clauses):
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


# Volunteers' radii fall in these bands; within a band the distance filter
# uses the band's upper edge, and the exact radius is checked in Python
# (check_area) before anything is proposed. This keeps the retrieval free of
# per-document scripts.
RADIUS_BANDS = (1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0, 20.0, 30.0, MAX_RADIUS_KM)


def _within_radius(location):
    lat, lon = location
    bands, lower = [], 0.0
    for upper in RADIUS_BANDS:
        bands.append(
            {
                "bool": {
                    "filter": [
                        {"range": {"radius_km": {"gt": lower, "lte": upper}}},
                        {
                            "geo_distance": {
                                "distance": f"{upper}km",
                                "location": {"lat": lat, "lon": lon},
                            }
                        },
                    ]
                }
            }
        )
        lower = upper
    return _either(*bands)


# Service cells: a cheap, conservative pre-filter in front of the radius check.
# The map is cut into square-ish grids of CELL_SIZES_KM; a volunteer's document
# lists the cells of the one grid whose size is the first >= their radius that
# its service disc's bounding box touches (4 to 15 in China), and a need
# asks for its own cell in every grid. Every volunteer within reach shares a
# cell with the need, so a plain terms query narrows the candidates to a few
# hundred before the exact radius check runs on them alone. (The radius bands
# below make Lucene walk each band's BKD tree: about 15 of the filter's 23 ms
# at 100,000 offers; indexes built before the cells existed still use them.)
CELL_SIZES_KM = (1, 2, 4, 8, 16, 32, 64)
_KM_PER_DEGREE = 111.32


def _cell(level, size, lat, lon):
    step = size / _KM_PER_DEGREE
    return f"{level}:{math.floor(lat / step)}:{math.floor(lon / step)}"


def need_cells(location):
    lat, lon = location
    return [_cell(level, size, lat, lon) for level, size in enumerate(CELL_SIZES_KM)]


def service_cells(location, radius_km):
    """The cells a volunteer at ``location`` serving ``radius_km`` may reach."""
    if location is None or radius_km is None:
        return []
    lat, lon = location
    radius = min(float(radius_km), MAX_RADIUS_KM)
    level, size = next((i, s) for i, s in enumerate(CELL_SIZES_KM) if s >= radius)
    step = size / _KM_PER_DEGREE
    dlat = radius / _KM_PER_DEGREE
    widest = min(89.0, abs(lat) + dlat)
    dlon = radius / (_KM_PER_DEGREE * math.cos(math.radians(widest)))
    return [
        f"{level}:{row}:{col}"
        for row in range(math.floor((lat - dlat) / step), math.floor((lat + dlat) / step) + 1)
        for col in range(math.floor((lon - dlon) / step), math.floor((lon + dlon) / step) + 1)
    ]


# The exact per-volunteer radius, on doc values. Behind the service cells it
# runs only on the few hundred volunteers sharing the need's cells (a script
# query is checked after the cheaper clauses), never over the whole index.
_RADIUS_SCRIPT = (
    "doc['location'].size() > 0 && doc['radius_km'].size() > 0 && "
    "doc['location'].arcDistance(params.lat, params.lon) "
    "<= Math.min(doc['radius_km'].value, params.max_km) * 1000.0"
)


def _within_own_radius(location):
    lat, lon = location
    params = {"lat": lat, "lon": lon, "max_km": MAX_RADIUS_KM}
    return {"script": {"script": {"source": _RADIUS_SCRIPT, "params": params}}}


def area_filter(profile, *, cells=False):
    """``cells``: the index carries service cells (search.documents.filter_keys)."""
    # Only projects and funds have "jurisdictions"; volunteers have "home_area".
    places = {"terms": {"jurisdictions": list(profile.area_codes)}}
    if profile.location is None:
        nearby = {"terms": {"home_area": list(profile.area_codes[1:2])}}
    elif cells:
        cover = {"terms": {"service_cells": need_cells(profile.location)}}
        nearby = {"bool": {"filter": [cover, _within_own_radius(profile.location)]}}
    else:
        nearby = _within_radius(profile.location)
    return _either(places, nearby)


def _age_filter(profile):
    if not profile.ages:  # nobody's age is known: only offers without an age limit
        return {"bool": {"filter": [{"term": {"age_low": 0}}, {"term": {"age_high": 255}}]}}
    return _either(
        *[
            {
                "bool": {
                    "filter": [
                        {"range": {"age_low": {"lte": age}}},
                        {"range": {"age_high": {"gte": age}}},
                    ]
                }
            }
            for age in sorted(set(profile.ages))
        ]
    )


def es_filters(profile, ctx, *, cells=False):
    """Every hard constraint as Elasticsearch filter-context clauses, all positive
    (over the filter keys of search.documents.filter_keys)."""
    today = ctx.today.isoformat()
    clauses = [
        {"term": {"active": True}},
        {"terms": {"category_keys": [*open_categories(profile), ANY]}},
        area_filter(profile, cells=cells),
        {"terms": {"status_keys": [*profile.statuses, ANY]}},
        _age_filter(profile),
        {"range": {"slots_left": {"gt": 0}}},
        {"range": {"money_left": {"gt": 0}}},
        {"range": {"start_day": {"lte": today}}},
        {"range": {"end_day": {"gte": today}}},
        {"term": {"available": True}},
    ]
    if profile.forms:
        clauses.append({"terms": {"forms": list(profile.forms)}})
    if ctx.dishonest_orgs:
        clauses.append(
            {"bool": {"must_not": {"terms": {"organization_id": sorted(ctx.dishonest_orgs)}}}}
        )
    if ctx.unverified_orgs:
        # offer_type is not indexed; projects and funds are the offers without
        # a location (volunteers always have one).
        unvetted = {
            "bool": {
                "filter": [{"terms": {"organization_id": sorted(ctx.unverified_orgs)}}],
                "must_not": [{"exists": {"field": "location"}}],
            }
        }
        clauses.append({"bool": {"must_not": unvetted}})
    return clauses
