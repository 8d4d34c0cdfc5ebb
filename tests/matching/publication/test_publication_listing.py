"""The public listing: Elasticsearch when configured (facets, Chinese search), the
database otherwise, and the same cards from both."""

import pytest
from django.test import override_settings

from matching.publication.models import PublicNeed
from matching.publication.selectors import NeedFilters, public_need_list
from search import indexer
from search.public_needs import listing_search, sort_clauses
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db

DIALYSIS = "父亲尿毒症，每周透析三次，自付费用较高。"
SCHOOL = "孩子考上高中，家庭无力负担学费，希望获得助学帮助。"


@pytest.fixture
def needs(places, reviewer):
    made = []
    for story, category in [(DIALYSIS, "medical")] * 5 + [(SCHOOL, "education")] * 5:
        made.append(
            pf.published_need(places["hongqi"], reviewer, description=story, categories=[category])
        )
    return made


def test_the_query_builder_filters_searches_and_counts_facets():
    body = listing_search(NeedFilters(q="透析", district="220104", category="medical"), index="x")
    query = body.to_dict()["query"]["bool"]
    assert query["must"][0]["multi_match"]["query"] == "透析"
    assert {"term": {"district": "220104"}} in query["filter"]
    assert {"term": {"categories": "medical"}} in query["filter"]
    assert set(body.to_dict()["aggs"]) == {"district", "category", "form", "urgency", "funding"}


def test_the_sort_orders_as_elasticsearch_sorts():
    assert sort_clauses(NeedFilters())[0] == {"urgent": "desc"}
    assert sort_clauses(NeedFilters(q="透析"))[0] == "_score"  # relevance first for a search
    assert sort_clauses(NeedFilters(sort="newest"))[0] == {"opened_month": "desc"}
    nearly = sort_clauses(NeedFilters(sort="nearly_funded"))[0]["nearly"]
    assert nearly["order"] == "desc" and nearly["unmapped_type"] == "long"


@pytest.mark.elasticsearch
def test_elasticsearch_and_the_database_agree(needs, public_index, es_client):
    indexer.drain()
    es_client.indices.refresh(index=public_index)
    for filters in [
        NeedFilters(),
        NeedFilters(q="透析"),
        NeedFilters(q="助学"),
        NeedFilters(category="education", district="220104"),
        NeedFilters(district="220102"),
    ]:
        from_es = public_need_list(filters=filters)
        with override_settings(ELASTICSEARCH_URL=""):
            from_db = public_need_list(filters=filters)
        assert from_es.total == from_db.total, filters
        assert {c["pk"] for c in from_es.needs} == {c["pk"] for c in from_db.needs}, filters
        assert from_es.facets["category"] == from_db.facets["category"], filters
    assert public_need_list(filters=NeedFilters(q="透析")).total == 5
    # The three orders, in the same order from both backends.
    PublicNeed.objects.filter(pk=needs[2].pk).update(raised_amount=10_000)  # half of 20,000
    PublicNeed.objects.filter(pk=needs[7].pk).update(raised_amount=20_000, opened_month="2099-01")
    PublicNeed.objects.filter(pk=needs[4].pk).update(urgency="emergency")
    for need in PublicNeed.objects.filter(pk__in=[needs[2].pk, needs[4].pk, needs[7].pk]):
        need.save()  # through the outbox into the index
    indexer.drain()
    es_client.indices.refresh(index=public_index)
    for sort, first, last in [
        ("urgent", needs[4], None),
        ("nearly_funded", needs[2], needs[7]),
        ("newest", needs[7], None),
    ]:
        filters = NeedFilters(sort=sort)
        from_es = [c["pk"] for c in public_need_list(filters=filters).needs]
        with override_settings(ELASTICSEARCH_URL=""):
            from_db = [c["pk"] for c in public_need_list(filters=filters).needs]
        assert from_es == from_db, sort
        assert from_es[0] == first.pk and (last is None or from_es[-1] == last.pk), sort


@pytest.mark.elasticsearch
def test_the_listing_is_served_from_elasticsearch(needs, client, es_client, public_index):
    indexer.drain()
    es_client.indices.refresh(index=public_index)
    assert "尿毒症" in client.get("/needs/", {"q": "透析"}).text
    es_client.delete_by_query(index=public_index, body={"query": {"match_all": {}}}, refresh=True)
    # Emptied index → empty listing: the page read Elasticsearch, not the database.
    assert "没有符合条件的求助信息" in client.get("/needs/").text


def test_a_closed_case_unpublishes_its_need_and_the_k_check_follows(
    needs, client, django_capture_on_commit_callbacks
):
    need = needs[0]
    assert client.get(f"/needs/{need.pk}/").status_code == 200
    with override_settings(ELASTICSEARCH_URL=""):
        assert "尿毒症" in client.get("/needs/", {"q": "透析"}).text

    case = need.case
    case.status = "closed"
    with django_capture_on_commit_callbacks(execute=True):
        case.save()

    need.refresh_from_db()
    assert not need.live
    assert client.get(f"/needs/{need.pk}/").status_code == 404
    # Four dialysis needs are left: fewer than k=5, so they are withheld too.
    for other in needs[1:5]:
        other.refresh_from_db()
        assert other.live and other.withheld, other.withheld_reason
    with override_settings(ELASTICSEARCH_URL=""):
        assert public_need_list(filters=NeedFilters(q="透析")).total == 0
        assert public_need_list(filters=NeedFilters(q="助学")).total == 5
