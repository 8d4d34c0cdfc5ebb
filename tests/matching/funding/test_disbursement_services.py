"""Disbursement: 专款专用, the balance, four eyes, idempotency, jurisdiction, audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from matching.audit.models import AuditEntry
from matching.core.errors import DomainError, refusal_message
from matching.funding import services
from matching.funding.models import Disbursement, PayeeKind
from matching.ledger.models import Account, Transaction
from matching.ledger.selectors import account_balance, transaction_unbalanced_list
from matching.ledger.services import account_open
from matching.offers.models import Match, MatchStatus, OfferType

pytestmark = pytest.mark.django_db


def request(match, account, actor, amount=100_000, **kwargs):
    values = {
        "payee_kind": PayeeKind.HOSPITAL,
        "payee_name": "吉林大学第一医院",
        "invoice_number": "INV-2026-001",
    }
    values.update(kwargs)
    return services.disbursement_request(
        match=match, account=account, amount_minor=amount, actor=actor, **values
    )


def all_balances():
    return sum(account_balance(account=account) for account in Account.objects.all())


def test_a_small_payout_moves_money_from_the_need_to_disbursed(match, need_account, funded, staff):
    disbursement = request(match, need_account, staff, amount=300_000)
    assert disbursement.status == Disbursement.Status.APPROVED  # below the four-eyes line
    disbursement, (reference, code) = services.disbursement_post(
        disbursement=disbursement, actor=staff
    )
    assert disbursement.status == Disbursement.Status.POSTED
    assert disbursement.transaction.kind == Transaction.Kind.DISBURSEMENT
    assert account_balance(account=need_account) == 1_000_000 - 300_000
    assert account_balance(account=Account.objects.get(code="disbursed")) == 300_000
    assert all_balances() == 0
    assert not transaction_unbalanced_list().exists()
    assert len(code) == 6 and code.isdigit()
    assert disbursement.confirmation.reference == reference
    assert code not in disbursement.confirmation.code_hash


def test_posting_twice_pays_once(match, need_account, funded, staff):
    disbursement = request(match, need_account, staff, amount=300_000)
    services.disbursement_post(disbursement=disbursement, actor=staff)
    again, code = services.disbursement_post(disbursement=disbursement, actor=staff)
    assert code is None
    assert again.transaction == Disbursement.objects.get().transaction
    assert Transaction.objects.filter(kind=Transaction.Kind.DISBURSEMENT).count() == 1
    assert account_balance(account=need_account) == 700_000
    assert Transaction.objects.get(kind="disbursement").idempotency_key == (
        f"disbursement-{disbursement.pk}"
    )


def test_money_earmarked_for_another_need_is_refused(
    match, need_account, funded, staff, places, make_donation
):
    other = account_open(
        code="need:99999", kind=Account.Kind.NEED, category="medical", earmark_cap_minor=900_000
    )
    make_donation(500_000, target=other)
    with pytest.raises(PermissionDenied, match="已定向用于其他求助"):
        request(match, other, staff)
    assert not Disbursement.objects.exists()
    assert account_balance(account=other) == 500_000


def test_the_general_fund_cannot_pay_a_match_directly(match, funded, staff):
    general = (
        Account.objects.get(code="general:medical")
        if Account.objects.filter(code="general:medical").exists()
        else account_open(code="general:medical", kind=Account.Kind.GENERAL)
    )
    with pytest.raises(PermissionDenied):
        request(match, general, staff)


def test_the_projects_own_account_may_pay_its_match(match, project, staff, make_donation):
    project_account = account_open(
        code=f"project:{project.pk}", kind=Account.Kind.PROJECT, category="medical"
    )
    make_donation(200_000, target=project_account)
    disbursement = request(match, project_account, staff, amount=150_000)
    services.disbursement_post(disbursement=disbursement, actor=staff)
    assert account_balance(account=project_account) == 50_000


def test_more_than_the_balance_is_refused(match, need_account, funded, staff):
    with pytest.raises(ValidationError, match="可用余额"):
        request(match, need_account, staff, amount=1_000_001)
    assert not Disbursement.objects.exists()


def test_open_requests_count_against_the_balance(match, need_account, funded, staff):
    request(match, need_account, staff, amount=700_000)
    with pytest.raises(ValidationError, match="可用余额"):
        request(match, need_account, staff, amount=400_000, invoice_number="INV-2")
    assert Disbursement.objects.count() == 1


@pytest.mark.parametrize(
    "status", [MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.REJECTED]
)
def test_a_match_that_is_not_approved_is_refused(match, need_account, funded, staff, status):
    Match.objects.filter(pk=match.pk).update(status=status)
    match.refresh_from_db()
    with pytest.raises(PermissionDenied, match="已批准的匹配"):
        request(match, need_account, staff)


def test_more_than_the_match_amount_is_refused(match, need_account, funded, staff):
    Match.objects.filter(pk=match.pk).update(amount="2000.00")
    match.refresh_from_db()
    request(match, need_account, staff, amount=150_000)
    with pytest.raises(ValidationError, match="批准的资助金额"):
        request(match, need_account, staff, amount=60_000, invoice_number="INV-2")


def test_evidence_is_required(match, need_account, funded, staff):
    with pytest.raises(ValidationError, match="凭证"):
        request(match, need_account, staff, invoice_number="  ")


def test_staff_of_another_district_cannot_request(match, need_account, funded, outsider):
    with pytest.raises(PermissionDenied, match="无权"):
        request(match, need_account, outsider)


@override_settings(DISBURSEMENT_SECOND_APPROVAL_MINOR=200_000)
def test_above_the_line_a_second_staff_member_must_approve(
    match, need_account, funded, staff, second_staff
):
    disbursement = request(match, need_account, staff, amount=500_000)
    assert disbursement.status == Disbursement.Status.REQUESTED
    with pytest.raises(ValidationError, match="尚未通过复核"):
        services.disbursement_post(disbursement=disbursement, actor=staff)
    assert account_balance(account=need_account) == 1_000_000
    with pytest.raises(PermissionDenied, match="不能复核自己"):
        services.disbursement_approve(disbursement=disbursement, actor=staff)
    approved = services.disbursement_approve(disbursement=disbursement, actor=second_staff)
    assert approved.approved_by == second_staff
    services.disbursement_post(disbursement=approved, actor=staff)
    assert account_balance(account=need_account) == 500_000


@override_settings(DISBURSEMENT_SECOND_APPROVAL_MINOR=200_000)
def test_the_second_approver_must_handle_the_case_too(match, need_account, funded, staff, outsider):
    disbursement = request(match, need_account, staff, amount=500_000)
    with pytest.raises(PermissionDenied, match="无权"):
        services.disbursement_approve(disbursement=disbursement, actor=outsider)
    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.REQUESTED


def test_the_database_refuses_the_requester_as_approver(match, need_account, funded, staff):
    from django.db import IntegrityError, transaction

    disbursement = request(match, need_account, staff, amount=100_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=disbursement.pk).update(approved_by=staff)


def test_every_rule_in_the_hook_list_is_run_on_request_and_approval(
    match, need_account, funded, staff, second_staff, monkeypatch
):
    calls = []

    def first(disbursement, actor):
        calls.append(("first", actor.pk))

    def recusal(disbursement, actor):
        calls.append(("recusal", actor.pk))
        return "与受助家庭存在近亲属关系，应当回避。" if actor == second_staff else None

    monkeypatch.setattr(services.disbursements, "DISBURSEMENT_RULES", [first, recusal])
    with override_settings(DISBURSEMENT_SECOND_APPROVAL_MINOR=0):
        disbursement = request(match, need_account, staff)
        with pytest.raises(PermissionDenied, match="回避"):
            services.disbursement_approve(disbursement=disbursement, actor=second_staff)
    assert calls == [
        ("first", staff.pk),
        ("recusal", staff.pk),
        ("first", second_staff.pk),
        ("recusal", second_staff.pk),
    ]


def test_request_approve_and_post_are_audited(match, need_account, funded, staff, second_staff):
    with override_settings(DISBURSEMENT_SECOND_APPROVAL_MINOR=0):
        disbursement = request(match, need_account, staff)
        services.disbursement_approve(disbursement=disbursement, actor=second_staff)
        services.disbursement_post(disbursement=disbursement, actor=staff)
    entries = AuditEntry.objects.filter(
        object_type="funding.disbursement", object_id=str(disbursement.pk)
    ).order_by("at", "id")
    assert [(e.actor_label, e.action) for e in entries] == [
        (staff.username, "create"),
        (second_staff.username, "transition"),
        (staff.username, "transition"),
    ]
    assert "吉林大学" not in " ".join(e.summary for e in entries)


def test_a_cancelled_request_frees_the_balance(match, need_account, funded, staff):
    disbursement = request(match, need_account, staff, amount=900_000)
    with pytest.raises(ValidationError, match="理由"):
        services.disbursement_cancel(disbursement=disbursement, actor=staff, reason=" ")
    services.disbursement_cancel(disbursement=disbursement, actor=staff, reason="发票有误")
    request(match, need_account, staff, amount=900_000, invoice_number="INV-3")


def test_a_volunteer_match_has_no_account_of_its_own(
    case, public_need, need_account, funded, staff
):
    from tests.matching_city import volunteer

    helper = volunteer("V-1", at=(43.87, 125.30))
    volunteer_match = Match.objects.create(
        need=case,
        offer_type=OfferType.VOLUNTEER,
        volunteer=helper,
        score=0.5,
        status=MatchStatus.APPROVED,
    )
    # The need's own money may still pay toward the volunteer match's need.
    disbursement = request(volunteer_match, need_account, staff, amount=10_000)
    assert disbursement.account == need_account


def test_a_posted_disbursement_cannot_be_cancelled_or_approved_again(
    match, need_account, funded, staff
):
    disbursement = request(match, need_account, staff, amount=300_000)
    disbursement, _code = services.disbursement_post(disbursement=disbursement, actor=staff)
    with pytest.raises(DomainError) as refused:
        services.disbursement_cancel(disbursement=disbursement, actor=staff, reason="误操作")
    assert refusal_message(refused.value) == "只能撤销尚未拨付的申请。"
    with pytest.raises(DomainError, match="不在待复核状态"):
        services.disbursement_approve(disbursement=disbursement, actor=staff)
    disbursement.refresh_from_db()
    assert disbursement.status == Disbursement.Status.POSTED
    assert account_balance(account=need_account) == 700_000
