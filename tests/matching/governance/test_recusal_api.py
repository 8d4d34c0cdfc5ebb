"""Match decisions through the API (/api/v1/staff/…): the same rules as the admin."""

import pytest
from django.test import Client, override_settings
from recusal_factories import MOTHER_ID, PASSWORD, accepted_match, staff_user

from matching.cases.services import api_token_issue
from matching.directory.models import Department
from matching.governance.models import Recusal
from matching.governance.relatives import near_relative_register
from matching.offers.models import Match, MatchStatus

pytestmark = pytest.mark.django_db
REFUSAL = "您与该家庭存在已备案的近亲属关系，须回避"


@pytest.fixture
def setting():
    return accepted_match()


def decide(client, match, decision="approve", reason="", **extra):
    return client.post(
        f"/api/v1/staff/matches/{match.pk}/decision",
        {"decision": decision, "reason": reason},
        content_type="application/json",
        **extra,
    )


def signed_in(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_a_related_approver_is_refused_and_a_colleague_approves(setting):
    worker, colleague = staff_user(setting["chaoyang"]), staff_user(setting["chaoyang"])
    near_relative_register(staff=worker, id_number=MOTHER_ID, relation="parent")
    refused = decide(signed_in(worker), setting["match"])
    assert refused.status_code == 403
    assert REFUSAL in refused.json()["detail"]
    assert Recusal.objects.filter(staff=worker, kind="match_approval").count() == 1
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.ACCEPTED

    approved = decide(signed_in(colleague), setting["match"], reason="符合条件")
    assert approved.status_code == 200
    assert approved.json() == {
        "id": setting["match"].pk,
        "status": "approved",
        "awaiting_second_approval": False,
    }


@override_settings(MATCH_SECOND_APPROVAL_MINOR=200_000)
def test_above_the_limit_two_different_approvers_are_needed(setting):
    first, second = staff_user(setting["chaoyang"]), staff_user(setting["hongqi"])
    client = signed_in(first)
    waiting = decide(client, setting["match"], reason="材料齐全")
    assert waiting.status_code == 200
    assert waiting.json()["status"] == "accepted" and waiting.json()["awaiting_second_approval"]
    repeated = decide(client, setting["match"])
    assert repeated.status_code == 403 and "第二人审批" in repeated.json()["detail"]
    assert decide(signed_in(second), setting["match"]).json()["status"] == "approved"


def test_a_rejection_needs_a_reason(setting):
    client = signed_in(staff_user(setting["chaoyang"]))
    refused = decide(client, setting["match"], decision="reject", reason=" ")
    assert refused.status_code == 409 and "理由" in refused.json()["detail"]
    assert decide(client, setting["match"], decision="reject", reason="另有渠道").json()[
        "status"
    ] == ("rejected")


def test_only_signed_in_staff_of_the_jurisdiction_may_decide(setting):
    match = setting["match"]
    assert decide(Client(), match).status_code == 401
    department = Department.objects.create(
        name="朝阳区卫生健康局", kind="health", jurisdiction=setting["chaoyang"]
    )
    token = api_token_issue(department=department, name="test")
    assert decide(Client(), match, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    nanguan = setting["city"].children.get(code="220102")
    assert decide(signed_in(staff_user(nanguan)), match).status_code == 404
    inspector = staff_user(setting["city"], role="inspector")
    assert decide(signed_in(inspector), match).status_code == 401
    assert Match.objects.get(pk=match.pk).status == MatchStatus.ACCEPTED


def test_the_session_endpoint_checks_csrf(setting):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=staff_user(setting["chaoyang"]).username, password=PASSWORD)
    assert decide(client, setting["match"]).status_code == 403
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.ACCEPTED
