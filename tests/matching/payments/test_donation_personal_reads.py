"""The donations screens show donors' names (and e-mails to city staff): audited reads."""

import pytest
from django.urls import reverse

from matching.audit.models import AuditEntry
from matching.directory.models import Role
from matching.directory.services import role_groups_sync
from matching.payments.giving import offline_donation_record
from matching.payments.models import Donation
from matching.payments.permissions import payments_permissions_sync
from matching.payments.targets import giving_target_get
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
NAMED = {"anonymous": False, "donor_name": "赵强", "donor_email": "zq@example.com"}
ANONYMOUS = {"anonymous": True, "donor_name": "", "donor_email": ""}


@pytest.fixture(autouse=True)
def _groups(db):
    role_groups_sync()
    payments_permissions_sync()


def _give(need, reference, donor):
    donation, _created = offline_donation_record(
        target=giving_target_get(kind="need", ref=str(need.pk)),
        channel=Donation.Channel.BANK_TRANSFER,
        reference=reference,
        amount_minor=10_000,
        donor=donor,
        recorded_by=None,
    )
    return donation


def _reads():
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.READ_PERSONAL_DATA, object_type="payments.donation"
    )


def _no_personal_data_in(entry):
    text = f"{entry.summary} {entry.before} {entry.after}"
    return "赵强" not in text and "zq@example.com" not in text


@pytest.mark.parametrize(
    ("role", "place", "contact_shown"),
    [(Role.CITY_STAFF, "city", True), (Role.DISTRICT_STAFF, "chaoyang", False)],
)
def test_the_donations_list_logs_which_donors_it_showed(
    client, places, published_need, role, place, contact_shown
):
    named = _give(published_need, "BOC001", NAMED)
    _give(published_need, "BOC002", ANONYMOUS)
    reader = pf.staff(places[place], role=role)
    client.force_login(reader)
    page = client.get(reverse("payments_donations:index")).content.decode()
    assert "赵强" in page and ("zq@example.com" in page) is contact_shown
    (read,) = _reads()
    assert read.actor == reader
    assert read.after == {"donations": [named.pk], "contact_shown": contact_shown}
    assert _no_personal_data_in(read)


def test_a_page_of_anonymous_gifts_logs_nothing_a_named_donor_is_logged(
    client, places, published_need
):
    _give(published_need, "BOC002", ANONYMOUS)
    client.force_login(pf.staff(places["city"], role=Role.CITY_STAFF))
    assert client.get(reverse("payments_donations:index")).status_code == 200
    assert not _reads().exists()
    named = _give(published_need, "BOC001", NAMED)
    assert client.get(reverse("payments_donations:index")).status_code == 200
    assert [read.after["donations"] for read in _reads()] == [[named.pk]]


def test_inspecting_a_named_donation_is_logged(client, places, published_need):
    named = _give(published_need, "BOC001", NAMED)
    inspector = pf.staff(places["city"], role=Role.INSPECTOR)
    client.force_login(inspector)
    page = client.get(reverse("payments_donations:inspect", args=[named.pk])).content.decode()
    assert "赵强" in page and "zq@example.com" not in page
    (read,) = _reads()
    assert (read.actor, read.object_id) == (inspector, str(named.pk))
    assert read.after == {"donations": [named.pk], "contact_shown": False}
    assert _no_personal_data_in(read)
