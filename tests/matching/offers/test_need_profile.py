"""What the matcher knows of a need: read in one query, with no personal data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from matching_city import id_number, need, organization, tree

from matching.cases import services as case_services
from matching.core.validators import age_on
from matching.offers.profile import need_profile_get

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 15)


def record(member_id_number, category, start, end=None, **provider):
    return case_services.assistance_record_submit(
        id_number=member_id_number,
        category=category,
        start=start,
        end=end,
        source="manual",
        **provider,
    )


def test_the_profile_carries_the_household_without_its_personal_data():
    _, _, hongqi = tree()
    case = need(hongqi)
    profile = need_profile_get(need=case, day=DAY)

    assert profile.area_codes == ("220100", "220104", "220104007")
    assert profile.location == (43.87, 125.3)
    assert profile.statuses == ("low_income",)
    today = dt.date.today()
    assert sorted(profile.ages) == sorted(
        [age_on(dt.date(1959, 3, 2), today), age_on(dt.date(1986, 7, 9), today)]
    )
    assert profile.amount_needed_minor == 500000
    for secret in ("王秀兰", "李建军", "工农大路", "1288"):
        assert secret not in profile.text
    assert "尿毒症" in profile.text
    assert profile.received == ()


def test_only_assistance_running_on_the_day_counts_newest_first():
    _, _, hongqi = tree()
    case = need(hongqi)
    mother, son = case.household.members.order_by("id")
    charity = organization("ORG-R", "长春慈善总会")
    record(son.id_number, "education", dt.date(2026, 1, 1), **{"provider_organization": charity})
    record(
        mother.id_number,
        "medical",
        dt.date(2026, 3, 1),
        dt.date(2026, 12, 31),
        provider_department="health",
    )
    record(
        mother.id_number,
        "housing",
        dt.date(2025, 1, 1),
        dt.date(2026, 6, 14),
        provider_department="housing",
    )  # ended
    record(
        mother.id_number, "employment", dt.date(2026, 6, 16), provider_department="civil_affairs"
    )  # not started yet
    record(
        id_number(dt.date(1970, 1, 1), 31),
        "subsistence",
        dt.date(2026, 1, 1),
        provider_department="civil_affairs",
    )  # a stranger

    with CaptureQueriesContext(connection) as queries:
        profile = need_profile_get(need=case, day=DAY)

    assert len(queries) == 1
    assert [(r.category, r.provider, r.provider_label, r.until) for r in profile.received] == [
        ("medical", "health", "卫生健康", dt.date(2026, 12, 31)),
        ("education", f"org:{charity.pk}", "长春慈善总会", None),
    ]
    assert len(profile.ages) == 2  # one per member, however many records each has


def test_a_household_without_members_still_has_a_profile():
    _, _, hongqi = tree()
    case = need(hongqi, location=None)
    case.household.members.all().delete()
    profile = need_profile_get(need=case, day=DAY)
    assert profile.ages == ()
    assert profile.location is None
    assert profile.area_codes[-1] == "220104007"
