"""The re-identification check across everything published: generalize, suppress or
withhold a need that would stand out, with the reason shown to staff."""

import datetime as dt

import pytest

from matching.deidentify import equivalence_classes
from matching.publication import services
from matching.publication.models import PublicNeed
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db


def _published_classes():
    records = [
        {
            "district": need.district_id,
            "street": need.street_id,
            "categories": need.categories,
            "age_bands": need.age_bands,
            "size_band": need.size_band,
            "statuses": need.statuses,
        }
        for need in PublicNeed.objects.public()
    ]
    return equivalence_classes(records)


def _born(years_ago):
    return dt.date.today().replace(month=1, day=1) - dt.timedelta(days=365 * years_ago + 30)


def _need(place, reviewer, born):
    story = "家住朝阳区红旗街道，老人患病需要帮助。"
    case = pf.approved_case(place, names=["赵桂芝"], description=story)
    member = case.household.members.get()
    type(member).objects.filter(pk=member.pk).update(birth_date=born)
    return pf.approve(services.public_need_derive(case=case), reviewer)


def test_five_alike_on_one_street_keep_their_street(places, reviewer):
    needs = [pf.published_need(places["hongqi"], reviewer) for _ in range(5)]
    for need in needs:
        need.refresh_from_db()
        assert not need.withheld
        assert need.street_id == "220104007"
        assert need.k_steps == []
    assert min(_published_classes().values()) >= 5


def test_a_need_that_would_be_unique_is_withheld_with_the_reason(places, reviewer):
    for _ in range(5):
        pf.published_need(places["hongqi"], reviewer)
    unique = pf.published_need(places["hongqi"], reviewer, categories=["judicial"])

    assert unique.live and unique.withheld
    assert "暂不公示" in unique.withheld_reason
    assert unique.k_steps[0]["code"] == "street_to_district"
    assert not PublicNeed.objects.public().filter(pk=unique.pk).exists()
    assert min(_published_classes().values()) >= 5


def test_distinct_ages_are_widened_instead_of_withheld(places, reviewer):
    # Five households aged 31..43: each alone in its narrow band, together in 18-59.
    needs = [_need(places["hongqi"], reviewer, _born(age)) for age in (25, 31, 37, 46, 52)]
    for need in needs:
        need.refresh_from_db()
        assert not need.withheld, need.withheld_reason
        codes = [step["code"] for step in need.k_steps]
        assert codes[:2] == ["street_to_district", "age_bands_widened"]
        assert need.street_id is None and need.age_bands == ["18-59"]
        # The street left the published fields, so it left the story too.
        assert "红旗街道" not in need.story and "朝阳区某街道" in need.story
    assert min(_published_classes().values()) >= 5


def test_the_preview_shows_staff_what_the_check_would_do(places, reviewer):
    draft = services.public_need_derive(case=pf.approved_case(places["hongqi"]))
    assert not draft.live
    assert draft.withheld and "少于5户" in draft.withheld_reason


def test_k_is_a_setting(places, reviewer, settings):
    settings.PUBLICATION_K = 2
    first, second = (pf.published_need(places["hongqi"], reviewer) for _ in range(2))
    first.refresh_from_db()
    assert not first.withheld and not second.withheld
