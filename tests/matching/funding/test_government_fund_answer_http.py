"""A government fund's proposal answered in the admin by its department, then
approved, paid out under four eyes, and the ledger balanced (docs/funding.md)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Sum
from django.test import override_settings
from django.urls import reverse

from matching.directory.models import Department
from matching.funding import services as funding
from matching.funding.models import Disbursement
from matching.ledger.models import Entry
from matching.ledger.selectors import account_balance
from matching.offers.models import Fund, FundSource, Match, MatchStatus, OfferType
from tests.matching.cases import case_factories as cf

pytestmark = pytest.mark.django_db


def admin_liaison(department):
    user = cf.liaison(department)
    user.groups.first().permissions.add(*Permission.objects.filter(codename="access_admin"))
    return user


@pytest.fixture
def department(places):
    department, _ = Department.objects.get_or_create(
        kind=Department.Kind.CIVIL_AFFAIRS,
        jurisdiction=places["chaoyang"],
        defaults={"name": "朝阳区民政局"},
    )
    return department


@pytest.fixture
def proposal(case, public_need, department, staff):
    fund = Fund.objects.create(
        source=FundSource.GOVERNMENT,
        department=department,
        name="朝阳区临时救助资金",
        categories=["temporary", "medical"],
        balance=Decimal("0.00"),
        max_per_case=Decimal("8000.00"),
    )
    funding.government_fund_appropriate(
        fund=fund, amount_minor=1_000_000, reference="朝民发〔2026〕21号", actor=staff
    )
    return Match.objects.create(
        need=case, offer_type=OfferType.FUND, fund=fund, score=0.9, amount=Decimal("6000.00")
    )


def review(match):
    return reverse("offers_admin_match_review", args=[match.pk])


@override_settings(DISBURSEMENT_SECOND_APPROVAL_MINOR=200_000)
def test_the_departments_liaison_accepts_then_staff_approve_and_pay_under_four_eyes(
    client, proposal, department, staff, second_staff
):
    client.force_login(admin_liaison(department))
    queue = client.get(reverse("matches:index")).text
    assert proposal.need.receipt_number in queue
    page = client.get(review(proposal)).text
    assert 'data-testid="respond-form"' in page and 'value="accept"' in page
    assert 'data-testid="approve-form"' not in page  # a liaison never approves
    client.post(review(proposal), {"decision": "accept"})
    proposal.refresh_from_db()
    assert proposal.status == MatchStatus.ACCEPTED

    client.force_login(staff)
    client.post(review(proposal), {"decision": "approve", "reason": "符合临时救助条件"})
    proposal.refresh_from_db()
    assert proposal.status == MatchStatus.APPROVED
    assert Fund.objects.get(pk=proposal.fund_id).balance == Decimal("4000.00")

    account = funding.government_fund_account(fund=proposal.fund)
    requested = client.post(
        reverse("funding_disbursement_new"),
        {
            "match": proposal.pk,
            "account": account.code,
            "amount": "6,000.00",
            "payee_kind": "hospital",
            "payee_name": "吉林大学第一医院",
            "invoice_number": "INV-2026-9",
        },
    )
    assert requested.status_code == 302
    disbursement = Disbursement.objects.get()
    detail = reverse("funding_disbursement", args=[disbursement.pk])
    own = client.post(detail, {"action": "approve"})
    assert own.status_code == 422 and "不能复核自己" in own.text

    client.force_login(second_staff)
    assert client.post(detail, {"action": "approve"}).status_code == 200
    assert client.post(detail, {"action": "post", "confirm": "on"}).status_code == 200
    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.POSTED
    assert account_balance(account=account) == 400_000
    sums = Entry.objects.values("transaction").annotate(total=Sum("amount_minor"))
    assert {row["total"] for row in sums} == {0}


def test_a_liaison_of_another_department_has_no_button_and_is_refused(client, proposal, places):
    health = cf.department(Department.Kind.HEALTH, places["chaoyang"])
    client.force_login(admin_liaison(health))
    assert proposal.need.receipt_number not in client.get(reverse("matches:index")).text
    assert client.get(review(proposal)).status_code == 404
    refused = client.post(review(proposal), {"decision": "accept"})
    assert refused.status_code == 404
    assert Match.objects.get(pk=proposal.pk).status == MatchStatus.PROPOSED


def test_the_department_declines_only_with_a_listed_reason_and_the_confirmation(
    client, proposal, department
):
    client.force_login(admin_liaison(department))
    unticked = client.post(
        review(proposal), {"decision": "decline", "decline_code": "out_of_purpose"}, follow=True
    )
    assert "此决定不可撤销，请勾选确认后再提交。" in unticked.text
    forged = client.post(
        review(proposal), {"decision": "decline", "decline_code": "xyz", "confirm": "on"}
    )
    assert forged.status_code == 200 and "所选原因无效，请从列表中重新选择。" in forged.text
    unlisted = client.post(review(proposal), {"decision": "decline", "confirm": "on"}, follow=True)
    assert "谢绝匹配须从列表中选择谢绝原因。" in unlisted.text
    assert Match.objects.get(pk=proposal.pk).status == MatchStatus.PROPOSED

    client.post(
        review(proposal),
        {"decision": "decline", "decline_code": "out_of_purpose", "confirm": "on"},
    )
    declined = Match.objects.get(pk=proposal.pk)
    assert declined.status == MatchStatus.DECLINED
    assert declined.decision_reason == "求助不在本资源的用途范围内"


def test_the_answer_form_reads_in_english(client, proposal, department):
    client.force_login(admin_liaison(department))
    client.cookies["django_language"] = "en"
    text = client.get(review(proposal), HTTP_ACCEPT_LANGUAGE="en").text
    for phrase in ("Answer the proposal", "Reason for declining", "The resource is used up"):
        assert phrase in text
    for chinese in ("答复匹配建议", "谢绝原因", "资源已用完"):
        assert chinese not in text
