"""Payout and volunteer-hours decisions that cannot be undone are applied only
with the confirmation ticked (checked on the server); no decision is never a
rejection."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from matching.directory.models import Role
from matching.funding.models import Disbursement, VolunteerHours
from matching.ledger.selectors import account_balance
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db

CONFIRM_MESSAGE = "此决定不可撤销，请勾选确认后再提交。"


def _request(client, match, need_account):
    return client.post(
        reverse("funding_disbursement_new"),
        {
            "match": match.pk,
            "account": need_account.code,
            "amount": "3,000.00",
            "payee_kind": "hospital",
            "payee_name": "吉林大学第一医院",
            "invoice_number": "INV-77",
        },
    )


@override_settings(DISBURSEMENT_SECOND_APPROVAL_MINOR=10_000_000)
@pytest.mark.parametrize("action", ["post", "cancel"])
def test_paying_out_or_cancelling_needs_the_confirmation(
    client, staff, match, need_account, funded, action
):
    client.force_login(staff)
    assert _request(client, match, need_account).status_code == 302
    disbursement = Disbursement.objects.get()
    detail = reverse("funding_disbursement", args=[disbursement.pk])
    page = client.get(detail).content.decode()
    assert 'name="confirm"' in page
    before, balance = disbursement.status, account_balance(account=need_account)

    refused = client.post(detail, {"action": action, "reason": "重复申请"})
    assert refused.status_code == 422 and CONFIRM_MESSAGE in refused.content.decode()
    disbursement.refresh_from_db()
    assert disbursement.status == before
    assert account_balance(account=need_account) == balance

    client.post(detail, {"action": action, "reason": "重复申请", "confirm": "on"})
    disbursement.refresh_from_db()
    assert disbursement.status == (
        Disbursement.Status.POSTED if action == "post" else Disbursement.Status.CANCELLED
    )


def test_volunteer_hours_are_never_rejected_by_default(client, staff, case, organization):
    from matching.offers.models import Match, MatchStatus
    from tests.matching_city import volunteer

    helper = volunteer("V-safe", at=(43.87, 125.30), organization=organization)
    volunteer_match = Match.objects.create(
        need=case, offer_type="volunteer", volunteer=helper, score=0.5, status=MatchStatus.APPROVED
    )
    client.force_login(staff)
    client.post(
        reverse("funding_hours_new"),
        {
            "match": volunteer_match.pk,
            "date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
            "hours": "2",
        },
    )
    entry = VolunteerHours.objects.get()
    client.force_login(pf.charity_user(organization, role=Role.CHARITY_ADMIN))
    url = reverse("funding_hours_decide", args=[entry.pk])

    nothing = client.post(url, {"reason": ""})
    assert "请选择确认或驳回。" in nothing.content.decode()
    entry.refresh_from_db()
    assert entry.status == VolunteerHours.Status.LOGGED

    refused = client.post(url, {"decision": "reject", "reason": "日期有误"})
    assert CONFIRM_MESSAGE in refused.content.decode()
    entry.refresh_from_db()
    assert entry.status == VolunteerHours.Status.LOGGED

    client.post(url, {"decision": "reject", "reason": "日期有误", "confirm": "on"})
    entry.refresh_from_db()
    assert entry.status == VolunteerHours.Status.REJECTED
