"""Only a verified organization's projects and funds receive proposals, in
Elasticsearch and in process alike; a volunteer is vetted as a person, so
their team's verification does not bar them (docs/organizations.md)."""

from decimal import Decimal

import pytest
from matching_city import need, organization, project, tree, volunteer

from matching.offers.models import Fund
from search import indexer
from search.client import get_client
from search.matcher import ElasticsearchBackend, InProcessBackend, propose

pytestmark = [pytest.mark.django_db, pytest.mark.elasticsearch]


@pytest.fixture(params=["elasticsearch", "inprocess"])
def backend(request):
    if request.param == "inprocess":
        return InProcessBackend()
    request.getfixturevalue("offers_index")
    return ElasticsearchBackend()


def test_an_unverified_organizations_offers_are_excluded_with_the_reason(backend):
    _, _, hongqi = tree()
    vetted = organization("O-vetted", "长春市慈善总会", "220100")
    unvetted = organization("O-new", "新注册的协会")
    unvetted.verified = False
    unvetted.save(update_fields=["verified"])
    project(vetted, "P-vetted")
    project(unvetted, "P-unvetted")
    Fund.objects.create(
        organization=unvetted,
        ref="F-unvetted",
        name="医疗救助基金",
        categories=["medical"],
        balance=Decimal("50000.00"),
        max_per_case=Decimal("5000.00"),
    )
    volunteer("V-team", at=(43.8790, 125.3000), organization=unvetted)
    indexer.drain()
    get_client().indices.refresh(index="_all")

    result = propose(need(hongqi), top=20, backend=backend, excluded_limit=20)

    assert {p["offer"] for p in result["proposals"]} == {"P-vetted", "V-team"}
    excluded = {e["offer"]: e["reason"] for e in result["excluded"]}
    assert excluded["P-unvetted"] == "资源方组织未通过核验"
    assert excluded["F-unvetted"] == "资源方组织未通过核验"
