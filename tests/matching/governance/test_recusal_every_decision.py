"""Every decision on a household goes through the one recusal rule
(``relatives.recusal_check``): case transitions, duplicate-aid rulings, match
rejections (through the admin and the API), the approval of the public need
and the handling of a complaint about the case. Refused with the recusal
message, nothing changed, a Recusal recorded; an unrelated colleague decides.
(Verification, match approval and disbursement: test_recusal_admin_http.py,
test_recusal_api.py, test_recusal_disbursement.py.)"""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from recusal_factories import MOTHER_ID, PASSWORD, accepted_match, staff_user

from matching.cases.models import AssistanceRecord, CaseStatus, DuplicateFlag
from matching.cases.services import assistance_record_submit, case_check_duplicates
from matching.directory.services import role_groups_sync
from matching.governance import services as governance
from matching.governance.models import Complaint, Recusal
from matching.governance.relatives import near_relative_register
from matching.offers.models import Match, MatchStatus
from matching.publication.services import public_need_derive
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
REFUSAL = "您与该家庭存在已备案的近亲属关系，须回避"


@pytest.fixture
def setting():
    return accepted_match()


def signed_in(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def related_and_colleague(place):
    related, colleague = staff_user(place), staff_user(place)
    near_relative_register(staff=related, id_number=MOTHER_ID, relation="parent")
    return related, colleague


def test_a_related_staff_member_cannot_move_the_case_and_a_colleague_can(setting):
    case = setting["case"]
    related, colleague = related_and_colleague(setting["chaoyang"])
    url = f"/admin/cases/case/{case.pk}/transition/"
    move = {"to_status": CaseStatus.UNDER_REVIEW, "note": ""}

    page = signed_in(related).post(url, move, follow=True)
    assert REFUSAL in page.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert not case.transitions.exists()
    assert Recusal.objects.filter(staff=related, kind="case_transition").count() == 1

    signed_in(colleague).post(url, move)
    case.refresh_from_db()
    assert case.status == CaseStatus.UNDER_REVIEW
    assert not Recusal.objects.filter(staff=colleague).exists()


def test_a_related_staff_member_cannot_rule_on_a_duplicate_flag(setting):
    case = setting["case"]
    assistance_record_submit(
        id_number=MOTHER_ID,
        category="medical",
        start=timezone.localdate() - dt.timedelta(days=30),
        source=AssistanceRecord.Source.MANUAL,
        provider_department="health",
        amount="800.00",
    )
    (flag,) = case_check_duplicates(case=case)
    related, colleague = related_and_colleague(setting["chaoyang"])
    url = f"/admin/cases/flag/{flag.pk}/adjudicate/"
    ruling = {"decision": DuplicateFlag.Decision.NOT_DUPLICATE, "note": "医保报销，不构成重复"}

    page = signed_in(related).post(url, ruling, follow=True)
    assert REFUSAL in page.content.decode()
    flag.refresh_from_db()
    assert flag.decision == DuplicateFlag.Decision.PENDING and flag.decided_by is None
    assert Recusal.objects.filter(staff=related, kind="duplicate_flag").count() == 1

    signed_in(colleague).post(url, ruling)
    flag.refresh_from_db()
    assert flag.decision == DuplicateFlag.Decision.NOT_DUPLICATE
    assert flag.decided_by == colleague


def test_a_related_staff_member_cannot_reject_the_match_in_the_admin(setting):
    match = setting["match"]
    related, colleague = related_and_colleague(setting["chaoyang"])
    review = f"/admin/matches/review/{match.pk}/"
    rejection = {
        "decision": "reject",
        "reason": "不符合项目条件",
        "confirm": "on",
        "reject_code": "other",
    }

    page = signed_in(related).post(review, rejection)
    assert page.status_code == 200 and REFUSAL in page.content.decode()
    assert Match.objects.get(pk=match.pk).status == MatchStatus.ACCEPTED
    assert Recusal.objects.filter(staff=related, kind="match_rejection").count() == 1

    assert signed_in(colleague).post(review, rejection).status_code == 302
    assert Match.objects.get(pk=match.pk).status == MatchStatus.REJECTED


def test_a_related_staff_member_cannot_reject_the_match_through_the_api(setting):
    match = setting["match"]
    related, colleague = related_and_colleague(setting["chaoyang"])
    url = f"/api/v1/staff/matches/{match.pk}/decision"
    rejection = {"decision": "reject", "reason": "不符合项目条件"}

    refused = signed_in(related).post(url, rejection, content_type="application/json")
    assert refused.status_code == 403
    assert REFUSAL in refused.json()["detail"]
    assert Match.objects.get(pk=match.pk).status == MatchStatus.ACCEPTED
    assert Recusal.objects.filter(staff=related, kind="match_rejection").count() == 1

    done = signed_in(colleague).post(url, rejection, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "rejected"


def test_a_related_reviewer_cannot_approve_the_public_need(client):
    places = pf.places()
    case = pf.approved_case(places["hongqi"], names=["欧阳翠花"])
    need = public_need_derive(case=case)
    related, colleague = pf.staff(places["chaoyang"]), pf.staff(places["chaoyang"])
    relative = case.household.members.first()
    near_relative_register(staff=related, id_number=relative.id_number, relation="sibling")
    state = need.get_workflow().start(need, colleague)
    url = reverse(
        "wagtailsnippets_publication_publicneed:workflow_action",
        args=[need.pk, "approve", state.current_task_state.pk],
    )

    client.force_login(related)
    page = client.post(url, follow=True)
    assert REFUSAL in page.content.decode()
    need.refresh_from_db()
    assert not need.live
    assert Recusal.objects.filter(staff=related, kind="publication").count() == 1

    client.force_login(colleague)
    client.post(url)
    need.refresh_from_db()
    assert need.live


def test_a_related_staff_member_cannot_handle_a_complaint_about_the_case(setting):
    role_groups_sync()
    governance.governance_permissions_sync()
    case = setting["case"]
    complaint, _code = governance.complaint_file(
        place=setting["hongqi"],
        subject_kind=Complaint.Subject.CASE_HANDLING,
        subject_name=case.receipt_number,
        content="审核拖延，无人答复。",
    )
    related, colleague = related_and_colleague(setting["chaoyang"])
    url = reverse("complaints:edit", args=[complaint.pk])
    conclusion = {"outcome": "unsubstantiated", "reply": "经核查，办理未超时限。", "confirm": "on"}

    page = signed_in(related).post(url, conclusion)
    assert page.status_code == 200 and REFUSAL in page.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ROUTED and complaint.outcome == ""
    assert Recusal.objects.filter(staff=related, kind="complaint").count() == 1

    assert signed_in(colleague).post(url, conclusion).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CONCLUDED
    assert complaint.concluded_by == colleague

    # A complaint naming no case of the household does not make anyone stand aside.
    other, _code = governance.complaint_file(
        place=setting["hongqi"],
        subject_kind=Complaint.Subject.CHARITY,
        content="项目资金去向不明。",
    )
    governance.complaint_start(complaint=other, actor=related)
    other.refresh_from_db()
    assert other.status == Complaint.Status.IN_PROGRESS
    assert Recusal.objects.filter(staff=related).count() == 1
