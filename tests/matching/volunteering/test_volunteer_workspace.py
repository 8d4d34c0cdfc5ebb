"""/volunteer/: proposals, tasks, hours, profile and consent, each only the
volunteer's own, and never more about a household than the minimum."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from matching.funding import services as funding
from matching.funding.models import VolunteerHours
from matching.offers.models import Match, MatchStatus, Volunteer
from matching.volunteering.areas import DISTRICT_CENTRES
from search.matcher import InProcessBackend
from search.matcher import propose as matcher_propose
from tests.matching.volunteering.volunteering_factories import propose, team_admin

pytestmark = pytest.mark.django_db

HOME = "/volunteer/"


def log_hours(client, task, hours="2.5", days_ago=1, note="陪同就医"):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return client.post(
        reverse("volunteer_task", args=[task.pk]),
        {"date": day.isoformat(), "hours": hours, "note": note},
    )


def test_the_workspace_asks_for_a_login_and_a_volunteer_record(client, places, staff):
    assert client.get(HOME)["Location"].startswith("/accounts/login/")
    client.force_login(staff)
    assert client.get(HOME).status_code == 404


def test_a_proposal_shows_the_minimum_and_nothing_personal(signed_in, proposal, household_secrets):
    home = signed_in.get(HOME).text
    assert f'data-testid="proposal-{proposal.pk}"' in home
    page = signed_in.get(reverse("volunteer_proposal", args=[proposal.pk])).text
    assert "朝阳区 红旗街道" in page
    assert "生活帮扶" in page and "医疗救助" in page
    assert "周六上午 · 周日下午" in page
    assert 'data-testid="brief-contact"' not in page  # no contact before staff approve
    for secret in household_secrets:
        assert secret not in home and secret not in page


def test_the_volunteer_accepts_and_staff_then_approve(signed_in, proposal, staff):
    response = signed_in.post(
        reverse("volunteer_proposal", args=[proposal.pk]), {"answer": "accept"}, follow=True
    )
    assert "您已接受邀请，等待民政工作人员批准后即可开始服务。" in response.text
    proposal.refresh_from_db()
    assert (
        proposal.status == MatchStatus.ACCEPTED and proposal.decided_by == proposal.volunteer.user
    )
    task = signed_in.get(reverse("volunteer_task", args=[proposal.pk])).text
    assert 'data-testid="task-waiting"' in task and 'data-testid="hours-form"' not in task


def test_a_decline_needs_a_reason_from_the_list(signed_in, proposal):
    url = reverse("volunteer_proposal", args=[proposal.pk])
    refused = signed_in.post(url, {"answer": "decline"})
    assert "请选择谢绝的理由。" in refused.text
    refused = signed_in.post(url, {"answer": "decline", "reason_code": "other"})
    assert "选择“其他原因”时请简要说明。" in refused.text
    proposal.refresh_from_db()
    assert proposal.status == MatchStatus.PROPOSED
    signed_in.post(url, {"answer": "decline", "reason_code": "time", "text": "周末出差"})
    proposal.refresh_from_db()
    assert proposal.status == MatchStatus.DECLINED
    assert proposal.decision_reason == "时间冲突：周末出差"
    assert signed_in.get(url).status_code == 404  # answered: no longer a proposal


def test_an_approved_task_gives_a_contact_path_through_the_caseworker(
    signed_in, task, household_secrets
):
    page = signed_in.get(reverse("volunteer_task", args=[task.pk])).text
    assert 'data-testid="brief-contact"' in page
    assert "朝阳区民政局" in page or "社会救助热线 12345" in page
    for secret in household_secrets:
        assert secret not in page


def test_hours_are_logged_then_confirmed_by_the_team(signed_in, task, volunteer, places):
    admin = team_admin(volunteer, places)
    response = log_hours(signed_in, task, "2.5")
    assert response.status_code == 302
    entry = VolunteerHours.objects.get()
    assert entry.status == VolunteerHours.Status.LOGGED and entry.logged_by == volunteer.user
    home = signed_in.get(HOME).text
    assert 'data-testid="pending-hours">2.50 小时' in home
    funding.volunteer_hours_decide(entry=entry, actor=admin, confirm=True)
    home = signed_in.get(HOME).text
    assert 'data-testid="confirmed-hours">2.50 小时' in home
    assert 'data-testid="pending-hours">0 小时' in home


def test_an_independent_volunteers_hours_are_confirmed_by_the_needs_staff(
    signed_in, task, staff, places
):
    from tests.matching.publication import publication_factories as pf

    log_hours(signed_in, task, "3")
    entry = VolunteerHours.objects.get()
    with pytest.raises(PermissionDenied):
        funding.volunteer_hours_decide(entry=entry, actor=pf.staff(places["nanguan"]), confirm=True)
    funding.volunteer_hours_decide(entry=entry, actor=staff, confirm=True)
    entry.refresh_from_db()
    assert entry.status == VolunteerHours.Status.CONFIRMED


@pytest.mark.parametrize(
    ("hours", "days_ago", "message"),
    [
        ("30", 1, "确保该值小于或等于24。"),
        ("0", 1, "确保该值大于或等于0.25。"),
        ("2", -1, "服务日期不能晚于今天。"),
        ("abc", 1, "输入一个数字。"),
    ],
    ids=["too-long", "zero", "future", "not-a-number"],
)
def test_impossible_hours_are_refused_with_a_message(signed_in, task, hours, days_ago, message):
    response = log_hours(signed_in, task, hours, days_ago)
    assert response.status_code == 200
    assert message in response.text
    assert not VolunteerHours.objects.exists()


def test_hours_cannot_be_logged_before_approval(signed_in, proposal):
    signed_in.post(reverse("volunteer_proposal", args=[proposal.pk]), {"answer": "accept"})
    log_hours(signed_in, proposal)
    assert not VolunteerHours.objects.exists()


def test_another_volunteers_objects_are_not_found(
    client, task, volunteer, other_volunteer, case, staff
):
    log = funding.volunteer_hours_log(
        volunteer=volunteer,
        match=task,
        date=timezone.localdate(),
        hours=Decimal("2"),
        actor=volunteer.user,
    )
    funding.volunteer_hours_decide(entry=log, actor=staff, confirm=True)
    client.force_login(volunteer.user)
    client.post(reverse("volunteer_certificates"))
    code = volunteer.certificates.get().code
    other_proposal = propose(case, other_volunteer)
    client.force_login(other_volunteer.user)
    assert client.get(reverse("volunteer_task", args=[task.pk])).status_code == 404
    assert log_hours(client, task).status_code == 404
    assert client.get(reverse("volunteer_certificate_pdf", args=[code])).status_code == 404
    assert f'data-testid="task-{task.pk}"' not in client.get(HOME).text
    assert VolunteerHours.objects.count() == 1
    client.force_login(volunteer.user)
    url = reverse("volunteer_proposal", args=[other_proposal.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": "accept"}).status_code == 404
    assert Match.objects.get(pk=other_proposal.pk).status == MatchStatus.PROPOSED


def test_the_profile_and_availability_are_edited(signed_in, volunteer, places):
    url = reverse("volunteer_profile")
    page = signed_in.get(url).text
    assert 'value="sat_am" id="id_availability_sat_am" checked' in page
    data = {
        "name": "李志愿",
        "jurisdiction": places["nanling"].code,
        "radius_km": "10",
        "help_forms": ["counselling"],
        "skills": "心理咨询",
        "availability": ["tue_pm", "wed_am"],
        "hours_per_week": "3",
    }
    assert signed_in.post(url, {**data, "availability": []}).status_code == 200
    volunteer.refresh_from_db()
    assert volunteer.availability == ["sat_am", "sun_pm"]  # nothing saved from a bad form
    response = signed_in.post(url, data, follow=True)
    assert "个人资料和可服务时段已保存。" in response.text
    assert 'data-testid="my-slots">周二下午 · 周三上午' in response.text
    volunteer.refresh_from_db()
    assert volunteer.jurisdiction == places["nanling"] and volunteer.radius_km == Decimal("10")
    assert (volunteer.lat, volunteer.lon) == DISTRICT_CENTRES["220102"]
    assert volunteer.user.profile.jurisdiction == places["nanling"]


def _proposed_volunteers(case):
    result = matcher_propose(case, top=20, backend=InProcessBackend())
    return {p["offer"] for p in result["proposals"] if p["type"] == "volunteer"}


def test_withdrawing_consent_stops_proposals_and_keeps_the_records(
    signed_in, task, volunteer, case, staff
):
    ref = f"volunteer-{volunteer.pk}"
    assert ref in _proposed_volunteers(case)
    log_hours(signed_in, task, "2")
    url = reverse("volunteer_consent")
    unticked = signed_in.post(url, {"action": "withdraw"})
    assert "请勾选确认框后再提交。" in unticked.text
    assert Volunteer.objects.get(pk=volunteer.pk).active
    response = signed_in.post(url, {"action": "withdraw", "confirm": "yes"}, follow=True)
    assert 'data-testid="consent-withdrawn"' in response.text
    volunteer.refresh_from_db()
    assert not volunteer.active
    assert volunteer.skills == [] and volunteer.availability == [] and volunteer.hours_per_week == 0
    assert volunteer.consents.get().withdrawn_at is not None
    task.refresh_from_db()
    assert task.status == MatchStatus.WITHDRAWN
    assert VolunteerHours.objects.filter(volunteer=volunteer).count() == 1  # kept
    assert ref not in _proposed_volunteers(case)
    # The certificates page still works for what was confirmed before.
    assert signed_in.get(reverse("volunteer_certificates")).status_code == 200
    signed_in.post(url, {"action": "give"})
    volunteer.refresh_from_db()
    assert volunteer.active and volunteer.consents.count() == 2


def test_a_volunteer_leaves_their_team_and_their_pending_hours_go_to_the_needs_staff(
    signed_in, task, volunteer, staff, places
):
    from matching.notifications.models import Message

    admin = team_admin(volunteer, places)
    volunteer.refresh_from_db()
    team = volunteer.organization
    log_hours(signed_in, task, "3")
    entry = VolunteerHours.objects.get()
    home = signed_in.get(HOME).text
    assert 'data-testid="team-leave"' in home

    leave = reverse("volunteer_team_leave")
    page = signed_in.get(leave).text
    assert team.name in page and 'data-testid="team-stay"' in page
    assert "1 条尚待确认的服务时长将改由需求所在地的民政工作人员确认" in page
    unconfirmed = signed_in.post(leave, {}, follow=True)
    assert "请勾选确认框后再提交。" in unconfirmed.text
    volunteer.refresh_from_db()
    assert volunteer.organization == team  # nothing happens without the box ticked

    left = signed_in.post(leave, {"confirm": "yes"}, follow=True)
    assert "您已退出志愿服务队，现在是独立志愿者。" in left.text
    assert 'data-testid="my-team"' not in left.text
    assert "独立志愿者：服务时长由辖区民政工作人员确认。" in left.text
    volunteer.refresh_from_db()
    assert volunteer.organization is None and volunteer.user.profile.organization is None
    (told,) = Message.objects.filter(recipient=admin)
    assert volunteer.name in told.body and team.name in told.body

    with pytest.raises(PermissionDenied):  # the team no longer confirms their hours
        funding.volunteer_hours_decide(entry=entry, actor=admin, confirm=True)
    funding.volunteer_hours_decide(entry=entry, actor=staff, confirm=True)
    entry.refresh_from_db()
    assert entry.status == VolunteerHours.Status.CONFIRMED
    assert signed_in.get(leave).status_code == 302  # nothing left to leave
