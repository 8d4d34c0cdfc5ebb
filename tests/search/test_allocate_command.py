"""``manage.py allocate`` on the matcher's small city: capacities, the org cap, proposals."""

import io
import json
import random
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from matching_city import HOME, need, offers, organization, project, tree, volunteer

from matching.cases.models import Case, CaseStatus
from matching.offers.models import Fund, Match, MatchStatus, Volunteer
from search import indexer
from search.client import get_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """Five open needs (one an emergency) and one still being verified.

    Of the offers only P-dialysis and F-medical (both of 长春市慈善总会) and
    V-near (an independent volunteer, 4 hours a week: two households) fit.
    """
    _, _, hongqi = tree()
    offers()
    for number in range(1, 6):
        need(hongqi, ref=f"N-{number}", urgency="emergency" if number == 5 else "normal")
    need(hongqi, ref="N-new")
    Case.objects.exclude(ref="N-new").update(status=CaseStatus.APPROVED)
    return hongqi


def allocate(*args):
    out = io.StringIO()
    call_command("allocate", "--json", "--backend", "inprocess", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_report_compares_optimal_with_greedy_under_every_cap(city):
    report = allocate("--org-share", "0.2")
    assert report["needs"] == 5  # N-new is not open yet
    assert report["org_cap"] == 1  # 20% of five needs
    assert report["offers"] == 3 and report["edges"] == 15
    for solver in ("optimal", "greedy"):
        # One case for the charity federation (the cap), two for the volunteer (hours).
        assert report[solver]["assigned"] == 3
        assert report[solver]["max_org_load"] == 1
        assert report[solver]["emergencies_assigned"] == 1
    assert report["optimal"]["score"] >= report["greedy"]["score"]
    assert report["saved"] == 0 and not Match.objects.exists()


def test_save_records_the_optimal_assignment_as_proposals_once(city):
    report = allocate("--org-share", "0.2", "--save")
    matches = list(Match.objects.select_related("need", "project", "volunteer", "fund"))
    assert report["saved"] == len(matches) == report["optimal"]["assigned"]
    assert all(m.status == MatchStatus.PROPOSED and m.reasons and m.score > 0 for m in matches)
    assert max(Counter(m.need_id for m in matches).values()) == 1
    assert Counter(m.offer.ref for m in matches)["V-near"] <= 2
    assert sum(m.offer_type != "volunteer" for m in matches) == 1  # the organization's cap
    assert "N-5" in {m.need.ref for m in matches}  # the emergency
    assert round(sum(m.score for m in matches), 4) == report["optimal"]["score"]
    again = allocate("--org-share", "0.2", "--save")
    assert again["needs"] == 2  # needs already holding a proposal are in the staff's queue
    # The volunteer's two households are taken by pending proposals; the org's share is per batch.
    assert again["saved"] == again["optimal"]["assigned"] == 1
    assert Counter(m.offer.ref for m in Match.objects.all())["V-near"] == 2
    assert max(Counter(Match.objects.values_list("need_id", flat=True)).values()) == 1


def test_a_pair_turned_down_is_not_allocated_again(city):
    allocate("--org-share", "1", "--save")
    Match.objects.update(status=MatchStatus.DECLINED)
    report = allocate("--org-share", "1", "--save")
    pairs = Counter((m.need_id, m.offer.ref) for m in Match.objects.all())
    assert report["needs"] == 5 and report["edges"] == 10  # 15 candidates, 5 turned down
    assert report["saved"] == 5 and max(pairs.values()) == 1


def test_a_larger_share_lets_the_organization_take_more(city):
    report = allocate("--org-share", "1")
    assert report["optimal"]["assigned"] == 5
    assert report["optimal"]["max_org_load"] >= 3  # more than the one case at 20%


def test_the_table_is_readable_and_bad_options_are_refused(city):
    out = io.StringIO()
    call_command("allocate", "--backend", "inprocess", stdout=out)
    assert "全局最优" in out.getvalue() and "逐一贪心" in out.getvalue()
    with pytest.raises(CommandError, match="org-share"):
        call_command("allocate", "--org-share", "0")


@pytest.mark.elasticsearch
def test_elasticsearch_retrieval_gives_the_same_allocation(city, offers_index):
    indexer.drain()
    get_client().indices.refresh(index="_all")
    out = io.StringIO()
    call_command("allocate", "--json", "--backend", "elasticsearch", stdout=out)
    remote, local = json.loads(out.getvalue()), allocate()
    for report in (remote, local):
        for solver in ("optimal", "greedy"):
            report[solver].pop("seconds")
    assert remote == local


@pytest.fixture
def generated_city():
    """A seeded slice: 30 open needs, 24 offers of four organizations, scarce capacity."""
    rng = random.Random(20261128)
    _, _, hongqi = tree()
    orgs = [organization(f"O-{i}", f"慈善组织{i}", "220100") for i in range(4)]
    for i in range(30):
        spot = (HOME[0] + rng.uniform(-0.03, 0.03), HOME[1] + rng.uniform(-0.03, 0.03))
        need(
            hongqi,
            ref=f"N-{i}",
            categories=rng.sample(["medical", "temporary", "education"], 2),
            forms=[rng.choice(["material", "daily_life"])],
            location=spot,
            urgency="emergency" if i % 7 == 0 else "normal",
        )
    for i in range(16):
        project(
            rng.choice(orgs[:2]),  # two organizations hold most offers: the cap binds
            f"P-{i}",
            categories=[rng.choice(["medical", "temporary", "education"])],
            slots_remaining=rng.choice([None, 1, 2]),
            budget_remaining=Decimal(rng.choice(["4000.00", "9000.00", "20000.00"])),
            max_per_case=Decimal("3000.00"),
            title=rng.choice(["大病透析救助", "临时困难救助", "助学金"]),
        )
    for i in range(5):
        volunteer(f"V-{i}", at=HOME, radius="8.0", hours_per_week=rng.choice([2, 4]))
    for i in range(3):
        Fund.objects.create(
            organization=orgs[2 + i % 2],
            ref=f"F-{i}",
            name=f"医疗救助基金{i}",
            categories=["medical"],
            balance=Decimal("5000.00"),
            max_per_case=Decimal("2000.00"),
        )
    Case.objects.update(status=CaseStatus.PUBLISHED)


def cases_left(offer):
    """The capacity the allocation may use, read from the model rather than the index."""
    if isinstance(offer, Volunteer):
        return max(1, offer.hours_per_week // 2)
    budget = offer.balance if isinstance(offer, Fund) else offer.budget_remaining
    by_money = int(budget // offer.max_per_case)
    slots = getattr(offer, "slots_remaining", None)
    return by_money if slots is None else min(slots, by_money)


def test_on_a_generated_city_no_capacity_budget_or_cap_is_exceeded(generated_city):
    report = allocate("--org-share", "0.2", "--save")
    matches = list(Match.objects.select_related("project", "volunteer", "fund"))
    assert report["needs"] == 30 and report["saved"] == len(matches) > 10
    assert report["optimal"]["score"] >= report["greedy"]["score"]
    per_offer = Counter(m.offer for m in matches)
    for offer, used in per_offer.items():
        assert used <= cases_left(offer), offer.ref
    for offer in {m.offer for m in matches if m.offer_type != "volunteer"}:
        money = offer.balance if isinstance(offer, Fund) else offer.budget_remaining
        proposed = sum(m.amount for m in matches if m.offer == offer)
        assert proposed <= money, offer.ref
    per_org = Counter(m.offer.organization_id for m in matches if m.offer.organization_id)
    assert max(per_org.values()) <= report["org_cap"] == 6
    Match.objects.all().delete()
    assert allocate("--org-share", "1")["optimal"]["max_org_load"] > 6  # so the cap did bind
    assert len({m.need_id for m in matches}) == len(matches)
