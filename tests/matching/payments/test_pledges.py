"""Offline pledges (认捐): the donor's pages, staff confirmation one by one,
expiry, and the ledger entered exactly once."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from matching.audit.models import AuditEntry
from matching.directory.models import Role
from matching.directory.services import role_groups_sync
from matching.ledger.models import Transaction
from matching.ledger.selectors import transaction_entries
from matching.payments.models import Donation, GivingBankSettings
from matching.payments.permissions import payments_permissions_sync
from matching.payments.pledges import (
    REFERENCE_ALPHABET,
    pledge_confirm,
    pledge_create,
    pledges_expire,
    transfer_reference_new,
    transfer_reference_valid,
    transfer_references_in,
)
from matching.payments.targets import giving_target_get
from matching.scheduler.services import scheduled_jobs
from tests.matching.publication import publication_factories as pf

pytestmark = pytest.mark.django_db
ANONYMOUS = {"anonymous": True, "donor_name": "", "donor_email": ""}
ATTEMPT = re.compile(r'name="attempt" value="([0-9a-f-]{36})"')
NO_STRIPE = override_settings(STRIPE_SECRET_KEY="", STRIPE_WEBHOOK_SECRET="")


@pytest.fixture(autouse=True)
def _groups(db):
    role_groups_sync()
    payments_permissions_sync()


@pytest.fixture
def bank(db):
    site = Site.objects.get(is_default_site=True)
    return GivingBankSettings.objects.update_or_create(
        site=site,
        defaults={
            "account_name": "长春市慈善总会",
            "bank_name": "中国建设银行长春分行",
            "account_number": "2205 0161 0000 0000 1234",
            "note": "工作日当天到账。",
        },
    )[0]


@pytest.fixture
def city_staff(places):
    return pf.staff(places["city"], role=Role.CITY_STAFF)


def _url(need):
    return f"/give/need/{need.pk}/"


def _pledge(need, amount_minor=30_000, donor=ANONYMOUS):
    target = giving_target_get(kind="need", ref=str(need.pk))
    return pledge_create(target=target, amount_minor=amount_minor, donor=donor)


def _pledge_over_http(client, need, amount="300", **donor):
    data = {"method": "bank_transfer", "amount": amount, **(donor or {"anonymous": "on"})}
    page = client.post(_url(need), data).content.decode()
    assert 'data-testid="pledge-explained"' in page
    (attempt,) = ATTEMPT.findall(page)
    return client.post(_url(need), {**data, "confirmed": "on", "attempt": attempt})


# --- the reference ----------------------------------------------------------------------


def test_references_are_eight_unambiguous_characters_with_a_check_character():
    references = {transfer_reference_new() for _i in range(500)}
    assert len(references) == 500
    for reference in references:
        assert len(reference) == 8 and set(reference) <= set(REFERENCE_ALPHABET)
        assert not set(reference) & set("01ILO")
        assert transfer_reference_valid(reference)
    reference = references.pop()
    # One mistyped character, or two neighbours swapped, is caught by the check.
    wrong = next(c for c in REFERENCE_ALPHABET if c != reference[3])
    assert not transfer_reference_valid(reference[:3] + wrong + reference[4:])
    if reference[2] != reference[3]:
        swapped = reference[:2] + reference[3] + reference[2] + reference[4:]
        assert not transfer_reference_valid(swapped)


def test_references_are_found_in_a_memo_as_people_write_them():
    reference = transfer_reference_new()
    split = f"{reference[:4]}-{reference[4:]}"
    assert transfer_references_in(f"捐款{reference.lower()}张三") == [reference]
    assert transfer_references_in(f"认捐 {split}") == [reference]
    assert transfer_references_in(f"X{reference}") == []  # part of a longer code
    assert transfer_references_in("工资 12345678") == []  # fails the check


# --- the donor's pages -------------------------------------------------------------------


@NO_STRIPE
def test_without_stripe_a_donor_pledges_and_sees_the_reference_and_account(
    client, published_need, bank
):
    page = client.get(_url(published_need)).content.decode()
    assert 'name="method" value="bank_transfer"' in page and "2205 0161 0000 0000 1234" in page
    assert 'href="?amount=1000&amp;method=bank_transfer#gift-form">¥1,000<' in page
    preset = client.get(_url(published_need) + "?amount=200&method=bank_transfer").content.decode()
    assert re.search(r'name="amount" value="200"', preset)
    response = _pledge_over_http(client, published_need, amount="1,200.50")
    pledge = Donation.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/give/thanks/{pledge.tracking_code}/"
    assert (pledge.channel, pledge.status) == ("bank_transfer", "pending")
    assert pledge.amount_minor == pledge.pledged_minor == 120_050
    assert transfer_reference_valid(pledge.transfer_reference)
    expires = pledge.pledge_expires_at - pledge.created_at
    assert timedelta(days=13, hours=23) < expires <= timedelta(days=14)
    # Nothing reaches the ledger before staff confirm the money arrived.
    assert not Transaction.objects.exists()

    thanks = client.get(response["Location"]).content.decode()
    assert f'data-testid="transfer-reference">{pledge.transfer_reference}<' in thanks
    assert 'data-testid="pledge-amount">¥1,200.50<' in thanks
    assert "中国建设银行长春分行" in thanks and "工作日当天到账。" in thanks
    assert pledge.tracking_code in thanks and f'href="/track/{pledge.tracking_code}/"' in thanks
    assert f'href="/needs/{published_need.pk}/"' in thanks  # a way back to the need
    printable = client.get(f"/give/pledge/{pledge.tracking_code}/print/").content.decode()
    assert pledge.transfer_reference in printable and "2205 0161 0000 0000 1234" in printable


def test_a_donor_who_gives_an_email_gets_the_transfer_details(
    published_need, bank, django_capture_on_commit_callbacks
):
    donor = {**ANONYMOUS, "donor_email": "giver@example.com"}
    with django_capture_on_commit_callbacks(execute=True):
        pledge = _pledge(published_need, 30_000, donor)
        _pledge(published_need, 30_000)  # no address, no e-mail
    (message,) = mail.outbox
    assert message.to == ["giver@example.com"]
    for detail in (pledge.transfer_reference, "¥300.00", "2205 0161 0000 0000 1234"):
        assert detail in message.body
    assert pledge.tracking_code in message.body


@NO_STRIPE
def test_the_same_confirmation_sent_twice_makes_one_pledge(client, published_need, bank):
    data = {"method": "bank_transfer", "amount": "300", "anonymous": "on"}
    (attempt,) = ATTEMPT.findall(client.post(_url(published_need), data).content.decode())
    confirm = {**data, "confirmed": "on", "attempt": attempt}
    first, second = (
        client.post(_url(published_need), confirm),
        client.post(_url(published_need), confirm),
    )
    assert first["Location"] == second["Location"]
    assert Donation.objects.count() == 1


BAD_AMOUNTS = [
    ("abc", "请输入有效的金额"),
    ("0.5", "认捐金额至少 ¥1.00"),
    ("12.345", "金额最多两位小数"),
    ("10000000.01", "单笔金额不能超过 ¥10,000,000.00"),
]


def test_bad_pledge_amounts_are_refused_with_a_message(client, published_need, bank):
    for amount, message in BAD_AMOUNTS:
        data = {"method": "bank_transfer", "amount": amount, "anonymous": "on", "confirmed": "on"}
        response = client.post(_url(published_need), data)
        page = response.content.decode()
        assert response.status_code == 422 and message in page, amount
        assert 'data-testid="form-errors"' in page
    assert not Donation.objects.exists()


def test_bad_input_is_in_english_on_english_pages(client, published_need, bank):
    client.cookies["django_language"] = "en"
    data = {"method": "bank_transfer", "amount": "0.5", "anonymous": "on"}
    page = client.post(_url(published_need), data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    (summary,) = re.findall(r'data-testid="form-errors".*?</div>', page, flags=re.S)
    assert "Donation amount (yuan)</a>: A pledge must be at least ¥1.00." in summary
    assert not re.search(r"[\u4e00-\u9fff，。：（）]", summary)


def test_without_a_bank_account_no_pledge_is_offered(client, published_need, settings):
    settings.GIVING_BANK_ACCOUNT_NUMBER = ""
    page = client.get(_url(published_need)).content.decode()
    assert 'value="bank_transfer"' not in page and "12345" in page
    data = {"method": "bank_transfer", "amount": "300", "anonymous": "on", "confirmed": "on"}
    assert client.post(_url(published_need), data).status_code == 422
    assert not Donation.objects.exists()


def test_the_environment_fills_a_fresh_site_s_account(client, published_need, settings):
    settings.GIVING_BANK_ACCOUNT_NAME = "某某基金会"
    settings.GIVING_BANK_NAME = "中国银行"
    settings.GIVING_BANK_ACCOUNT_NUMBER = "9999 8888"
    page = client.get(_url(published_need)).content.decode()
    assert "9999 8888" in page and 'value="bank_transfer"' in page


def test_with_stripe_the_donor_chooses_online_or_transfer(client, published_need, bank):
    page = client.get(_url(published_need)).content.decode()
    radios = re.findall(r'type="radio"[^>]*name="method" value="(\w+)"', page)
    assert radios == ["card", "bank_transfer"]
    assert _pledge_over_http(client, published_need).status_code == 303
    assert Donation.objects.get().channel == "bank_transfer"


# --- staff confirm, one by one ----------------------------------------------------------


def test_confirming_enters_the_ledger_once_and_the_track_page_shows_it(
    client, published_need, bank, city_staff, django_capture_on_commit_callbacks
):
    pledge = _pledge(published_need, 600_000, {**ANONYMOUS, "donor_email": "d@example.com"})
    with django_capture_on_commit_callbacks(execute=True):
        confirmed, created = pledge_confirm(
            pledge=pledge,
            bank_transaction_id="CCB0001",
            received_minor=600_000,
            confirmed_by=city_staff,
        )
    again, created_again = pledge_confirm(
        pledge=pledge,
        bank_transaction_id="CCB0001",
        received_minor=600_000,
        confirmed_by=city_staff,
    )
    assert created and not created_again and again.pk == confirmed.pk
    assert confirmed.status == "succeeded" and confirmed.recorded_by == city_staff
    assert confirmed.offline_reference == "CCB0001"
    assert Transaction.objects.count() == 1
    assert transaction_entries(idempotency_key=f"donation-{pledge.pk}-received") == {
        "offline:clearing": -600_000,
        f"need:{published_need.pk}": 500_000,
        "general:medical": 100_000,
    }
    assert [m.to for m in mail.outbox] == [["d@example.com"]]
    assert (
        AuditEntry.objects.filter(object_type="payments.donation", action="transition").count() == 1
    )
    track = client.get(f"/track/{pledge.tracking_code}/").content.decode()
    assert 'data-testid="gift-status">已到账<' in track
    thanks = client.get(f"/give/thanks/{pledge.tracking_code}/").content.decode()
    assert 'data-testid="pledge-received"' in thanks


def test_a_differing_amount_is_refused_unless_staff_accept_what_arrived(
    published_need, bank, city_staff
):
    pledge = _pledge(published_need, 30_000)
    with pytest.raises(ValidationError, match=r"与认捐金额 ¥300\.00 不符"):
        pledge_confirm(
            pledge=pledge, bank_transaction_id="T1", received_minor=20_000, confirmed_by=city_staff
        )
    assert not Transaction.objects.exists()
    confirmed, _created = pledge_confirm(
        pledge=pledge,
        bank_transaction_id="T1",
        received_minor=20_000,
        confirmed_by=city_staff,
        accept_difference=True,
    )
    assert (confirmed.amount_minor, confirmed.pledged_minor) == (20_000, 30_000)
    assert (
        transaction_entries(idempotency_key=f"donation-{pledge.pk}-received")[
            f"need:{published_need.pk}"
        ]
        == 20_000
    )


def test_one_bank_transfer_confirms_one_pledge(published_need, bank, city_staff):
    first, second = _pledge(published_need), _pledge(published_need)
    pledge_confirm(
        pledge=first, bank_transaction_id="T9", received_minor=30_000, confirmed_by=city_staff
    )
    with pytest.raises(ValidationError, match="T9 已登记为另一笔捐赠"):
        pledge_confirm(
            pledge=second, bank_transaction_id="T9", received_minor=30_000, confirmed_by=city_staff
        )
    with pytest.raises(ValidationError, match="已确认过"):
        pledge_confirm(
            pledge=first, bank_transaction_id="T10", received_minor=30_000, confirmed_by=city_staff
        )
    assert Transaction.objects.count() == 1


def test_a_transfer_confirmed_for_another_pledge_at_the_same_moment_is_a_message(
    published_need, bank, city_staff, monkeypatch
):
    from matching.payments import pledges

    first, second = _pledge(published_need), _pledge(published_need)
    pledge_confirm(
        pledge=first, bank_transaction_id="RACE", received_minor=30_000, confirmed_by=city_staff
    )
    # As if the other clerk's commit landed between our check and our write.
    monkeypatch.setattr(pledges, "_refuse_used_transaction", lambda txn: None)
    with pytest.raises(ValidationError, match="流水号 RACE 已登记为另一笔捐赠"):
        pledge_confirm(
            pledge=second,
            bank_transaction_id="RACE",
            received_minor=30_000,
            confirmed_by=city_staff,
        )
    second.refresh_from_db()
    assert (second.status, second.offline_reference) == ("pending", "")
    assert Transaction.objects.count() == 1


def test_staff_confirm_in_the_admin(client, published_need, bank, city_staff):
    pledge = _pledge(published_need, 30_000)
    client.force_login(city_staff)
    listing = client.get("/admin/payments_pledges/").content.decode()
    assert pledge.transfer_reference in listing
    url = f"/admin/payments/pledges/{pledge.pk}/confirm/"
    assert 'value="300.00"' in client.get(url).content.decode()
    refused = client.post(url, {"bank_transaction_id": "B1", "received": "250"})
    assert refused.status_code == 422 and "不符" in refused.content.decode()
    response = client.post(url, {"bank_transaction_id": "B1", "received": "300"})
    assert response.status_code == 302 and response["Location"] == "/admin/payments_pledges/"
    pledge.refresh_from_db()
    assert pledge.status == "succeeded"
    assert (
        f"/pledges/{pledge.pk}/confirm/"
        not in client.get("/admin/payments_pledges/").content.decode()
    )


def test_only_city_staff_confirm_pledges(client, places, published_need, bank):
    pledge = _pledge(published_need)
    client.force_login(pf.staff(places["chaoyang"], role=Role.DISTRICT_STAFF))
    assert client.get("/admin/payments_pledges/").status_code in (302, 403)
    url = f"/admin/payments/pledges/{pledge.pk}/confirm/"
    # Wagtail answers a refusal in the admin with a redirect to its home page.
    assert client.post(url, {"bank_transaction_id": "B1", "received": "300"}).status_code in (
        302,
        403,
    )
    assert client.get("/admin/payments/statements/upload/").status_code in (302, 403)
    pledge.refresh_from_db()
    assert pledge.status == "pending"


# --- expiry -------------------------------------------------------------------------------


def test_unpaid_pledges_expire_and_can_still_be_confirmed(client, published_need, bank, city_staff):
    old, fresh = _pledge(published_need), _pledge(published_need)
    Donation.objects.filter(pk=old.pk).update(
        pledge_expires_at=timezone.now() - timedelta(minutes=1)
    )
    call_command("pledges_expire", stdout=open("/dev/null", "w"))  # noqa: SIM115
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == ("expired", "pending")
    assert pledges_expire() == 0  # already expired: nothing more
    thanks = client.get(f"/give/thanks/{old.tracking_code}/").content.decode()
    assert 'data-testid="pledge-expired"' in thanks and old.transfer_reference in thanks
    # The money arrived late: it is still the donor's gift to the need.
    confirmed, _created = pledge_confirm(
        pledge=old, bank_transaction_id="LATE1", received_minor=30_000, confirmed_by=city_staff
    )
    assert confirmed.status == "succeeded"
    assert [c.to_status for c in confirmed.status_changes.all()] == ["expired", "succeeded"]


def test_the_expiry_is_a_setting_and_a_daily_scheduler_job(published_need, bank, settings):
    settings.GIVING_PLEDGE_DAYS = 3
    pledge = _pledge(published_need)
    assert (
        timedelta(days=2, hours=23) < pledge.pledge_expires_at - timezone.now() <= timedelta(days=3)
    )
    job = {job.name: job for job in scheduled_jobs()}["pledges_expire"]
    Donation.objects.update(pledge_expires_at=timezone.now() - timedelta(seconds=1))
    assert job.task.enqueue().return_value == 1  # the test settings run tasks at once
    pledge.refresh_from_db()
    assert pledge.status == "expired"


def test_a_reused_confirmation_page_with_another_amount_is_refused(published_need, bank):
    target = giving_target_get(kind="need", ref=str(published_need.pk))
    attempt = uuid.uuid4()
    pledge_create(target=target, amount_minor=10_000, donor=ANONYMOUS, attempt=attempt)
    with pytest.raises(ValidationError, match="该确认页已提交过另一笔捐赠"):
        pledge_create(target=target, amount_minor=20_000, donor=ANONYMOUS, attempt=attempt)


def test_city_staff_edit_the_receiving_account_in_wagtail_settings(
    client, published_need, city_staff, places
):
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/payments/givingbanksettings/{site.pk}/"
    client.force_login(pf.staff(places["chaoyang"], role=Role.DISTRICT_STAFF))
    assert client.get(url).status_code in (302, 403)
    client.force_login(city_staff)
    assert client.get(url).status_code == 200
    account = {
        "account_name": "长春市慈善总会",
        "bank_name": "中国农业银行长春分行",
        "account_number": "0711 0101 0400 0000 0001",
        "note": "",
    }
    assert client.post(url, account).status_code == 302
    page = client.get(_url(published_need)).content.decode()
    assert "0711 0101 0400 0000 0001" in page and "中国农业银行长春分行" in page


def test_the_confirming_staff_dashboard_counts_the_pledges_its_link_lists(
    client, places, published_need, bank, city_staff
):
    from matching.core.workqueue import my_queue

    waiting = [_pledge(published_need, amount) for amount in (10_000, 20_000, 30_000)]
    pledge_confirm(
        pledge=waiting[0], bank_transaction_id="Q1", received_minor=10_000, confirmed_by=city_staff
    )
    (tally,) = [t for t in my_queue(user=city_staff) if t.queue.key == "pledges"]
    assert tally.count == 2
    client.force_login(city_staff)
    assert tally.url in client.get("/admin/").content.decode()
    listing = client.get(tally.url).content.decode()
    assert [p.transfer_reference in listing for p in waiting] == [False, True, True]
    district = pf.staff(places["chaoyang"], role=Role.DISTRICT_STAFF)
    assert "pledges" not in [t.queue.key for t in my_queue(user=district)]
