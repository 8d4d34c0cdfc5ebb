"""The review queue in the Wagtail admin, at the HTTP level."""

import pytest
from matching_city import need, offers, tree

from matching.directory.models import Role
from matching.directory.services import account_create
from matching.offers.models import Match, MatchStatus
from matching.offers.services import matches_propose
from search.matcher import InProcessBackend, propose

pytestmark = pytest.mark.django_db
PASSWORD = "queue-pass-2026"


def login(client, role, place, organization=None, name="u"):
    account_create(
        username=name, password=PASSWORD, role=role, jurisdiction=place, organization=organization
    )
    client.login(username=name, password=PASSWORD)
    return client


@pytest.fixture
def queue():
    city, chaoyang, hongqi = tree()
    offers()
    case = need(hongqi)
    matches_propose(need=case, proposals=propose(case, backend=InProcessBackend())["proposals"])
    dialysis = Match.objects.get(project__ref="P-dialysis")
    return {"city": city, "chaoyang": chaoyang, "match": dialysis}


def test_district_staff_see_their_queue_and_another_district_does_not(client, queue):
    login(client, Role.DISTRICT_STAFF, queue["chaoyang"], name="chaoyang-staff")
    listing = client.get("/admin/matches/")
    assert listing.status_code == 200
    assert queue["match"].need.receipt_number in listing.text

    other = queue["city"].children.get(code="220102")
    client.logout()
    login(client, Role.DISTRICT_STAFF, other, name="nanguan-staff")
    assert queue["match"].need.receipt_number not in client.get("/admin/matches/").text
    assert client.get(f"/admin/matches/review/{queue['match'].pk}/").status_code == 404


def test_the_charity_accepts_and_staff_approve_through_the_admin(client, queue):
    match = queue["match"]
    login(client, Role.CHARITY_ADMIN, queue["city"], match.project.organization, name="ngo")
    page = client.get(f"/admin/matches/review/{match.pk}/")
    assert "服务 朝阳区" in page.text  # the reasons are shown, with the area's name
    client.post(f"/admin/matches/review/{match.pk}/", {"decision": "accept", "reason": ""})
    assert Match.objects.get(pk=match.pk).status == MatchStatus.ACCEPTED

    client.logout()
    login(client, Role.DISTRICT_STAFF, queue["chaoyang"], name="approver")
    response = client.post(
        f"/admin/matches/review/{match.pk}/",
        {"decision": "approve", "reason": "核实无误"},
        follow=True,
    )
    assert response.status_code == 200
    assert Match.objects.get(pk=match.pk).status == MatchStatus.APPROVED


def test_a_refused_decision_is_a_message_not_an_error(client, queue):
    match = queue["match"]
    login(client, Role.DISTRICT_STAFF, queue["chaoyang"], name="hasty")
    response = client.post(
        f"/admin/matches/review/{match.pk}/",
        {"decision": "reject", "reason": "", "confirm": "on", "reject_code": "other"},
        follow=True,
    )
    assert response.status_code == 200
    assert "驳回匹配必须填写理由" in response.text
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PROPOSED


def test_another_charity_cannot_open_the_match(client, queue):
    from matching_city import organization

    login(client, Role.CHARITY_ADMIN, queue["city"], organization("O-8", "别家"), name="other")
    assert client.get(f"/admin/matches/review/{queue['match'].pk}/").status_code == 404


def test_rejecting_a_match_is_applied_only_with_the_confirmation(client, queue):
    match = queue["match"]
    login(client, Role.DISTRICT_STAFF, queue["chaoyang"], name="careful")
    url = f"/admin/matches/review/{match.pk}/"
    page = client.get(url).text
    assert 'name="confirm"' in page and 'type="checkbox"' in page
    refused = client.post(
        url,
        {"decision": "reject", "reason": "资金已另行安排", "reject_code": "already_helped"},
        follow=True,
    )
    assert "此决定不可撤销，请勾选确认后再提交。" in refused.text
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PROPOSED

    client.post(
        url,
        {
            "decision": "reject",
            "reason": "资金已另行安排",
            "confirm": "on",
            "reject_code": "already_helped",
        },
    )
    rejected = Match.objects.get(pk=match.pk)
    assert rejected.status == MatchStatus.REJECTED
    assert rejected.decision_reason == "已由其他救助或资源解决：资金已另行安排"


def test_declining_a_match_is_applied_only_with_the_confirmation(client, queue):
    match = queue["match"]
    login(client, Role.CHARITY_ADMIN, queue["city"], match.project.organization, name="ngo")
    url = f"/admin/matches/review/{match.pk}/"
    refused = client.post(url, {"decision": "decline", "reason": ""}, follow=True)
    assert "此决定不可撤销，请勾选确认后再提交。" in refused.text
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PROPOSED

    unlisted = client.post(url, {"decision": "decline", "reason": "", "confirm": "on"}, follow=True)
    assert "谢绝匹配须从列表中选择谢绝原因。" in unlisted.text
    assert Match.objects.get(pk=match.pk).status == MatchStatus.PROPOSED

    client.post(
        url, {"decision": "decline", "decline_code": "exhausted", "reason": "", "confirm": "on"}
    )
    declined = Match.objects.get(pk=match.pk)
    assert declined.status == MatchStatus.DECLINED
    assert declined.decision_reason == "资源已用完或名额已满"
