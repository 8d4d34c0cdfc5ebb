"""Every hard constraint, against real Elasticsearch and the in-process backend."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from matching_city import EXCLUDED, PROPOSED, need, offers, organization, project, tree

from matching.cases import services as case_services
from matching.offers.models import Match, MatchStatus, OfferType
from search import indexer
from search.client import get_client
from search.matcher import ElasticsearchBackend, InProcessBackend, propose

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["elasticsearch", "inprocess"])
def backend(request):
    if request.param == "inprocess":
        return InProcessBackend()
    request.getfixturevalue("offers_index")
    return ElasticsearchBackend()


def publish_offers():
    """Drain the outbox and make the writes searchable (the worker's job in production)."""
    indexer.drain()
    get_client().indices.refresh(index="_all")


@pytest.fixture
def city():
    _, _, hongqi = tree()
    offers()
    return hongqi


@pytest.mark.elasticsearch
def test_only_offers_satisfying_every_constraint_are_proposed(city, backend):
    publish_offers()
    result = propose(need(city), top=20, backend=backend)
    assert {p["offer"] for p in result["proposals"]} == PROPOSED


@pytest.mark.elasticsearch
@pytest.mark.parametrize(("offer", "reason"), EXCLUDED.items())
def test_a_violating_offer_is_excluded_with_its_reason(city, backend, offer, reason):
    publish_offers()
    result = propose(need(city), top=20, backend=backend, excluded_limit=20)
    assert offer not in {p["offer"] for p in result["proposals"]}
    excluded = {e["offer"]: e["reason"] for e in result["excluded"]}
    assert reason in excluded[offer]


@pytest.mark.elasticsearch
def test_duplicate_assistance_rules_out_the_category_already_received(city, backend):
    case = need(city)
    member = case.household.members.order_by("id").first()
    case_services.assistance_record_submit(
        id_number=member.id_number,
        category="medical",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        source="manual",
        provider_department="health",
    )
    publish_offers()
    result = propose(case, top=20, backend=backend, excluded_limit=20)
    proposed = {p["offer"] for p in result["proposals"]}
    assert proposed == {"V-near"}  # volunteers give daily-life help, not medical money
    excluded = {e["offer"]: e["reason"] for e in result["excluded"]}
    assert excluded["P-dialysis"] == "重复救助：医疗救助，卫生健康，至 2026-12-31"


@pytest.mark.elasticsearch
def test_reasons_explain_each_proposal(city, backend):
    publish_offers()
    result = propose(need(city), top=20, backend=backend)
    by_offer = {p["offer"]: p for p in result["proposals"]}
    assert any("公里" in reason for reason in by_offer["V-near"]["reasons"])
    assert "服务 220104" in by_offer["P-dialysis"]["reasons"]
    assert "类别：医疗救助" in by_offer["P-dialysis"]["reasons"]
    assert "可覆盖所需金额 60%" in by_offer["P-dialysis"]["reasons"]
    assert all(0 < p["score"] <= 1 for p in result["proposals"])


@pytest.mark.elasticsearch
def test_load_is_spread_an_organization_with_open_matches_ranks_below_an_idle_one(city, backend):
    busy, idle = organization("O-busy", "忙碌的慈善会"), organization("O-idle", "空闲的慈善会")
    # Two projects alike in everything but their organization's open matches.
    busy_project = project(busy, "P-busy", title="重症透析资助")
    project(idle, "P-idle", title="重症透析资助")
    other = need(city, ref="N-other")
    for status in (MatchStatus.PROPOSED, MatchStatus.APPROVED, MatchStatus.DECLINED):
        Match.objects.create(
            need=other,
            offer_type=OfferType.PROJECT,
            project=busy_project,
            score=0.5,
            status=status,
        )
    publish_offers()
    result = propose(need(city, ref="N-2"), top=20, backend=backend)
    refs = [p["offer"] for p in result["proposals"]]
    assert refs.index("P-idle") < refs.index("P-busy")
    by_offer = {p["offer"]: p for p in result["proposals"]}
    # Declined matches are not open: two of the three count.
    assert "该组织已有 2 个进行中的匹配" in by_offer["P-busy"]["reasons"]
    assert not any("进行中的匹配" in reason for reason in by_offer["P-idle"]["reasons"])


@pytest.mark.elasticsearch
def test_one_case_one_plan_covers_every_form_and_the_money(city, backend):
    publish_offers()
    plan = propose(need(city), top=20, backend=backend)["plan"]
    covered = {form for part in plan for form in part["covers"]}
    assert covered == {"material", "daily_life"}
    assert sum(float(part["amount"]) for part in plan) == 5000.0


@pytest.mark.elasticsearch
def test_both_backends_give_identical_proposals(city, offers_index):
    publish_offers()
    case = need(city)
    assert (
        propose(case, top=20, backend=ElasticsearchBackend())["proposals"]
        == propose(case, top=20, backend=InProcessBackend())["proposals"]
    )


@pytest.mark.elasticsearch
def test_the_match_command_prints_the_interchange_json(city, offers_index, capsys):
    publish_offers()
    need(city)
    call_command("match", "N-1", "--top", "2", "--json")
    import json

    printed = json.loads(capsys.readouterr().out)
    assert printed["need"] == "N-1"
    assert len(printed["proposals"]) == 2
    assert set(printed["proposals"][0]) == {"offer", "type", "score", "reasons", "parts"}
    assert printed["proposals"][0]["score"] >= printed["proposals"][1]["score"]
    assert all(set(e) >= {"offer", "reason"} for e in printed["excluded"])


def test_an_unknown_need_is_a_clear_error():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="未找到求助 N-404"):
        call_command("match", "N-404", "--json")


def test_match_with_elasticsearch_unreachable_names_the_address(settings):
    from django.core.management import CommandError

    from search import client

    _, _, hongqi = tree()
    need(hongqi)
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    client._client.cache_clear()
    with pytest.raises(CommandError, match=re.escape("http://127.0.0.1:1")):
        call_command("match", "N-1", "--json")


@pytest.mark.elasticsearch
def test_close_exclusions_from_the_pool_are_those_of_the_exact_search(city, offers_index):
    """The exclusions are picked among a pool of close offers; when the pool
    holds every close offer they are exactly what the must_not search finds."""
    from django.utils import timezone

    from matching.directory.selectors import dishonest_organization_ids
    from matching.offers.profile import need_profile_get
    from search.constraints import Context

    publish_offers()
    backend = ElasticsearchBackend()
    profile = need_profile_get(need=need(city))
    ctx = Context(
        today=timezone.localdate(),
        dishonest_orgs=frozenset(str(pk) for pk in dishonest_organization_ids()),
    )
    _, pooled = backend.both(profile, ctx, excluded=20)
    exact = backend.near_misses(profile, ctx, 20)
    assert {d["ref"] for d in pooled} == {d["ref"] for d in exact} == set(EXCLUDED)


@pytest.mark.elasticsearch
def test_a_pool_without_enough_violators_falls_back_to_the_exact_search(
    city, offers_index, monkeypatch
):
    from search import matcher

    publish_offers()
    # A full pool of offers that satisfy every constraint: nothing to exclude in it.
    monkeypatch.setattr(matcher, "NEAR_MISS_POOL", len(PROPOSED))

    def only_proposable(self, profile, size, fetch=None):
        query = {"terms": {"ref": sorted(PROPOSED)}}
        return {"query": query, "size": size, **(fetch or {})}

    monkeypatch.setattr(ElasticsearchBackend, "_pool_body", only_proposable)
    result = propose(need(city), top=20, backend=ElasticsearchBackend(), excluded_limit=3)
    assert len(result["excluded"]) == 3
    for item in result["excluded"]:
        assert EXCLUDED[item["offer"]] in item["reason"]


def fund(org, ref, *, balance, max_per_case, categories=("medical",), name="医疗救助基金"):
    from decimal import Decimal

    from matching.offers.models import Fund

    return Fund.objects.create(
        organization=org,
        ref=ref,
        name=name,
        categories=list(categories),
        balance=Decimal(balance),
        max_per_case=Decimal(max_per_case),
    )


@pytest.mark.elasticsearch
def test_a_fund_short_of_money_shows_what_it_can_pay_and_ranks_below_one_that_can(backend):
    _, _, hongqi = tree()
    org = organization("O-funds", "长春市慈善总会", "220100")
    # Alike but for the balance; the short one sorts first by reference, so a
    # tie would put it on top.
    fund(org, "F-a-short", balance="1000.00", max_per_case="5000.00")
    fund(org, "F-b-full", balance="50000.00", max_per_case="5000.00")
    publish_offers()
    result = propose(need(hongqi), top=20, backend=backend)  # needs 5,000 yuan
    refs = [p["offer"] for p in result["proposals"]]
    assert refs.index("F-b-full") < refs.index("F-a-short")
    by_offer = {p["offer"]: p for p in result["proposals"]}
    assert "可覆盖所需金额 20%" in by_offer["F-a-short"]["reasons"]
    assert "可覆盖所需金额 100%" in by_offer["F-b-full"]["reasons"]
    assert by_offer["F-b-full"]["score"] > by_offer["F-a-short"]["score"]


@pytest.mark.elasticsearch
def test_the_plan_takes_from_a_fund_no_more_than_its_balance(backend):
    _, _, hongqi = tree()
    org = organization("O-funds", "长春市慈善总会", "220100")
    fund(org, "F-short", balance="1000.00", max_per_case="5000.00")
    project(org, "P-dialysis")  # 3,000 a case
    publish_offers()
    plan = propose(need(hongqi), top=20, backend=backend)["plan"]
    amounts = {part["offer"]: part["amount"] for part in plan}
    assert amounts["F-short"] == "1000.00"
    assert amounts["P-dialysis"] == "3000.00"


@pytest.mark.elasticsearch
def test_an_offer_serving_more_of_the_needs_categories_ranks_above_one_serving_fewer(backend):
    _, _, hongqi = tree()
    org = organization("O-1", "长春市慈善总会", "220100")
    # Alike but for the categories; the narrower one sorts first by reference.
    project(org, "P-a-medical", categories=["medical"])
    project(org, "P-b-both", categories=["medical", "temporary"])
    publish_offers()
    result = propose(need(hongqi, categories=("medical", "temporary")), top=20, backend=backend)
    refs = [p["offer"] for p in result["proposals"]]
    assert refs.index("P-b-both") < refs.index("P-a-medical")
    by_offer = {p["offer"]: p for p in result["proposals"]}
    assert by_offer["P-b-both"]["score"] > by_offer["P-a-medical"]["score"]


def generated_city(seed=22):
    """A random slice of offers around the household: most share something
    with the needs below, many violate one constraint or another."""
    import random
    from decimal import Decimal

    from matching_city import HOME, volunteer

    rng = random.Random(seed)
    _, _, hongqi = tree()
    orgs = [
        organization(f"O-g{i}", f"生成组织{i}", rng.choice(["220100", "220104"])) for i in range(4)
    ]
    categories = ["medical", "education", "temporary", "housing"]
    forms = ["material", "daily_life", "counselling", "capability"]
    titles = ["大病透析救助", "困难学生助学金", "独居老人陪伴", "危房修缮", "心理疏导热线"]
    for i in range(40):
        project(
            rng.choice(orgs),
            f"P-g{i:02d}",
            title=rng.choice(titles),
            categories=rng.sample(categories, rng.choice([1, 2])),
            forms=rng.sample(forms, rng.choice([1, 2])),
            jurisdictions=[rng.choice(["220100", "220104", "220102", "220104007"])],
            budget_remaining=Decimal(rng.choice([0, 2000, 20000])),
            slots_remaining=rng.choice([None, 0, 5]),
            min_age=rng.choice([None, 60]),
        )
    for i in range(25):
        volunteer(
            f"V-g{i:02d}",
            at=(HOME[0] + rng.uniform(-0.1, 0.1), HOME[1] + rng.uniform(-0.1, 0.1)),
            radius=rng.choice(["2.0", "5.0", "10.0"]),
            forms=rng.sample(forms, rng.choice([1, 2])),
            hours_per_week=rng.choice([0, 4]),
        )
    for i in range(10):
        fund(
            rng.choice(orgs),
            f"F-g{i:02d}",
            balance=rng.choice(["0", "1000.00", "50000.00"]),
            max_per_case="3000.00",
            categories=rng.sample(categories, 1),
        )
    return [
        need(hongqi, ref="N-g1"),
        need(hongqi, ref="N-g2", categories=("education", "temporary"), forms=("capability",)),
        need(hongqi, ref="N-g3", categories=("housing",), forms=("daily_life",), location=None),
        need(hongqi, ref="N-g4", categories=("temporary",), forms=()),  # any form: every volunteer
    ]


@pytest.mark.elasticsearch
def test_the_in_process_fast_path_and_elasticsearch_propose_the_same_on_a_generated_city(
    offers_index,
):
    needs = generated_city()
    publish_offers()
    for case in needs:
        fast = propose(case, top=200, backend=InProcessBackend())
        searched = propose(case, top=200, backend=ElasticsearchBackend())
        assert fast["proposals"], case.ref  # the comparison is not vacuous
        assert fast["proposals"] == searched["proposals"], case.ref
        assert fast["plan"] == searched["plan"], case.ref


def test_the_in_process_close_exclusions_are_those_of_a_walk_over_every_offer():
    from django.utils import timezone

    from matching.offers.profile import need_profile_get
    from search import registry
    from search.constraints import Context, first_violation
    from search.scoring import bigrams

    needs = generated_city()
    today = timezone.localdate()
    ctx = Context(today=today)
    every = [
        source.prepare(row)
        for source in registry.spec("offers").sources
        for row in source.queryset()
    ]
    for case in needs:
        profile = need_profile_get(need=case, day=today)
        shares = [
            doc
            for doc in every
            if set(doc["categories"]) & set(profile.categories)
            or set(doc["forms"]) & set(profile.forms)
        ]
        close = [doc for doc in shares if first_violation(profile, doc, ctx)]
        grams = bigrams(profile.text)
        close.sort(key=lambda doc: (-len(bigrams(doc["title"]) & grams), doc["ref"]))
        passing = [doc["ref"] for doc in every if first_violation(profile, doc, ctx) is None]
        candidates, near = InProcessBackend().both(profile, ctx, excluded=10)
        assert len(close) > 10, case.ref  # the cut-off matters
        assert [doc["ref"] for doc in near] == [doc["ref"] for doc in close[:10]], case.ref
        assert [doc["ref"] for doc in candidates] == passing, case.ref
