"""Bank transfers and cash recorded by staff, and the donations screens in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching.directory.models import Role
from matching.directory.services import role_groups_sync
from matching.ledger.selectors import account_summary_by_code, transaction_entries
from matching.payments.giving import offline_donation_record
from matching.payments.models import Donation
from matching.payments.permissions import payments_permissions_sync
from matching.payments.services import donation_refund
from matching.payments.targets import giving_target_get
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
OFFLINE_URL = "/admin/payments/offline/"
ANONYMOUS = {"anonymous": True, "donor_name": "", "donor_email": ""}


@pytest.fixture(autouse=True)
def _groups(db):
    role_groups_sync()
    payments_permissions_sync()


def _staff(places, role):
    return pf.staff(places["chaoyang"] if role != Role.CITY_STAFF else places["city"], role=role)


def _record(need, user, reference="BOC20261128001", amount_minor=700_000, **kwargs):
    return offline_donation_record(
        target=giving_target_get(kind="need", ref=str(need.pk)),
        channel=kwargs.get("channel", Donation.Channel.BANK_TRANSFER),
        reference=reference,
        amount_minor=amount_minor,
        donor=kwargs.get("donor", ANONYMOUS),
        recorded_by=user,
    )


def test_a_bank_transfer_is_earmarked_from_offline_clearing_without_stripe(
    published_need, reviewer, settings
):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    donation, created = _record(published_need, reviewer)
    assert created and donation.status == Donation.Status.SUCCEEDED
    assert donation.channel == Donation.Channel.BANK_TRANSFER and donation.tracking_code
    assert donation.recorded_by == reviewer
    assert transaction_entries(idempotency_key=f"donation-{donation.pk}-received") == {
        "offline:clearing": -700_000,
        f"need:{published_need.pk}": 500_000,
        "general:medical": 200_000,
    }
    assert account_summary_by_code(code=f"need:{published_need.pk}").raised_minor == 500_000


def test_the_need_card_shows_what_the_ledger_raised(
    published_need, reviewer, django_capture_on_commit_callbacks
):
    assert published_need.raised_amount == 0
    with django_capture_on_commit_callbacks(execute=True):
        _record(published_need, reviewer, amount_minor=123_456)
    published_need.refresh_from_db()
    assert str(published_need.raised_amount) == "1234.56"
    assert published_need.progress_percent == 24  # of 5,000 yuan
    # The overflow of a second gift does not count toward the need.
    with django_capture_on_commit_callbacks(execute=True):
        _record(published_need, reviewer, reference="BOC-2", amount_minor=1_000_000)
    published_need.refresh_from_db()
    assert str(published_need.raised_amount) == "5000.00"


def test_an_offline_gift_is_never_refunded_through_stripe(published_need, reviewer):
    donation, _created = _record(published_need, reviewer)
    with pytest.raises(ValidationError, match="线下捐赠不能通过在线支付退款"):
        donation_refund(donation=donation)
    donation.refresh_from_db()
    assert donation.status == Donation.Status.SUCCEEDED
    assert account_summary_by_code(code=f"need:{published_need.pk}").raised_minor == 500_000


def test_recording_the_same_reference_twice_records_one_gift(published_need, reviewer):
    first, _created = _record(published_need, reviewer)
    again, created = _record(published_need, reviewer, reference=" BOC20261128001 ")
    assert again == first and not created
    assert Donation.objects.count() == 1
    with pytest.raises(ValidationError, match="已登记为另一笔捐赠"):
        _record(published_need, reviewer, amount_minor=1_000)
    # The same number on a cash receipt is another document.
    _cash, created = _record(published_need, reviewer, channel=Donation.Channel.CASH)
    assert created


def test_city_staff_record_a_gift_in_the_admin_and_see_donor_contact(
    client, places, published_need
):
    clerk = _staff(places, Role.CITY_STAFF)
    client.force_login(clerk)
    data = {
        "channel": "cash",
        "reference": "XJ-0001",
        "amount": "300.00",
        "target_kind": "need",
        "target_ref": str(published_need.pk),
        "donor_name": "王芳",
        "donor_email": "wangfang@example.com",
    }
    response = client.post(OFFLINE_URL, data)
    donation = Donation.objects.get()
    assert response.status_code == 302
    assert (donation.channel, donation.amount_minor, donation.donor_name) == (
        "cash",
        30_000,
        "王芳",
    )
    listing = client.get(reverse("payments_donations:index")).content.decode()
    assert donation.tracking_code in listing and "wangfang@example.com" in listing


def test_district_staff_see_donations_without_donor_contact(client, places, published_need):
    _record(
        published_need,
        None,
        donor={"anonymous": False, "donor_name": "赵强", "donor_email": "zq@example.com"},
    )
    donation = Donation.objects.get()
    client.force_login(_staff(places, Role.DISTRICT_STAFF))
    listing = client.get(reverse("payments_donations:index"))
    assert listing.status_code == 200 and donation.tracking_code in listing.content.decode()
    assert "zq@example.com" not in listing.content.decode()
    inspect = client.get(reverse("payments_donations:inspect", args=[donation.pk]))
    assert inspect.status_code == 200 and "zq@example.com" not in inspect.content.decode()
    filtered = client.get(reverse("payments_donations:index"), {"channel": "card"})
    assert donation.tracking_code not in filtered.content.decode()
    searched = client.get(reverse("payments_donations:index"), {"q": donation.offline_reference})
    assert searched.status_code == 200 and donation.tracking_code in searched.content.decode()
    # Stripe events carry billing details: city staff only.
    assert client.get(reverse("payments_stripe_events:index")).status_code in (302, 403)


def test_bad_entries_are_a_form_message_and_nothing_is_written(client, places, published_need):
    client.force_login(_staff(places, Role.CITY_STAFF))
    base = {"channel": "bank_transfer", "reference": "R1", "target_kind": "need", "anonymous": "on"}
    bad_amount = client.post(OFFLINE_URL, {**base, "amount": "1.999", "target_ref": "1"})
    assert bad_amount.status_code == 422 and "金额最多两位小数" in bad_amount.content.decode()
    no_target = client.post(OFFLINE_URL, {**base, "amount": "10", "target_ref": "999999"})
    assert no_target.status_code == 422 and "未找到该捐赠对象" in no_target.content.decode()
    assert not Donation.objects.exists()


def test_staff_without_the_permission_cannot_record(client, places):
    client.force_login(_staff(places, Role.STREET_STAFF))
    response = client.get(OFFLINE_URL)
    # Wagtail answers a refused admin view by sending the user back to the dashboard.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.post(OFFLINE_URL, {"reference": "X"}).status_code == 302
    assert not Donation.objects.exists()
