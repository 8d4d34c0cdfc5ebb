"""Near-relative registration and recusal through the Wagtail admin (HTTP)."""

import pytest
from django.test import override_settings
from recusal_factories import MOTHER_ID, PASSWORD, accepted_match, staff_user

from matching.audit.models import AuditEntry
from matching.directory.models import Role
from matching.governance.models import NearRelative, Recusal
from matching.offers.models import Match, MatchStatus

pytestmark = pytest.mark.django_db
REFUSAL = "您与该家庭存在已备案的近亲属关系，须回避"


@pytest.fixture
def setting():
    return accepted_match()


def signed_in(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def register(client, number=MOTHER_ID, relation="parent", name="王秀兰"):
    return client.post(
        "/admin/near_relatives/new/",
        {"relation": relation, "name": name, "id_number_entry": number},
    )


def test_staff_register_a_relative_and_see_only_the_masked_number(client, setting):
    worker = staff_user(setting["chaoyang"])
    signed_in(client, worker)
    assert client.get("/admin/near_relatives/").status_code == 200
    response = register(client)
    assert response.status_code == 302
    listing = client.get("/admin/near_relatives/").content.decode()
    assert MOTHER_ID[:4] + "*" * 10 + MOTHER_ID[-4:] in listing
    assert MOTHER_ID not in listing
    assert AuditEntry.objects.filter(
        action="create", object_type="governance.nearrelative", actor=worker
    ).exists()


def test_a_bad_number_is_refused_with_a_message_and_nothing_saved(client, setting):
    signed_in(client, staff_user(setting["chaoyang"]))
    response = register(client, number="220104195903020000")
    assert response.status_code == 200
    assert "身份证" in response.content.decode()
    assert not NearRelative.objects.exists()


def test_registrations_are_private_to_their_owner(client, setting):
    owner, other = staff_user(setting["chaoyang"]), staff_user(setting["chaoyang"])
    register(signed_in(client, owner))
    relative = NearRelative.objects.get(staff=owner)
    signed_in(client, other)
    assert MOTHER_ID[-4:] not in client.get("/admin/near_relatives/").content.decode()
    assert client.post(f"/admin/near_relatives/delete/{relative.pk}/").status_code == 404
    assert NearRelative.objects.filter(pk=relative.pk).exists()
    signed_in(client, owner)
    assert client.post(f"/admin/near_relatives/delete/{relative.pk}/").status_code == 302
    assert not NearRelative.objects.filter(pk=relative.pk).exists()
    assert AuditEntry.objects.filter(action="delete", actor=owner).exists()


def test_the_screen_is_for_civil_affairs_staff_only(client, setting):
    inspector = staff_user(setting["city"], role=Role.INSPECTOR)
    signed_in(client, inspector)
    assert client.get("/admin/near_relatives/").status_code in (302, 403)
    assert register(client).status_code in (302, 403)
    assert not NearRelative.objects.exists()


def test_a_related_approver_is_refused_in_the_admin_and_a_colleague_approves(client, setting):
    worker, colleague = staff_user(setting["chaoyang"]), staff_user(setting["chaoyang"])
    register(signed_in(client, worker))
    review = f"/admin/matches/review/{setting['match'].pk}/"
    refused = client.post(review, {"decision": "approve", "reason": ""})
    assert refused.status_code == 200 and REFUSAL in refused.content.decode()
    assert "王秀兰" not in refused.content.decode().split("match-summary")[0]
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.ACCEPTED
    assert Recusal.objects.filter(staff=worker, kind="match_approval").exists()

    signed_in(client, colleague)
    assert "回避" in client.get("/admin/matches/").content.decode()
    approved = client.post(review, {"decision": "approve", "reason": "符合条件"})
    assert approved.status_code == 302
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.APPROVED


def test_a_related_staff_member_cannot_verify_in_the_admin_and_another_can(client, setting):
    worker = staff_user(setting["hongqi"], role=Role.STREET_STAFF)
    register(signed_in(client, worker))
    verify = f"/admin/cases/case/{setting['case'].pk}/verify/"
    page = client.post(verify, follow=True)
    assert REFUSAL in page.content.decode()
    assert not setting["case"].verifications.exists()
    signed_in(client, staff_user(setting["chaoyang"]))
    client.post(verify)
    assert setting["case"].verifications.count() == 1


@override_settings(MATCH_SECOND_APPROVAL_MINOR=200_000)
def test_above_the_limit_the_queue_shows_the_match_waiting_for_a_second_approver(client, setting):
    first, second = staff_user(setting["chaoyang"]), staff_user(setting["chaoyang"])
    review = f"/admin/matches/review/{setting['match'].pk}/"
    signed_in(client, first)
    assert client.post(review, {"decision": "approve", "reason": "材料齐全"}).status_code == 302
    assert "待第二人审批" in client.get("/admin/matches/").content.decode()
    again = client.post(review, {"decision": "approve", "reason": ""})
    assert "第二人审批" in again.content.decode()
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.ACCEPTED

    signed_in(client, second)
    assert "待第二人审批" in client.get(review).content.decode()
    assert client.post(review, {"decision": "approve", "reason": "同意"}).status_code == 302
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.APPROVED
    assert "待第二人审批" not in client.get("/admin/matches/").content.decode()
