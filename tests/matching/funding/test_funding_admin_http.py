"""The admin screens: request, second approval, post; in-kind; hours; ledger views."""

import datetime
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from matching.directory.models import Role
from matching.funding.models import Disbursement, InKindGift, VolunteerHours
from matching.ledger.models import Account
from matching.ledger.selectors import account_balance
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def request_payout(client, match, need_account, amount="3,000.00"):
    return client.post(
        reverse("funding_disbursement_new"),
        {
            "match": match.pk,
            "account": need_account.code,
            "amount": amount,
            "payee_kind": "hospital",
            "payee_name": "吉林大学第一医院",
            "invoice_number": "INV-77",
        },
    )


def test_staff_see_the_funding_menu_and_listings(client, staff, match, need_account, funded):
    login(client, staff)
    for name in (
        "funding_disbursements:index",
        "funding_in_kind:index",
        "funding_volunteer_hours:index",
        "funding_ledger_accounts:index",
        "funding_ledger_transactions:index",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    text = client.get(reverse("funding_ledger_accounts:index")).content.decode()
    assert need_account.code in text and "¥10,000.00" in text


@override_settings(DISBURSEMENT_SECOND_APPROVAL_MINOR=200_000)
def test_request_approve_by_another_and_post_through_the_admin(
    client, staff, second_staff, match, need_account, funded
):
    response = request_payout(login(client, staff), match, need_account)
    assert response.status_code == 302
    disbursement = Disbursement.objects.get()
    assert disbursement.status == Disbursement.Status.REQUESTED
    detail = reverse("funding_disbursement", args=[disbursement.pk])

    refused = client.post(detail, {"action": "approve"})
    assert refused.status_code == 422
    assert "不能复核自己" in refused.content.decode()

    login(client, second_staff)
    assert client.post(detail, {"action": "approve"}).status_code == 200
    posted = client.post(detail, {"action": "post", "confirm": "on"})
    assert posted.status_code == 200
    text = posted.content.decode()
    code = re.search(r'data-testid="issued-code-digits">(\d{6})<', text).group(1)
    assert len(code) == 6
    assert account_balance(account=need_account) == 700_000
    # Shown once: reloading the page shows the reference, never the code again.
    assert code not in client.get(detail).content.decode()


def test_a_wrong_amount_is_a_chinese_message_not_a_500(client, staff, match, need_account, funded):
    login(client, staff)
    too_precise = request_payout(client, match, need_account, amount="10.005")
    assert too_precise.status_code == 422
    assert "最多两位小数" in too_precise.content.decode()
    too_much = request_payout(client, match, need_account, amount="20,000")
    assert too_much.status_code == 422
    assert "可用余额" in too_much.content.decode()
    assert not Disbursement.objects.exists()


def test_staff_of_another_district_see_nothing_of_it(
    client, staff, outsider, match, need_account, funded
):
    request_payout(login(client, staff), match, need_account)
    disbursement = Disbursement.objects.get()
    login(client, outsider)
    listing = client.get(reverse("funding_disbursements:index")).content.decode()
    assert match.need.receipt_number not in listing
    assert client.get(reverse("funding_disbursement", args=[disbursement.pk])).status_code == 404
    # Nor can they pick the match in the request form.
    response = request_payout(client, match, need_account)
    assert response.status_code == 422


def test_a_charity_member_cannot_open_disbursements(client, organization):
    member = pf.charity_user(organization, role=Role.CHARITY_MEMBER)
    login(client, member)
    response = client.get(reverse("funding_disbursement_new"))
    assert response.status_code == 302 and response.url == "/admin/"


def test_in_kind_gift_recorded_and_delivered_in_the_admin(client, staff, public_need):
    login(client, staff)
    response = client.post(
        reverse("funding_in_kind_new"),
        {
            "items": "棉被",
            "quantity": "2",
            "unit": "床",
            "estimated_value": "300",
            "need": public_need.pk,
            "anonymous": "on",
        },
    )
    assert response.status_code == 302
    gift = InKindGift.objects.get()
    assert gift.estimated_value_minor == 30_000
    delivered = client.post(reverse("funding_in_kind", args=[gift.pk]), {"action": "deliver"})
    assert 'data-testid="issued-code-digits"' in delivered.content.decode()
    gift.refresh_from_db()
    assert gift.status == InKindGift.Status.DELIVERED


def test_hours_logged_by_staff_and_confirmed_by_the_organization_admin(
    client, staff, case, organization
):
    from matching.offers.models import Match, MatchStatus, OfferType
    from tests.matching_city import volunteer

    helper = volunteer("V-admin", at=(43.87, 125.30), organization=organization)
    volunteer_match = Match.objects.create(
        need=case,
        offer_type=OfferType.VOLUNTEER,
        volunteer=helper,
        score=0.5,
        status=MatchStatus.APPROVED,
    )
    login(client, staff)
    logged = client.post(
        reverse("funding_hours_new"),
        {
            "match": volunteer_match.pk,
            "date": (datetime.date.today() - datetime.timedelta(days=1)).isoformat(),
            "hours": "3.5",
        },
    )
    assert logged.status_code == 302
    entry = VolunteerHours.objects.get()
    # Staff may not confirm: Wagtail answers a refusal by sending them back.
    refused = client.post(reverse("funding_hours_decide", args=[entry.pk]), {"decision": "confirm"})
    assert refused.status_code == 302 and refused.url == "/admin/"
    entry.refresh_from_db()
    assert entry.status == VolunteerHours.Status.LOGGED
    admin = pf.charity_user(organization, role=Role.CHARITY_ADMIN)
    login(client, admin)
    assert helper.name in client.get(reverse("funding_volunteer_hours:index")).content.decode()
    client.post(reverse("funding_hours_decide", args=[entry.pk]), {"decision": "confirm"})
    entry.refresh_from_db()
    assert entry.status == VolunteerHours.Status.CONFIRMED


def test_the_ledger_views_are_read_only(client, staff, need_account, funded):
    login(client, staff)
    account = Account.objects.get(code=need_account.code)
    assert (
        client.get(reverse("funding_ledger_accounts:inspect", args=[account.pk])).status_code == 200
    )
    with pytest.raises(Exception):  # noqa: B017 - no edit URL exists at all
        reverse("funding_ledger_accounts:edit", args=[account.pk])


def test_the_detail_screens_render_for_a_flagged_delivery(
    client, staff, match, need_account, funded
):
    from django.core.management import call_command
    from django.utils import timezone

    from matching.funding.models import ReceiptConfirmation

    request_payout(login(client, staff), match, need_account)
    disbursement = Disbursement.objects.get()
    detail = reverse("funding_disbursement", args=[disbursement.pk])
    client.post(detail, {"action": "post", "confirm": "on"})
    ReceiptConfirmation.objects.update(delivered_at=timezone.now() - datetime.timedelta(days=30))
    call_command("funding_flag_unconfirmed")
    text = client.get(detail).content.decode()
    assert "已逾期提醒" in text and "待确认" in text
    reissued = client.post(detail, {"action": "reissue"})
    assert re.search(r'data-testid="issued-code-digits">\d{6}<', reissued.content.decode())


def test_the_public_confirm_page_opens(client, db):
    response = client.get(reverse("funding:confirm"))
    assert response.status_code == 200
    assert "确认收到帮扶" in response.content.decode()
