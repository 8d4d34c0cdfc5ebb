"""Help the platform itself gave counts as assistance received: after a medical
fund's match for a household is approved, a new medical need of the same
household gets no medical money proposed, with the "duplicate assistance"
reason, on both matcher backends. The need the help was given for is not
blocked by its own help."""

import pytest
from matching_city import need, offers, tree

from matching.cases import services as case_services
from matching.cases.models import AssistanceRecord, Case
from matching.directory.models import Role
from matching.directory.services import account_create
from matching.offers.models import Match, MatchStatus
from matching.offers.services import match_decide, match_respond, matches_propose
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
    indexer.drain()
    get_client().indices.refresh(index="_all")


def _approve_fund_match(case, city):
    matches_propose(need=case, proposals=propose(case, backend=InProcessBackend())["proposals"])
    match = Match.objects.get(need=case, fund__ref="F-medical")
    charity = account_create(
        username="charity-admin",
        password="platform-aid-2026",
        role=Role.CHARITY_ADMIN,
        jurisdiction=city,
        organization=match.fund.organization,
    )
    match_respond(match=match, actor=charity, accept=True)
    approver = account_create(
        username="district-staff",
        password="platform-aid-2026",
        role=Role.DISTRICT_STAFF,
        jurisdiction=city,
    )
    match_decide(match=match, actor=approver, approve=True, reason="符合基金条件")
    match.refresh_from_db()
    assert match.status == MatchStatus.APPROVED
    return match


def _second_need(first):
    return case_services.case_submit(
        household=first.household,
        jurisdiction=first.jurisdiction,
        channel=Case.Channel.WINDOW,
        categories=["medical"],
        forms=["material", "daily_life"],
        urgency="normal",
        title="透析费用再次困难",
        description="透析费用仍无力承担，再次申请。",
        contact_phone="13804310001",
    )


@pytest.mark.elasticsearch
def test_an_approved_fund_match_rules_out_a_second_medical_proposal(backend):
    city, _, hongqi = tree()
    offers()
    first = need(hongqi)
    match = _approve_fund_match(first, city)
    record = AssistanceRecord.objects.get(case=first)
    assert record.source == "platform" and record.category == "medical"
    assert record.ref == f"platform:match:{match.pk}:medical"
    second = _second_need(first)
    publish_offers()

    result = propose(second, top=20, backend=backend, excluded_limit=20)
    proposed = {p["offer"] for p in result["proposals"]}
    assert proposed == {"V-near"}  # volunteers only: the medical money is a duplicate
    excluded = {e["offer"]: e["reason"] for e in result["excluded"]}
    until = record.end.isoformat()
    for offer in ("P-dialysis", "F-medical"):
        assert excluded[offer] == f"重复救助：医疗救助，长春市慈善总会，至 {until}"

    # The need the fund paid for is not a duplicate of its own help.
    again = propose(first, top=20, backend=backend, excluded_limit=20)
    assert "P-dialysis" in {p["offer"] for p in again["proposals"]}
