"""No personal data on the public side: the de-identification corpus pushed through the
whole publication path (derive, approve, k-check, index, render)."""

import json

import pytest

from matching.cases.models import Member
from matching.publication.models import PublicNeed
from search import indexer
from tests.matching.publication import publication_factories as pf

pytestmark = [pytest.mark.elasticsearch, pytest.mark.django_db]


def _identifiers(case):
    """Everything in the case file that must never be published."""
    found = {case.household.address, case.contact_phone, case.receipt_number}
    for member in Member.objects.filter(household=case.household):
        found |= {member.name, member.id_number, member.phone}
    return {value for value in found if value}


@pytest.fixture
def published_corpus(places, reviewer, public_index, es_client):
    identifiers = set()
    for item in pf.CORPUS:
        case = pf.corpus_case(places["hongqi"], item)
        identifiers |= _identifiers(case) | {original for _kind, original in item.expected}
        need = pf.services.public_need_derive(case=case)
        pf.approve(need, reviewer)
    indexer.drain()
    es_client.indices.refresh(index=public_index)
    return identifiers


def _leaks(text, identifiers):
    return sorted(identifier for identifier in identifiers if identifier in text)


def test_no_identifier_of_the_corpus_reaches_the_public_side(
    published_corpus, es_client, public_index, client
):
    assert PublicNeed.objects.public().count() == len(pf.CORPUS)

    for need in PublicNeed.objects.all():
        published = json.dumps(
            [need.title, need.story, need.age_bands, need.statuses], ensure_ascii=False
        )
        assert _leaks(published, published_corpus) == [], need.pk

    hits = es_client.search(index=public_index, size=1000)["hits"]["hits"]
    assert len(hits) == len(pf.CORPUS)
    assert _leaks(json.dumps(hits, ensure_ascii=False), published_corpus) == []
    # The index holds published fields only: no case link, no raw quasi-identifiers.
    assert {"case", "case_id", "quasi", "receipt_number"}.isdisjoint(hits[0]["_source"])

    pages = ["/", "/needs/", "/needs/?page=2", "/projects/", "/needs/?q=透析"]
    pages += [f"/needs/{pk}/" for pk in PublicNeed.objects.values_list("pk", flat=True)]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _leaks(response.text, published_corpus) == [], url
