"""A fund's ``jurisdictions``: it serves the districts it names, on both backends;
without them it serves its organization's jurisdiction, as before."""

from decimal import Decimal

import pytest
from matching_city import need, organization, place, tree

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


@pytest.fixture
def hongqi():
    city, _, street = tree()
    place("220106", "绿园区", "district", city)
    return street


def fund(org, ref, areas=()):
    return Fund.objects.create(
        organization=org,
        ref=ref,
        name="医疗救助基金",
        categories=["medical"],
        jurisdictions=list(areas),
        balance=Decimal("50000.00"),
        max_per_case=Decimal("2000.00"),
    )


def outcome(case, backend):
    indexer.drain()
    get_client().indices.refresh(index="_all")
    result = propose(case, top=20, backend=backend, excluded_limit=20)
    proposed = {p["offer"]: p for p in result["proposals"]}
    excluded = {e["offer"]: e["reason"] for e in result["excluded"]}
    return proposed, excluded


def test_a_fund_naming_two_districts_serves_needs_there_and_not_elsewhere(hongqi, backend):
    lvyuan = organization("O-lvyuan", "绿园区慈善会", "220106")
    chaoyang = organization("O-chaoyang", "朝阳区慈善会", "220104")
    # Registered in 绿园区 but serving 朝阳区 and 南关区.
    fund(lvyuan, "F-two", ["220104", "220102"])
    # Registered in 朝阳区 but serving only 南关区 and 绿园区.
    fund(chaoyang, "F-elsewhere", ["220102", "220106"])
    proposed, excluded = outcome(need(hongqi), backend)
    assert "F-two" in proposed
    assert "服务 220104" in proposed["F-two"]["reasons"]
    assert "F-elsewhere" not in proposed
    assert "不在服务区域内" in excluded["F-elsewhere"]


def test_a_fund_without_jurisdictions_serves_its_organizations_jurisdiction(hongqi, backend):
    fund(organization("O-chaoyang", "朝阳区慈善会", "220104"), "F-home")
    fund(organization("O-nanguan", "南关区慈善会", "220102"), "F-away")
    fund(organization("O-city", "长春市慈善总会", "220100"), "F-city")
    proposed, excluded = outcome(need(hongqi), backend)
    assert {"F-home", "F-city"} <= set(proposed)
    assert "不在服务区域内" in excluded["F-away"]


def test_changing_a_funds_areas_moves_it_in_the_cache_and_the_index(hongqi, backend):
    chaoyang = organization("O-chaoyang", "朝阳区慈善会", "220104")
    moved = fund(chaoyang, "F-moved")
    proposed, _ = outcome(need(hongqi), backend)
    assert "F-moved" in proposed
    moved.jurisdictions = ["220106"]
    moved.save()
    proposed, excluded = outcome(need(hongqi, ref="N-2"), backend)
    assert "F-moved" not in proposed
    assert "不在服务区域内" in excluded["F-moved"]


def test_a_government_fund_serves_its_departments_area_or_the_codes_it_names(hongqi, backend):
    from matching.directory.models import Department
    from matching.offers.models import FundSource

    def government_fund(ref, code, areas=()):
        department, _ = Department.objects.get_or_create(
            kind=Department.Kind.CIVIL_AFFAIRS,
            jurisdiction_id=code,
            defaults={"name": f"{code} 民政局"},
        )
        return Fund.objects.create(
            source=FundSource.GOVERNMENT,
            department=department,
            ref=ref,
            name="临时救助资金",
            categories=["medical", "temporary"],
            jurisdictions=list(areas),
            balance=Decimal("50000.00"),
            max_per_case=Decimal("2000.00"),
        )

    government_fund("GF-chaoyang", "220104")
    government_fund("GF-nanguan", "220102")
    government_fund("GF-city-for-chaoyang", "220100", ["220104"])
    proposed, excluded = outcome(need(hongqi), backend)
    assert {"GF-chaoyang", "GF-city-for-chaoyang"} <= set(proposed)
    assert "不在服务区域内" in excluded["GF-nanguan"]
