"""Proposals become match records; the offer side answers; staff decide."""

import itertools
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from matching_city import need, offers, organization, project, tree

from matching.core.errors import DomainError, refusal_message
from matching.directory.models import Role
from matching.directory.services import account_create
from matching.offers.models import Fund, Match, MatchStatus, Project
from matching.offers.services import match_decide, match_respond, matches_propose
from search.matcher import InProcessBackend, propose

pytestmark = pytest.mark.django_db


_serial = itertools.count()


def user(role, place, organization=None, name=None):
    return account_create(
        username=name or f"{role}-{place.code}-{next(_serial)}",
        password="x-pass-2026",
        role=role,
        jurisdiction=place,
        organization=organization,
        email=f"{role}@assist.example",
    )


@pytest.fixture
def setting():
    city, chaoyang, hongqi = tree()
    offers()
    case = need(hongqi)
    created = matches_propose(
        need=case, proposals=propose(case, top=10, backend=InProcessBackend())["proposals"]
    )
    dialysis = next(m for m in created if m.project and m.project.ref == "P-dialysis")
    return {"case": case, "created": created, "match": dialysis, "chaoyang": chaoyang, "city": city}


def test_proposals_become_match_records_once(setting):
    case = setting["case"]
    assert {m.offer.ref for m in setting["created"]} == {"P-dialysis", "V-near", "F-medical"}
    again = matches_propose(
        need=case, proposals=propose(case, top=10, backend=InProcessBackend())["proposals"]
    )
    assert again == []
    match = setting["match"]
    assert match.status == MatchStatus.PROPOSED
    assert match.amount == Decimal("3000.00")
    assert "服务 220104" in match.reasons


def test_a_fund_short_of_money_is_proposed_for_what_it_has_left():
    _city, _chaoyang, hongqi = tree()
    offers()
    Fund.objects.filter(ref="F-medical").update(balance=Decimal("800.00"))  # cap 2,000
    case = need(hongqi)
    created = matches_propose(
        need=case, proposals=propose(case, top=10, backend=InProcessBackend())["proposals"]
    )
    fund_match = next(m for m in created if m.fund and m.fund.ref == "F-medical")
    assert fund_match.amount == Decimal("800.00")  # not the 2,000 cap it cannot pay


def test_the_charity_accepts_then_staff_approve_and_capacity_is_reserved(setting):
    match = setting["match"]
    charity_user = user(Role.CHARITY_ADMIN, setting["city"], match.project.organization)
    staff = user(Role.DISTRICT_STAFF, setting["chaoyang"])
    match_respond(match=match, actor=charity_user, accept=True)
    match_decide(match=match, actor=staff, approve=True, reason="符合条件")
    match.refresh_from_db()
    assert match.status == MatchStatus.APPROVED
    assert Project.objects.get(ref="P-dialysis").budget_remaining == Decimal("17000.00")


def test_another_charity_cannot_answer_for_the_offer(setting):
    stranger = user(Role.CHARITY_ADMIN, setting["city"], organization("O-9", "别家协会"))
    with pytest.raises(PermissionDenied):
        match_respond(match=setting["match"], actor=stranger, accept=True)


def test_staff_outside_the_jurisdiction_cannot_decide(setting):
    nanguan = setting["city"].children.get(code="220102")
    with pytest.raises(PermissionDenied):
        match_decide(
            match=setting["match"],
            actor=user(Role.DISTRICT_STAFF, nanguan),
            approve=False,
            reason="不符合",
        )


def test_rejection_needs_a_reason_and_approval_needs_the_offer_side_first(setting):
    staff = user(Role.DISTRICT_STAFF, setting["chaoyang"])
    with pytest.raises(ValidationError, match="理由"):
        match_decide(match=setting["match"], actor=staff, approve=False, reason=" ")
    with pytest.raises(ValidationError, match="不能变为"):
        match_decide(match=setting["match"], actor=staff, approve=True)
    match_decide(match=setting["match"], actor=staff, approve=False, reason="已由其他渠道解决")
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.REJECTED


def test_whoever_entered_the_case_cannot_approve_its_matches(setting):
    case, match = setting["case"], setting["match"]
    entered_by = user(Role.DISTRICT_STAFF, setting["chaoyang"])
    case.created_by = entered_by
    case.save(update_fields=["created_by"])
    match_respond(
        match=match,
        actor=user(Role.CHARITY_ADMIN, setting["city"], match.project.organization),
        accept=True,
    )
    with pytest.raises(PermissionDenied, match="录入该案件"):
        match_decide(match=match, actor=entered_by, approve=True)
    match_decide(match=match, actor=user(Role.DISTRICT_STAFF, setting["chaoyang"]), approve=True)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_approvals_racing_for_the_last_money_cannot_both_win():
    city, chaoyang, hongqi = tree()
    charity = organization("O-1", "长春市慈善总会", "220100")
    project(charity, "P-last", budget_remaining=Decimal("3000.00"))
    first, second = need(hongqi, ref="N-1"), need(hongqi, ref="N-2")
    matches = []
    for case in (first, second):
        matches += matches_propose(
            need=case,
            proposals=[{"offer": "P-last", "type": "project", "score": 0.9, "reasons": []}],
        )
    admin = user(Role.CHARITY_ADMIN, city, charity, name="charity-admin")
    for match in matches:
        match_respond(match=match, actor=admin, accept=True)
    staff = [user(Role.DISTRICT_STAFF, chaoyang, name=f"staff-{n}") for n in range(2)]
    outcomes = []

    def approve(match, actor):
        close_old_connections()
        try:
            match_decide(match=match, actor=actor, approve=True)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=pair) for pair in zip(matches, staff, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert Project.objects.get(ref="P-last").budget_remaining == Decimal("0.00")


@pytest.mark.django_db(transaction=True)
def test_an_emergency_is_matched_at_once_and_staff_are_told(settings):
    settings.ELASTICSEARCH_URL = ""  # the embedded backend; Elasticsearch has its own tests
    _, chaoyang, hongqi = tree()
    offers()
    user(Role.DISTRICT_STAFF, chaoyang, name="duty-officer")
    case = need(hongqi, urgency="emergency")
    assert {m.offer.ref for m in Match.objects.filter(need=case)} == {
        "P-dialysis",
        "V-near",
        "F-medical",
    }
    assert any("已生成 3 条匹配建议" in message.subject for message in mail.outbox)


def test_an_answered_match_cannot_be_answered_again(setting):
    match = setting["match"]
    charity_user = user(Role.CHARITY_ADMIN, setting["city"], match.project.organization)
    match_respond(match=match, actor=charity_user, accept=False, reason="名额已满")
    with pytest.raises(DomainError) as refused:
        match_respond(match=match, actor=charity_user, accept=True)
    assert refusal_message(refused.value) == "匹配当前为“资源方已谢绝”，不能变为“资源方已接受”。"
    match.refresh_from_db()
    assert match.status == MatchStatus.DECLINED
