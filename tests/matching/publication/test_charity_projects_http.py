"""Charity users manage their own organization's projects only; staff moderate them,
and only a verified organization's project can be approved and shown."""

import pytest

from matching.offers.models import Project
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db

ADMIN = "/admin/snippets/offers/project/"


@pytest.fixture
def orgs(places):
    return {
        "mine": pf.organization(places["chaoyang"], "朝阳爱心助医协会"),
        "theirs": pf.organization(places["chaoyang"], "南岭助学基金会"),
    }


@pytest.fixture
def charity_client(client, orgs):
    client.force_login(pf.charity_user(orgs["mine"]))
    return client


def test_a_charity_lists_only_its_own_projects(charity_client, orgs):
    pf.project(orgs["mine"], "透析患者交通补贴")
    pf.project(orgs["theirs"], "寒门学子助学金")
    response = charity_client.get(ADMIN)
    assert response.status_code == 200
    assert "透析患者交通补贴" in response.text
    assert "寒门学子助学金" not in response.text


def test_a_charity_cannot_open_or_edit_another_charitys_project(charity_client, orgs):
    theirs = pf.project(orgs["theirs"], "寒门学子助学金")
    response = charity_client.get(f"{ADMIN}edit/{theirs.pk}/")
    assert response.status_code in (302, 403, 404)
    assert "寒门学子助学金" not in response.text

    response = charity_client.post(
        f"{ADMIN}edit/{theirs.pk}/", {"title": "被篡改", "organization": orgs["theirs"].pk}
    )
    assert response.status_code in (302, 403, 404)
    theirs.refresh_from_db()
    assert theirs.title == "寒门学子助学金"
    assert charity_client.post(f"{ADMIN}delete/{theirs.pk}/").status_code in (302, 403, 404)
    assert Project.objects.filter(pk=theirs.pk).exists()


def test_a_charity_edits_its_own_project_as_a_draft(charity_client, orgs):
    mine = pf.project(orgs["mine"], "透析患者交通补贴")
    assert charity_client.get(f"{ADMIN}edit/{mine.pk}/").status_code == 200


def test_a_charity_cannot_file_a_project_for_another_organization(charity_client, orgs):
    response = charity_client.post(
        f"{ADMIN}add/",
        {
            "organization": orgs["theirs"].pk,
            "title": "冒名项目",
            "description": "冒名",
            "categories": ["medical"],
            "forms": ["material"],
            "jurisdictions": ["220100"],
        },
    )
    assert not Project.objects.filter(title="冒名项目").exists()
    assert response.status_code == 200  # the form is shown again with the error


def test_only_a_verified_organization_can_be_approved(places, orgs, reviewer, client):
    unverified = pf.organization(places["chaoyang"], "未核验组织", verified=False)
    project = pf.project(unverified, "待核验项目", live=False)
    project.save_revision()
    state = project.get_workflow().start(project, reviewer)
    task = state.current_task_state.task.specific
    assert [name for name, _label, _modal in task.get_actions(project, reviewer)] == ["reject"]

    verified_project = pf.project(orgs["mine"], "透析患者交通补贴", live=False)
    verified_project.save_revision()
    state = verified_project.get_workflow().start(verified_project, reviewer)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    verified_project.refresh_from_db()
    assert verified_project.live

    page = client.get("/projects/").text
    assert "透析患者交通补贴" in page
    assert "待核验项目" not in page
