"""Recusal reaches disbursement (matching.funding's DISBURSEMENT_RULES)."""

import pytest
from django.core.exceptions import PermissionDenied

from matching.funding import services as funding
from matching.funding.permissions import funding_permissions_sync
from matching.governance.models import Recusal
from matching.governance.relatives import near_relative_register
from matching.ledger.models import Account
from matching.ledger.selectors import account_balance
from matching.ledger.services import account_open
from matching.offers.models import Match, MatchStatus, OfferType
from matching.payments.services import donation_create, donation_receive
from matching.publication.services import public_need_derive
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
REFUSAL = "您与该家庭存在已备案的近亲属关系，须回避"


@pytest.fixture
def funded_match():
    places = pf.places()
    case = pf.approved_case(places["hongqi"], names=["欧阳翠花"], amount="20000.00")
    need = public_need_derive(case=case)
    account = account_open(
        code=f"need:{need.pk}",
        kind=Account.Kind.NEED,
        category="medical",
        earmark_cap_minor=2_000_000,
    )
    donation = donation_create(target_code=account.code, amount_minor=500_000)
    donation_receive(donation=donation, reason="test")
    project = pf.project(pf.organization(places["city"], "长春市慈善总会"), "大病救助项目")
    match = Match.objects.create(
        need=case,
        offer_type=OfferType.PROJECT,
        project=project,
        score=0.9,
        status=MatchStatus.APPROVED,
    )
    return {"places": places, "case": case, "account": account, "match": match}


def request(setting, actor):
    return funding.disbursement_request(
        match=setting["match"],
        account=setting["account"],
        amount_minor=100_000,
        payee_kind="hospital",
        payee_name="长春市中心医院",
        invoice_number="INV-1",
        actor=actor,
    )


def test_a_related_staff_member_cannot_disburse_and_another_can(funded_match):
    related = pf.staff(funded_match["places"]["chaoyang"])
    member = funded_match["case"].household.members.first()
    near_relative_register(staff=related, id_number=member.id_number, relation="sibling")
    with pytest.raises(PermissionDenied, match=REFUSAL) as refused:
        request(funded_match, related)
    assert "欧阳翠花" not in str(refused.value)
    assert not funded_match["match"].disbursements.exists()
    # The refusal is on record (it is not rolled back with the request).
    recusal = Recusal.objects.get(staff=related)
    assert recusal.kind == Recusal.Kind.DISBURSEMENT
    disbursement = request(funded_match, pf.staff(funded_match["places"]["chaoyang"]))
    assert disbursement.amount_minor == 100_000
    # Nor may the related staff member move the money another person requested.
    with pytest.raises(PermissionDenied, match=REFUSAL):
        funding.disbursement_post(disbursement=disbursement, actor=related)
    assert account_balance(account=funded_match["account"]) == 500_000
    disbursement, _code = funding.disbursement_post(
        disbursement=disbursement, actor=pf.staff(funded_match["places"]["chaoyang"])
    )
    assert account_balance(account=funded_match["account"]) == 400_000


def test_the_admin_refuses_a_related_staff_members_disbursement(client, funded_match):
    funding_permissions_sync()
    related = pf.staff(funded_match["places"]["chaoyang"])
    member = funded_match["case"].household.members.first()
    near_relative_register(staff=related, id_number=member.id_number, relation="child")
    form = {
        "match": funded_match["match"].pk,
        "account": funded_match["account"].code,
        "amount": "1000.00",
        "payee_kind": "hospital",
        "payee_name": "长春市中心医院",
        "invoice_number": "INV-2",
    }
    client.force_login(related)
    refused = client.post("/admin/funding/disbursements/new/", form)
    assert refused.status_code == 422 and REFUSAL in refused.content.decode()
    assert member.id_number not in refused.content.decode()
    assert not funded_match["match"].disbursements.exists()
    client.force_login(pf.staff(funded_match["places"]["chaoyang"]))
    assert client.post("/admin/funding/disbursements/new/", form).status_code == 302
    assert funded_match["match"].disbursements.get().amount_minor == 100_000
