"""Match review explains itself: the score's parts in words, names instead of
codes, the rivals and close exclusions; rejection needs a listed reason; the
emergency lane approves in bulk under the four-eyes rule."""

import itertools

import pytest
from django.test import override_settings
from matching_city import need, offers, tree

from matching.audit.models import AuditEntry
from matching.directory.models import Role
from matching.directory.services import account_create
from matching.offers.models import Match, MatchStatus
from matching.offers.services import match_respond, matches_propose
from search.matcher import InProcessBackend, propose

pytestmark = pytest.mark.django_db
PASSWORD = "explain-pass-2026"
_serial = itertools.count()


def account(role, place, organization=None):
    name = f"{role}-{next(_serial)}"
    return account_create(
        username=name, password=PASSWORD, role=role, jurisdiction=place, organization=organization
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def proposed(case):
    matches_propose(need=case, proposals=propose(case, backend=InProcessBackend())["proposals"])
    return {m.offer.ref: m for m in Match.objects.filter(need=case)}


@pytest.fixture
def review():
    city, chaoyang, hongqi = tree()
    offers()
    case = need(hongqi)
    return {"city": city, "chaoyang": chaoyang, "case": case, "matches": proposed(case)}


def test_the_score_is_shown_in_parts_at_one_precision_with_names_not_codes(client, review):
    match = review["matches"]["P-dialysis"]
    assert set(match.parts) == {"text", "proximity", "coverage", "urgency", "waiting", "load"}
    staff = account(Role.DISTRICT_STAFF, review["chaoyang"])
    page = signed_in(client, staff).get(f"/admin/matches/review/{match.pk}/").text

    points = round(match.score * 100)
    assert f"匹配分：{points} 分（满分 100）" in page
    assert "距离与服务区域" in page and "覆盖需求（类别、帮扶形式、金额）" in page
    coverage = match.parts["coverage"]
    earned = round(coverage["value"] * coverage["weight"] * 100)
    assert f"{earned} / 20 分" in page
    assert "服务 朝阳区" in page and "220104" not in page
    assert str(match.score) not in page  # no raw float next to the points


def test_the_other_candidates_and_the_close_exclusions_are_side_by_side(client, review, settings):
    settings.ELASTICSEARCH_HOSTS, settings.ELASTICSEARCH_URL = [], ""  # the embedded matcher
    matches = review["matches"]
    best = max(matches.values(), key=lambda m: m.score)
    staff = account(Role.DISTRICT_STAFF, review["chaoyang"])
    page = signed_in(client, staff).get(f"/admin/matches/review/{best.pk}/").text

    assert page.count('data-testid="candidate"') == len(matches) == 3
    assert "少 " in page  # at least one rival says which part it earned fewer points on
    assert "不在服务区域内" in page  # P-nanguan serves another district
    assert "名额已满" in page  # P-full has no slot left


def test_the_offering_charity_does_not_see_its_rivals(client, review):
    match = review["matches"]["P-dialysis"]
    charity = account(Role.CHARITY_ADMIN, review["city"], match.project.organization)
    page = signed_in(client, charity).get(f"/admin/matches/review/{match.pk}/").text
    assert 'data-testid="candidate"' not in page and 'data-testid="exclusion"' not in page


def test_a_rejection_without_a_listed_reason_is_refused_and_nothing_changes(client, review):
    match = review["matches"]["P-dialysis"]
    staff = account(Role.DISTRICT_STAFF, review["chaoyang"])
    url = f"/admin/matches/review/{match.pk}/"
    refused = signed_in(client, staff).post(
        url, {"decision": "reject", "reason": "不适合", "confirm": "on"}, follow=True
    )
    assert "驳回匹配须从列表中选择驳回原因。" in refused.text
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PROPOSED

    no_text = client.post(
        url,
        {"decision": "reject", "reason": " ", "confirm": "on", "reject_code": "duplicate"},
        follow=True,
    )
    assert "驳回匹配必须填写理由" in no_text.text
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PROPOSED


def _emergency_lane():
    city, chaoyang, hongqi = tree()
    offers()
    case = need(hongqi, urgency="emergency")
    matches = proposed(case)
    for ref in ("P-dialysis", "F-medical"):  # the charities accept; the volunteer has not yet
        match = matches[ref]
        match_respond(
            match=match,
            actor=account(Role.CHARITY_ADMIN, city, match.offer.organization),
            accept=True,
        )
    return city, chaoyang, case, matches


@override_settings(MATCH_SECOND_APPROVAL_MINOR=0)  # every paid match needs two approvers
def test_bulk_emergency_approval_keeps_the_four_eyes_rule(client):
    _city, chaoyang, case, matches = _emergency_lane()
    fund = matches["F-medical"]
    intake_clerk, first, second = (account(Role.DISTRICT_STAFF, chaoyang) for _ in range(3))
    type(case).objects.filter(pk=case.pk).update(created_by=intake_clerk)
    lane = "/admin/matches/emergency/"

    listed = signed_in(client, intake_clerk).get(lane).text
    assert listed.count('data-testid="lane-row"') == 2
    refused = client.post(lane, {"match": [fund.pk]}).text
    assert "录入该案件的工作人员不能批准其匹配" in refused
    assert Match.objects.get(pk=fund.pk).status == MatchStatus.ACCEPTED

    signed_in(client, first).post(lane, {"match": [fund.pk], "reason": "情况紧急"})
    assert Match.objects.get(pk=fund.pk).status == MatchStatus.ACCEPTED  # first of two
    again = client.post(lane, {"match": [fund.pk]}).text
    assert "您已作出第一人审批" in again

    done = signed_in(client, second).post(lane, {"match": [fund.pk]}).text
    assert 'data-testid="lane-result-approved"' in done
    assert Match.objects.get(pk=fund.pk).status == MatchStatus.APPROVED
    assert AuditEntry.objects.filter(
        object_id=str(fund.pk), action=AuditEntry.Action.APPROVAL
    ).exists()


def test_another_district_cannot_approve_from_the_lane(client):
    city, _chaoyang, _case, matches = _emergency_lane()
    outsider = account(Role.DISTRICT_STAFF, city.children.get(code="220102"))
    page = signed_in(client, outsider).post(
        "/admin/matches/emergency/", {"match": [m.pk for m in matches.values()]}
    )
    assert 'data-testid="lane-row"' not in page.text
    assert not Match.objects.filter(status=MatchStatus.APPROVED).exists()
