"""The in-process matcher's cache of prepared offers (search.offer_cache):
every committed change, made in this process or another, is seen by the next
match; a transaction sees its own changes and the cache never keeps them; and
the cached fast path proposes what Elasticsearch proposes."""

import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection, transaction
from matching_city import HOME, PROPOSED, need, offers, organization, project, tree, volunteer

from matching.offers.models import Fund, Project, Volunteer
from search import indexer, offer_cache, outbox, versions
from search.client import get_client
from search.matcher import ElasticsearchBackend, InProcessBackend, propose

REPO = Path(__file__).resolve().parents[2]
transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture
def builds(monkeypatch):
    """How many snapshots were built (each one reads and prepares every offer)."""
    counted = []
    real = offer_cache.build

    def counting(token):
        counted.append(token)
        return real(token)

    monkeypatch.setattr(offer_cache, "build", counting)
    offer_cache.forget()
    yield counted
    offer_cache.forget()


def proposed(case):
    return {p["offer"] for p in propose(case, top=20, backend=InProcessBackend())["proposals"]}


def excluded(case):
    result = propose(case, top=20, backend=InProcessBackend(), excluded_limit=30)
    return {e["offer"]: e["reason"] for e in result["excluded"]}


@transactional
def test_matches_share_one_snapshot_until_a_change_commits(builds):
    _, _, hongqi = tree()
    offers()
    case = need(hongqi)

    assert proposed(case) == PROPOSED
    assert proposed(case) == PROPOSED
    assert len(builds) == 1  # the second match read no offer row
    assert builds[0] == versions.token("offers") is not None

    project(organization("O-new", "新成立的慈善会"), "P-new", title="透析费用补助")
    assert proposed(case) == PROPOSED | {"P-new"}
    assert len(builds) == 2


@transactional
def test_a_deactivated_volunteer_and_a_fund_drained_by_a_bulk_update_are_seen(builds):
    _, _, hongqi = tree()
    offers()
    case = need(hongqi)
    assert proposed(case) == PROPOSED

    near = Volunteer.objects.get(ref="V-near")
    near.active = False
    near.save()
    assert proposed(case) == PROPOSED - {"V-near"}
    assert "已停用" in excluded(case)["V-near"]

    # A bulk write skips the signals; it reports its rows, as for Elasticsearch.
    fund = Fund.objects.filter(ref="F-medical")
    fund.update(balance=Decimal("0.00"))
    outbox.record_changes(Fund, list(fund.values_list("pk", flat=True)))
    assert proposed(case) == {"P-dialysis"}
    assert excluded(case)["F-medical"] == "资金已用完"


@transactional
def test_a_change_committed_by_another_process_is_seen_by_the_next_match(builds):
    _, _, hongqi = tree()
    offers()
    case = need(hongqi)
    assert proposed(case) == PROPOSED
    built = len(builds)

    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    code = (
        "from matching.offers.models import Project\n"
        "p = Project.objects.get(ref='P-dialysis')\n"
        "p.slots_remaining = 0\n"
        "p.save()\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ELASTICSEARCH_URL": "",  # the embedded default: no outbox, only the version
    }
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )

    assert proposed(case) == PROPOSED - {"P-dialysis"}
    assert excluded(case)["P-dialysis"] == "名额已满"
    assert len(builds) == built + 1


@transactional
def test_a_transaction_sees_its_own_change_and_the_cache_never_keeps_it(builds):
    _, _, hongqi = tree()
    offers()
    case = need(hongqi)
    assert proposed(case) == PROPOSED

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        project(organization("O-new", "新成立的慈善会"), "P-uncommitted")
        assert proposed(case) == PROPOSED | {"P-uncommitted"}
        assert builds[-1] is None  # built for this transaction alone
        raise RolledBack

    assert proposed(case) == PROPOSED
    cached = offer_cache.snapshot()
    assert cached.token == versions.token("offers") is not None
    assert "P-uncommitted" not in cached.refs
    assert "P-dialysis" in cached.refs


@pytest.mark.django_db
def test_many_saves_in_one_transaction_replace_the_token_once(django_capture_on_commit_callbacks):
    tree()
    org = organization("O-1", "长春市慈善总会", "220100")
    before = versions.token("offers")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for number in range(30):
            project(org, f"P-{number}")
        Project.objects.filter(ref="P-3").delete()
    bumps = [c for c in callbacks if c is versions._BUMPERS["offers"]]
    assert len(bumps) == 1
    assert versions.token("offers") not in (None, before)


def test_the_version_sql_names_the_models_table():
    from search.models import IndexVersion

    assert IndexVersion._meta.db_table in versions._UPSERT
    assert IndexVersion._meta.db_table in versions._SELECT


def larger_generated_city(seed=2022, *, projects=150, volunteers=60, funds=30):
    """Offers around the household (~240 by default), most of them sharing
    something with the needs, many violating one constraint, a few by a
    dishonest charity."""
    rng = random.Random(seed)
    _, _, hongqi = tree()
    cheat = offers()  # the hand-made slice, with its dishonest organization
    orgs = [
        organization(f"O-g{i}", f"生成组织{i}", rng.choice(["220100", "220104", "220102"]))
        for i in range(6)
    ] + [cheat]
    categories = ["medical", "education", "temporary", "housing", "subsistence"]
    forms = ["material", "daily_life", "counselling", "capability", "emotional"]
    titles = ["大病透析救助", "困难学生助学金", "独居老人陪伴", "危房修缮", "心理疏导热线", "助餐"]
    for i in range(projects):
        project(
            rng.choice(orgs),
            f"P-g{i:03d}",
            title=rng.choice(titles),
            categories=rng.sample(categories, rng.choice([1, 2])),
            forms=rng.sample(forms, rng.choice([1, 2])),
            jurisdictions=[rng.choice(["220100", "220104", "220102", "220104007", "220105"])],
            budget_remaining=rng.choice([None, Decimal(0), Decimal(2000), Decimal(20000)]),
            slots_remaining=rng.choice([None, 0, 5]),
            min_age=rng.choice([None, None, 60, 18]),
            max_age=rng.choice([None, None, 17]),
            household_status_any=rng.choice([[], [], ["low_income"], ["disability"]]),
        )
    for i in range(volunteers):
        volunteer(
            f"V-g{i:03d}",
            name=rng.choice(["张志愿", "李志愿", "王志愿"]),
            at=(HOME[0] + rng.uniform(-0.15, 0.15), HOME[1] + rng.uniform(-0.15, 0.15)),
            radius=rng.choice(["1.0", "2.0", "5.0", "10.0"]),
            forms=rng.sample(forms, rng.choice([1, 2])),
            jurisdiction_id=rng.choice(["220104", "220102"]),
            hours_per_week=rng.choice([0, 4, 8]),
            active=rng.random() > 0.1,
        )
    for i in range(funds):
        Fund.objects.create(
            organization=rng.choice(orgs),
            ref=f"F-g{i:03d}",
            name=rng.choice(["医疗救助基金", "助学基金", "临时救助金"]),
            categories=rng.sample(categories, 1),
            balance=Decimal(rng.choice(["0", "1000.00", "50000.00"])),
            max_per_case=Decimal("3000.00"),
        )
    return [
        need(hongqi, ref="N-g1"),
        need(hongqi, ref="N-g2", categories=("education", "temporary"), forms=("capability",)),
        need(hongqi, ref="N-g3", categories=("housing",), forms=("daily_life",), location=None),
        need(hongqi, ref="N-g4", categories=("temporary",), forms=()),
        need(hongqi, ref="N-g5", categories=("subsistence", "medical"), forms=("emotional",)),
        need(hongqi, ref="N-g6", categories=("medical",), forms=("material",), location=None),
    ]


@pytest.mark.elasticsearch
@transactional
def test_the_cached_fast_path_proposes_what_elasticsearch_proposes(builds, offers_index, settings):
    settings.SEARCH_LIVE_INDEXING = False  # one drain below, not one per save
    needs = larger_generated_city()
    indexer.drain()
    get_client().indices.refresh(index=offers_index)
    fast, searched = InProcessBackend(), ElasticsearchBackend()
    compared = 0
    for case in needs:
        mine = propose(case, top=300, backend=fast, excluded_limit=10)
        theirs = propose(case, top=300, backend=searched, excluded_limit=10)
        assert mine["proposals"], case.ref  # the comparison is not vacuous
        assert mine["proposals"] == theirs["proposals"], case.ref
        assert mine["plan"] == theirs["plan"], case.ref
        assert len(mine["excluded"]) == 10, case.ref
        compared += len(mine["proposals"])
    assert compared >= 40
    assert len(builds) == 1  # every match above read the one cached snapshot


@pytest.mark.django_db
def test_the_closest_exclusions_are_ordered_as_a_sort_of_every_one_would_order_them():
    """By title bigrams shared with the need, then ref, then walk order --
    whether picked one by one (few) or by groups of equal titles (many)."""
    from django.utils import timezone

    from matching.offers.profile import need_profile_get
    from search.scoring import bigrams

    needs = larger_generated_city(projects=40, volunteers=15, funds=8)
    snapshot = offer_cache.build(None)
    rng = random.Random(7)
    groups = len(snapshot.by_title_grams)
    for case in needs:
        profile = need_profile_get(need=case, day=timezone.localdate())
        grams = bigrams(profile.text)
        for size in (1, 3, groups - 1, groups + 1, 60, len(snapshot)):
            positions = set(rng.sample(range(len(snapshot)), size))
            expected = sorted(
                positions,
                key=lambda p: (
                    -len(bigrams(snapshot.doc(p)["title"]) & grams),
                    snapshot.doc(p)["ref"],
                    p,
                ),
            )[:10]
            chosen = snapshot._closest(profile, positions, 10)
            assert [d["ref"] for d in chosen] == [snapshot.doc(p)["ref"] for p in expected]
