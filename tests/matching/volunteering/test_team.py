"""A volunteer asks to join a verified volunteer team; the team's admin decides."""

import pytest
from django.urls import reverse

from matching.directory.models import Organization, Role
from matching.volunteering.models import TeamRequest
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db


def team(places, name="朝阳区暖心志愿服务队", verified=True):
    return Organization.objects.create(
        name=name,
        kind=Organization.Kind.VOLUNTEER_TEAM,
        jurisdiction=places["chaoyang"],
        verified=verified,
    )


def test_a_volunteer_joins_a_team_its_admin_approves(signed_in, client, volunteer, places):
    warm = team(places)
    team(places, "未核验服务队", verified=False)
    home = signed_in.get("/volunteer/").text
    assert "朝阳区暖心志愿服务队" in home and "未核验服务队" not in home
    signed_in.post(reverse("volunteer_team"), {"organization": warm.pk})
    assert 'data-testid="team-pending"' in signed_in.get("/volunteer/").text
    again = signed_in.post(reverse("volunteer_team"), {"organization": warm.pk}, follow=True)
    assert "您已有待审核的加入申请。" in again.text
    request = TeamRequest.objects.get()

    admin = pf.charity_user(warm, role=Role.CHARITY_ADMIN)
    client.force_login(admin)
    page = client.get(reverse("volunteer_team_requests")).text
    assert f'data-testid="team-request-{request.pk}"' in page and "李志愿" in page
    refused = client.post(
        reverse("volunteer_team_requests"), {"request_id": request.pk, "decision": "refuse"}
    )
    assert "谢绝申请必须填写理由。" in refused.text
    client.post(
        reverse("volunteer_team_requests"), {"request_id": request.pk, "decision": "approve"}
    )
    volunteer.refresh_from_db()
    assert volunteer.organization == warm
    assert volunteer.user.profile.organization == warm
    assert TeamRequest.objects.get().status == TeamRequest.Status.APPROVED


def test_only_the_teams_admin_sees_and_decides_its_requests(signed_in, client, volunteer, places):
    warm = team(places)
    signed_in.post(reverse("volunteer_team"), {"organization": warm.pk})
    request = TeamRequest.objects.get()
    other = pf.charity_user(team(places, "南关区助老志愿服务队"), role=Role.CHARITY_ADMIN)
    client.force_login(other)
    assert (
        f'data-testid="team-request-{request.pk}"'
        not in client.get(reverse("volunteer_team_requests")).text
    )
    response = client.post(
        reverse("volunteer_team_requests"), {"request_id": request.pk, "decision": "approve"}
    )
    assert response.status_code == 404
    client.force_login(volunteer.user)
    assert client.get(reverse("volunteer_team_requests")).status_code == 404
    volunteer.refresh_from_db()
    assert volunteer.organization is None


def test_an_unverified_team_cannot_be_asked(signed_in, places):
    response = signed_in.post(
        reverse("volunteer_team"), {"organization": team(places, verified=False).pk}, follow=True
    )
    assert "请选择已核验的志愿服务队。" in response.text
    assert not TeamRequest.objects.exists()
