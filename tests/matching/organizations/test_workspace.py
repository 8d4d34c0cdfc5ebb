"""The organization's workspace: only a verified organization publishes
projects (through the staff workflow) and receives proposals; it answers
proposals with a reason; nobody else reaches it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.offers.models import Match, MatchStatus, Project
from matching.offers.services import match_respond, matches_propose
from matching.organizations import services
from tests.matching.organizations import org_factories as of
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
HOME = reverse("organization_home")
NEW_PROJECT = reverse("organization_project_new")


def _project_form(**overrides):
    data = {
        "title": "困难家庭冬季取暖补贴",
        "description": "为低保家庭提供冬季取暖费补贴。",
        "categories": ["temporary"],
        "help_forms": ["material"],
        "jurisdictions": ["220104"],
        "budget_remaining": "20000.00",
        "max_per_case": "2000.00",
        "slots_remaining": "10",
    }
    data.update(overrides)
    return data


@pytest.fixture
def unverified(places):
    return of.registered(places["chaoyang"])


@pytest.fixture
def verified(places, reviewer):
    organization, admin = of.registered(places["chaoyang"])
    services.vetting_decide(vetting=organization.vetting, actor=reviewer, decision="verify")
    organization.refresh_from_db()
    return organization, admin


def test_only_charity_users_enter_the_workspace(client, places, reviewer):
    assert client.get(HOME)["Location"].startswith("/accounts/login/")
    client.force_login(reviewer)
    assert client.get(HOME).status_code == 403


def test_an_unverified_organization_cannot_publish_a_project(client, unverified):
    organization, admin = unverified
    client.force_login(admin)
    home = client.get(HOME).text
    assert 'data-testid="project-new"' not in home
    assert "组织通过核验后才能发布项目。" in home
    response = client.post(NEW_PROJECT, _project_form())
    assert response.status_code == 422
    assert "组织通过核验后才能发布项目。" in response.text
    assert not Project.objects.filter(organization=organization).exists()


def test_a_verified_organizations_project_goes_public_only_after_staff_approve(
    client, verified, reviewer
):
    organization, admin = verified
    client.force_login(admin)
    response = client.post(NEW_PROJECT, _project_form())
    assert response["Location"] == HOME
    project = Project.objects.get(organization=organization)
    assert not project.live
    state = project.current_workflow_state
    assert state is not None and state.status == state.STATUS_IN_PROGRESS
    assert "困难家庭冬季取暖补贴" not in client.get("/projects/").text
    assert "审核中" in client.get(HOME).text

    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    project.refresh_from_db()
    assert project.live
    assert "困难家庭冬季取暖补贴" in client.get("/projects/").text

    # An edit is a new revision under review; the public keeps the approved text.
    client.post(
        reverse("organization_project_edit", args=[project.pk]),
        _project_form(title="困难家庭冬季取暖补贴（第二期）"),
    )
    project.refresh_from_db()
    assert project.title == "困难家庭冬季取暖补贴"
    assert project.current_workflow_state.status == state.STATUS_IN_PROGRESS


def test_an_expired_organizations_project_cannot_be_approved(verified, reviewer):
    organization, admin = verified
    project = services.project_submit(
        organization=organization, actor=admin, data={**_project_form(), "forms": ["material"]}
    )
    services.verifications_expire(today=timezone.localdate() + dt.timedelta(days=400))
    task = project.current_workflow_state.current_task_state.task.specific
    project.refresh_from_db()
    assert [name for name, _label, _modal in task.get_actions(project, reviewer)] == ["reject"]


def _proposal(org_project, score=0.9):
    return {"type": "project", "offer": f"project-{org_project.pk}", "score": score, "reasons": []}


def test_an_unverified_organization_receives_no_proposal_and_cannot_accept(
    places, unverified, verified
):
    case = pf.approved_case(places["hongqi"], categories=("temporary",), names=("孙桂芝",))
    unvetted_project = pf.project(unverified[0], "未核验组织的项目", categories=["temporary"])
    vetted_project = pf.project(verified[0], "已核验组织的项目", categories=["temporary"])
    created = matches_propose(
        need=case, proposals=[_proposal(unvetted_project), _proposal(vetted_project)]
    )
    assert [m.project for m in created] == [vetted_project]

    # A proposal made before the organization lost its verification cannot be accepted.
    stale = Match.objects.create(
        need=case, offer_type="project", project=unvetted_project, score=0.5
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="尚未通过核验"):
        match_respond(match=stale, actor=unverified[1], accept=True)


def test_the_organization_accepts_or_declines_a_proposal_with_a_reason(client, places, verified):
    organization, admin = verified
    case = pf.approved_case(
        places["hongqi"], categories=("temporary",), names=("孙桂芝",), title="孙桂芝家取暖困难"
    )
    first, second = (
        pf.project(organization, title, categories=["temporary"])
        for title in ("取暖补贴", "冬衣捐赠")
    )
    matches = matches_propose(need=case, proposals=[_proposal(first), _proposal(second)])
    client.force_login(admin)
    home = client.get(HOME).text
    assert f'data-testid="proposal-{matches[0].pk}"' in home
    assert "孙桂芝" not in home and case.receipt_number not in home
    assert "红旗街道" not in home and "朝阳区" in home

    declined = client.post(
        reverse("organization_respond", args=[matches[1].pk]),
        {"decision": "decline", "reason": ""},
        follow=True,
    )
    assert "谢绝时请填写理由。" in declined.text
    matches[1].refresh_from_db()
    assert matches[1].status == MatchStatus.PROPOSED

    client.post(
        reverse("organization_respond", args=[matches[1].pk]),
        {"decision": "decline", "reason": "本期名额已满。"},
    )
    client.post(reverse("organization_respond", args=[matches[0].pk]), {"decision": "accept"})
    matches[0].refresh_from_db()
    matches[1].refresh_from_db()
    assert matches[0].status == MatchStatus.ACCEPTED
    assert (matches[1].status, matches[1].decision_reason) == (
        MatchStatus.DECLINED,
        "本期名额已满。",
    )


def test_another_organization_cannot_answer_a_proposal(client, places, verified, reviewer):
    organization, _admin = verified
    _other, other_admin = of.registered(places["chaoyang"])
    case = pf.approved_case(places["hongqi"], categories=("temporary",))
    project = pf.project(organization, "取暖补贴", categories=["temporary"])
    (match,) = matches_propose(need=case, proposals=[_proposal(project)])
    client.force_login(other_admin)
    response = client.post(reverse("organization_respond", args=[match.pk]), {"decision": "accept"})
    assert response.status_code == 404
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED


def test_charity_users_land_in_their_workspace(client, verified):
    _organization, admin = verified
    client.force_login(admin)
    assert client.get(reverse("landing"))["Location"] == HOME


def test_an_organization_without_a_vetting_file_gets_no_error(client, places):
    legacy = pf.organization(places["chaoyang"], "导入的老组织")
    client.force_login(pf.charity_user(legacy))
    home = client.get(HOME)
    assert home.status_code == 200 and "导入的老组织" in home.text
    assert client.post(reverse("organization_answer"), {"answer": "补充"}).status_code == 404
    garbage = client.post(NEW_PROJECT, {"title": "", "budget_remaining": "很多"})
    assert garbage.status_code == 422
    assert 'data-testid="form-errors"' in garbage.text


def test_with_staff_2fa_the_workspace_asks_an_organization_admin_for_the_second_factor(
    places, settings
):
    """The workspace moves money and speaks for the organization: with
    ``STAFF_REQUIRE_2FA`` its administrator passes the authenticator code
    first, as staff do for /admin/; the public pages stay open."""
    from django.test import Client
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.STAFF_REQUIRE_2FA = True
    _organization, user = of.registered(places["chaoyang"])
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)

    asked = client.get(HOME)
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("two_factor_verify"))
    assert client.get(NEW_PROJECT)["Location"].startswith(reverse("two_factor_verify"))
    assert client.get("/").status_code == 200

    token = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    answered = client.post(f"{reverse('two_factor_verify')}?next={HOME}", {"token": token})
    assert answered.status_code == 302 and answered["Location"] == HOME
    assert client.get(HOME).status_code == 200
