"""Each event reaches its recipient once per chosen channel, in the recipient's
language, and names nobody else: the household's name, ID numbers, phones and
address, the donor and the complainant are planted and searched for in every
message on every channel."""

from decimal import Decimal

import pytest
from django.core import mail
from matching_city import need, organization, project
from notification_kit import (
    CJK,
    assert_no_personal_data,
    english_without_chinese_template,
    prefer,
    received,
)

from matching.cases import services as case_services
from matching.cases.models import CaseStatus
from matching.directory.models import Role
from matching.directory.services import account_create
from matching.governance import services as governance
from matching.ledger.models import Account
from matching.ledger.services import account_open
from matching.notifications.models import Channel, EventKind, Message
from matching.notifications.sms import MemorySmsSender
from matching.offers.models import MatchStatus
from matching.offers.services import match_decide, match_respond, matches_propose
from matching.payments.services import donation_create, donation_receive
from tests.matching.cases.case_factories import city_tree, department, liaison, staff

pytestmark = pytest.mark.django_db

HOUSEHOLD = ["王秀兰", "李建军", "13804310001", "工农大路", "1288"]
CHARITY_PHONE = "13904315566"


@pytest.fixture
def world():
    places = city_tree()
    charity = organization("O-1", "长春市慈善总会")
    dialysis = project(charity, "P-dialysis")
    admin = account_create(
        username="charity-admin",
        password="x-pass-2026",
        role=Role.CHARITY_ADMIN,
        jurisdiction=places["city"],
        organization=charity,
        email="charity@assist.example",
    )
    case = need(places["hongqi"])
    members = list(case.household.members.all())
    secrets = HOUSEHOLD + [m.id_number for m in members] + [m.name for m in members]
    return {
        "places": places,
        "charity": charity,
        "project": dialysis,
        "admin": admin,
        "case": case,
        "secrets": secrets,
    }


def _propose(world, capture):
    with capture(execute=True):
        (match,) = matches_propose(
            need=world["case"],
            proposals=[{"type": "project", "offer": "P-dialysis", "score": 0.9, "reasons": "-"}],
        )
    return match


def _once_everywhere(got, kind):
    assert [m.kind for m in got["inbox"]] == [kind]
    assert len(got["email"]) == 1 and len(got["sms"]) == 1
    return got["inbox"][0]


def test_a_proposal_reaches_the_charity_once_per_channel_in_english(
    world, django_capture_on_commit_callbacks
):
    prefer(world["admin"], language="en", phone=CHARITY_PHONE)
    _propose(world, django_capture_on_commit_callbacks)

    got = received(world["admin"], CHARITY_PHONE)
    message = _once_everywhere(got, EventKind.MATCH_PROPOSED)
    assert "New match proposal" in message.subject
    assert world["case"].receipt_number in message.body
    for text in [message.subject, message.body, got["email"][0].body, got["sms"][0]]:
        assert english_without_chinese_template(text, allowed=["大病透析救助"])
    assert_no_personal_data(world["secrets"])


def test_only_the_chosen_channels_are_used(world, django_capture_on_commit_callbacks):
    prefer(world["admin"], channels=[Channel.INBOX], phone=CHARITY_PHONE)
    _propose(world, django_capture_on_commit_callbacks)
    got = received(world["admin"], CHARITY_PHONE)
    assert len(got["inbox"]) == 1 and got["email"] == [] and got["sms"] == []
    assert CJK.search(got["inbox"][0].body)  # Chinese, the default language


def test_approval_and_rejection_reach_the_offer_side(world, django_capture_on_commit_callbacks):
    prefer(world["admin"], language="en", phone=CHARITY_PHONE)
    match = _propose(world, django_capture_on_commit_callbacks)
    district = staff(world["places"]["chaoyang"])
    Message.objects.all().delete()
    mail.outbox.clear()
    MemorySmsSender.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        match_respond(match=match, actor=world["admin"], accept=True)
        match_decide(match=match, actor=district, approve=True, reason="符合条件")
    match.refresh_from_db()
    assert match.status == MatchStatus.APPROVED
    message = _once_everywhere(received(world["admin"], CHARITY_PHONE), EventKind.MATCH_DECIDED)
    assert "approved" in message.subject

    second = matches_propose(
        need=world["case"],
        proposals=[{"type": "project", "offer": "P-dialysis", "score": 0.9, "reasons": "-"}],
    )
    assert second == []  # the approved pair stays open: reject a fresh project's proposal
    project(world["charity"], "P-second", title="助学金")
    with django_capture_on_commit_callbacks(execute=True):
        (other,) = matches_propose(
            need=world["case"],
            proposals=[{"type": "project", "offer": "P-second", "score": 0.5, "reasons": "-"}],
        )
        match_decide(match=other, actor=district, approve=False, reason="家庭已获同类救助")
    decided = Message.objects.filter(
        recipient=world["admin"], kind=EventKind.MATCH_DECIDED
    ).order_by("pk")
    assert decided.count() == 2 and "not approved" in decided.last().subject
    # The staff's reason concerns the household: it is not passed on.
    assert all("家庭已获同类救助" not in m.body for m in decided)
    assert_no_personal_data(world["secrets"])


def test_each_status_change_texts_the_applicant_in_chinese_without_a_name(
    world, django_capture_on_commit_callbacks
):
    case = world["case"]
    district = staff(world["places"]["chaoyang"])
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_transition(case=case, to_status=CaseStatus.UNDER_REVIEW, actor=district)
    texts = [text for to, text in MemorySmsSender.outbox if to == case.contact_phone]
    assert len(texts) == 1
    assert case.receipt_number in texts[0] and "审核中" in texts[0]
    assert_no_personal_data([s for s in world["secrets"] if s != case.contact_phone])
    assert "王秀兰" not in texts[0]


def test_a_referral_reaches_the_liaison_with_its_deadline_in_their_language(
    world, django_capture_on_commit_callbacks
):
    places = world["places"]
    case = world["case"]
    case_services.case_transition(
        case=case, to_status=CaseStatus.UNDER_REVIEW, actor=staff(places["chaoyang"])
    )
    health = department("health", places["chaoyang"])
    officer = liaison(health)
    prefer(officer, language="en", phone="13904310022")
    with django_capture_on_commit_callbacks(execute=True):
        referral = case_services.referral_create(
            case=case, department=health, category="medical", actor=staff(places["chaoyang"])
        )
    message = _once_everywhere(received(officer, "13904310022"), EventKind.REFERRAL)
    assert "New referral" in message.subject
    assert case.receipt_number in message.body
    due = referral.due_at.astimezone().strftime("%Y-%m-%d")
    assert due[:4] in message.body and "Medical" in message.body
    assert message.link.endswith(f"/referral/{referral.pk}/") or str(referral.pk) in message.link
    assert_no_personal_data(world["secrets"])


def test_a_gift_to_a_project_reaches_the_charity_without_the_donor(
    world, django_capture_on_commit_callbacks
):
    prefer(world["admin"], language="en", phone=CHARITY_PHONE)
    account_open(code=f"project:{world['project'].pk}", kind=Account.Kind.PROJECT)
    with django_capture_on_commit_callbacks(execute=True):
        donation = donation_create(
            target_code=f"project:{world['project'].pk}",
            amount_minor=50_000,
            donor_name="慷慨的赵先生",
            donor_email="zhao.donor@example.com",
            anonymous=False,
        )
        donation_receive(donation=donation, reason="test")
    message = _once_everywhere(received(world["admin"], CHARITY_PHONE), EventKind.DONATION)
    assert "¥500.00" in message.body
    assert_no_personal_data([*world["secrets"], "慷慨的赵先生", "zhao.donor@example.com"])


def test_a_complaint_routes_to_staff_and_its_progress_texts_the_complainant(
    world, django_capture_on_commit_callbacks
):
    places = world["places"]
    handler = staff(places["chaoyang"])
    prefer(handler, language="en", phone="13904310033")
    with django_capture_on_commit_callbacks(execute=True):
        complaint, _code = governance.complaint_file(
            place=places["hongqi"],
            subject_kind="case_handling",
            content="窗口工作人员态度恶劣，王秀兰的申请被拖延。",
            contact_name="投诉人钱女士",
            contact_phone="13604319876",
        )
    message = _once_everywhere(received(handler, "13904310033"), EventKind.COMPLAINT)
    assert complaint.receipt_number in message.subject
    with django_capture_on_commit_callbacks(execute=True):
        governance.complaint_start(complaint=complaint, actor=handler)
    texts = [text for to, text in MemorySmsSender.outbox if to == "13604319876"]
    assert len(texts) == 1 and complaint.receipt_number in texts[0] and "办理中" in texts[0]
    assert_no_personal_data([*world["secrets"], "钱女士", "态度恶劣", "13604319876"[:-1] + "X"])
    assert all("13604319876" not in m.body for m in Message.objects.all())


def test_a_payout_awaiting_a_second_approver_reaches_the_other_staff(
    world, django_capture_on_commit_callbacks, settings
):
    from matching.funding.services import disbursement_request
    from matching.offers.models import Match, OfferType

    settings.DISBURSEMENT_SECOND_APPROVAL_MINOR = 10_000
    places = world["places"]
    requester, reviewer = staff(places["chaoyang"]), staff(places["chaoyang"])
    prefer(reviewer, language="en", phone="13904310044")
    prefer(requester, phone="13904310055")
    case = world["case"]
    case.status = CaseStatus.APPROVED
    case.save(update_fields=["status"])
    match = Match.objects.create(
        need=case,
        offer_type=OfferType.PROJECT,
        project=world["project"],
        score=0.9,
        amount=Decimal("3000.00"),
        status=MatchStatus.APPROVED,
    )
    account = account_open(code=f"project:{world['project'].pk}", kind=Account.Kind.PROJECT)
    donation_receive(
        donation=donation_create(target_code=account.code, amount_minor=500_000), reason="t"
    )
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        disbursement_request(
            match=match,
            account=account,
            amount_minor=200_000,
            payee_kind="hospital",
            payee_name="长春市中心医院",
            actor=requester,
            invoice_number="INV-1",
        )
    message = _once_everywhere(received(reviewer, "13904310044"), EventKind.DISBURSEMENT)
    assert case.receipt_number in message.subject and "¥2,000.00" in message.body
    assert not Message.objects.filter(recipient=requester, kind=EventKind.DISBURSEMENT).exists()
    assert_no_personal_data(world["secrets"])
