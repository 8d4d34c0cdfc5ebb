"""Near-relative registration, recusal and the second approver, at the service level."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from recusal_factories import MOTHER_ID, STRANGER_ID, accepted_match, staff_user

from matching.audit.models import AuditEntry
from matching.cases.services import NotPermitted, case_verify
from matching.governance.models import MatchApproval, NearRelative, Recusal
from matching.governance.relatives import near_relative_register, near_relative_remove
from matching.governance.selectors import recusal_count
from matching.offers.models import Match, MatchStatus, Project
from matching.offers.services import match_decide

pytestmark = pytest.mark.django_db
REFUSAL = "您与该家庭存在已备案的近亲属关系，须回避"


@pytest.fixture
def setting():
    return accepted_match()


def related_staff(setting):
    worker = staff_user(setting["chaoyang"])
    near_relative_register(staff=worker, id_number=MOTHER_ID, relation="parent", name="王秀兰")
    return worker


def test_the_id_number_is_encrypted_indexed_masked_and_kept_out_of_the_audit(setting):
    worker = related_staff(setting)
    relative = NearRelative.objects.get(staff=worker)
    assert relative.id_number == MOTHER_ID
    assert relative.id_masked == MOTHER_ID[:4] + "*" * 10 + MOTHER_ID[-4:]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM governance_nearrelative WHERE id = %s", [relative.pk])
        stored = cursor.fetchone()[0]
    assert MOTHER_ID not in stored and stored.startswith("fernet:")
    entry = AuditEntry.objects.get(object_type="governance.nearrelative", action="create")
    assert MOTHER_ID not in str(entry.after) + entry.summary


def test_a_number_is_validated_and_registered_once(setting):
    worker = related_staff(setting)
    with pytest.raises(ValidationError, match="已经备案"):
        near_relative_register(staff=worker, id_number=MOTHER_ID.lower(), relation="parent")
    with pytest.raises(ValidationError):
        near_relative_register(staff=worker, id_number="220104195903020000", relation="parent")
    assert NearRelative.objects.filter(staff=worker).count() == 1


def test_a_related_approver_is_refused_the_recusal_recorded_and_others_told(
    setting, django_capture_on_commit_callbacks
):
    worker = related_staff(setting)
    colleague = staff_user(setting["chaoyang"])
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(PermissionDenied, match=REFUSAL) as refused,
    ):
        match_decide(match=setting["match"], actor=worker, approve=True)
    assert "王秀兰" not in str(refused.value) and MOTHER_ID[-4:] not in str(refused.value)
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.ACCEPTED
    recusal = Recusal.objects.get(staff=worker)
    assert (recusal.kind, recusal.object_id) == ("match_approval", str(setting["match"].pk))
    assert AuditEntry.objects.filter(action="recusal", actor=worker).count() == 1
    told = {address for message in mail.outbox for address in message.to}
    assert colleague.email in told and worker.email not in told
    assert all("王秀兰" not in message.body for message in mail.outbox)

    match_decide(match=setting["match"], actor=colleague, approve=True, reason="符合条件")
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.APPROVED


def test_refusing_twice_records_one_recusal(setting):
    worker = related_staff(setting)
    for _attempt in range(2):
        with pytest.raises(PermissionDenied):
            match_decide(match=setting["match"], actor=worker, approve=True)
    assert Recusal.objects.filter(staff=worker).count() == 1


def test_an_unrelated_registration_does_not_block(setting):
    worker = staff_user(setting["chaoyang"])
    near_relative_register(staff=worker, id_number=STRANGER_ID, relation="sibling")
    match_decide(match=setting["match"], actor=worker, approve=True)
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.APPROVED
    assert not Recusal.objects.exists()


def test_withdrawing_the_registration_is_audited_and_lifts_the_block(setting):
    worker = related_staff(setting)
    near_relative_remove(staff=worker, relative=NearRelative.objects.get(staff=worker))
    assert AuditEntry.objects.filter(action="delete", actor=worker).count() == 1
    match_decide(match=setting["match"], actor=worker, approve=True)
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.APPROVED


def test_someone_else_cannot_withdraw_a_registration(setting):
    worker = related_staff(setting)
    with pytest.raises(PermissionDenied):
        near_relative_remove(
            staff=staff_user(setting["chaoyang"]), relative=NearRelative.objects.get(staff=worker)
        )
    assert NearRelative.objects.filter(staff=worker).exists()


def test_a_related_staff_member_cannot_verify_and_another_can(setting):
    worker = related_staff(setting)
    with pytest.raises(NotPermitted, match=REFUSAL):
        case_verify(case=setting["case"], actor=worker)
    assert not setting["case"].verifications.exists()
    assert Recusal.objects.get(staff=worker).kind == "case_verification"
    verification = case_verify(case=setting["case"], actor=staff_user(setting["hongqi"]))
    assert verification.household_size == 2


def test_recusal_count_covers_the_subtree_and_the_period(setting):
    worker = related_staff(setting)
    with pytest.raises(PermissionDenied):
        match_decide(match=setting["match"], actor=worker, approve=True)
    with pytest.raises(NotPermitted):
        case_verify(case=setting["case"], actor=worker)
    today = dt.date.today()
    assert recusal_count(jurisdiction=setting["city"], start=today, end=today) == 2
    assert recusal_count(jurisdiction=setting["chaoyang"], start=today, end=today) == 2
    nanguan = setting["city"].children.get(code="220102")
    assert recusal_count(jurisdiction=nanguan, start=today, end=today) == 0
    yesterday = today - dt.timedelta(days=1)
    assert recusal_count(jurisdiction=setting["city"], start=yesterday, end=yesterday) == 0


@override_settings(MATCH_SECOND_APPROVAL_MINOR=200_000)
def test_above_the_limit_a_second_different_approver_completes(
    setting, django_capture_on_commit_callbacks
):
    first, second = staff_user(setting["chaoyang"]), staff_user(setting["hongqi"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        match_decide(match=setting["match"], actor=first, approve=True, reason="材料齐全")
    waiting = Match.objects.get(pk=setting["match"].pk)
    assert waiting.status == MatchStatus.ACCEPTED
    assert Project.objects.get(ref="P-dialysis").budget_remaining == 20000
    assert AuditEntry.objects.filter(action="approval", actor=first).count() == 1
    assert second.email in {address for message in mail.outbox for address in message.to}

    with pytest.raises(PermissionDenied, match="第二人审批"):
        match_decide(match=waiting, actor=first, approve=True)
    match_decide(match=waiting, actor=second, approve=True, reason="同意")
    approved = Match.objects.get(pk=setting["match"].pk)
    assert (approved.status, approved.decided_by) == (MatchStatus.APPROVED, second)
    assert Project.objects.get(ref="P-dialysis").budget_remaining == 17000
    assert MatchApproval.objects.filter(match=approved).count() == 2


@override_settings(MATCH_SECOND_APPROVAL_MINOR=300_000)
def test_at_or_below_the_limit_one_approver_suffices(setting):
    match_decide(match=setting["match"], actor=staff_user(setting["chaoyang"]), approve=True)
    assert Match.objects.get(pk=setting["match"].pk).status == MatchStatus.APPROVED
    assert not MatchApproval.objects.exists()
