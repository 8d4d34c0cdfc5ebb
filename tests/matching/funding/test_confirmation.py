"""The household confirms receipt with a one-time code; unconfirmed deliveries are flagged."""

import datetime
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from matching.funding import services
from matching.funding.models import PayeeKind, ReceiptConfirmation
from matching.funding.sms import MemorySender

pytestmark = pytest.mark.django_db
CONFIRM_URL = "/confirm/"


@pytest.fixture
def posted(match, need_account, funded, staff):
    disbursement = services.disbursement_request(
        match=match,
        account=need_account,
        amount_minor=200_000,
        payee_kind=PayeeKind.HOSPITAL,
        payee_name="吉林大学第一医院",
        invoice_number="INV-9",
        actor=staff,
    )
    disbursement, (reference, code) = services.disbursement_post(
        disbursement=disbursement, actor=staff
    )
    return disbursement, reference, code


def wrong(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_the_url_is_named():
    assert reverse("funding:confirm") == CONFIRM_URL


def test_the_right_code_confirms_receipt(client, posted):
    disbursement, reference, code = posted
    response = client.post(CONFIRM_URL, {"reference": reference.lower(), "code": code})
    assert response.status_code == 200
    assert "感谢您的确认" in response.content.decode()
    assert ReceiptConfirmation.objects.get(disbursement=disbursement).confirmed_at is not None


def test_a_wrong_code_and_an_unknown_reference_get_the_same_answer(client, posted):
    _disbursement, reference, code = posted
    bad_code = client.post(CONFIRM_URL, {"reference": reference, "code": wrong(code)})
    bad_reference = client.post(CONFIRM_URL, {"reference": "RNOSUCHREF", "code": code})
    assert bad_code.status_code == bad_reference.status_code == 400
    message = "确认编号或确认码不正确，或已失效。"
    assert message in bad_code.content.decode()
    assert message in bad_reference.content.decode()
    assert ReceiptConfirmation.objects.get(reference=reference).confirmed_at is None


def test_malformed_input_is_a_clear_message(client, posted):
    response = client.post(CONFIRM_URL, {"reference": "", "code": "12ab"})
    assert response.status_code == 400
    assert "确认码为 6 位数字" in response.content.decode()


@override_settings(CONFIRMATION_MAX_ATTEMPTS=3)
def test_the_code_locks_after_too_many_wrong_tries(posted):
    _disbursement, reference, code = posted
    for _ in range(3):
        with pytest.raises(services.ConfirmationRefused):
            services.confirmation_confirm(reference=reference, code=wrong(code))
    assert ReceiptConfirmation.objects.get(reference=reference).failed_attempts == 3
    with pytest.raises(services.ConfirmationRefused):
        services.confirmation_confirm(reference=reference, code=code)  # right, but locked
    assert ReceiptConfirmation.objects.get(reference=reference).confirmed_at is None


@override_settings(CONFIRMATION_MAX_ATTEMPTS=1)
def test_staff_can_reissue_a_locked_code(posted, staff):
    _disbursement, reference, code = posted
    with pytest.raises(services.ConfirmationRefused):
        services.confirmation_confirm(reference=reference, code=wrong(code))
    confirmation = ReceiptConfirmation.objects.get(reference=reference)
    _reference, new_code = services.confirmation_reissue(confirmation=confirmation, actor=staff)
    services.confirmation_confirm(reference=reference, code=new_code)
    assert ReceiptConfirmation.objects.get(reference=reference).confirmed_at is not None


def test_an_expired_code_is_refused(posted):
    _disbursement, reference, code = posted
    ReceiptConfirmation.objects.filter(reference=reference).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(services.ConfirmationRefused):
        services.confirmation_confirm(reference=reference, code=code)


@override_settings(FUNDING_CONFIRM_RATE="2/d")
def test_the_confirm_page_is_rate_limited(client, posted):
    _disbursement, reference, code = posted
    codes = [
        client.post(CONFIRM_URL, {"reference": reference, "code": wrong(code)}).status_code
        for _ in range(3)
    ]
    assert codes == [400, 400, 429]


@override_settings(CONFIRMATION_SMS_SENDER="matching.funding.sms.MemorySender")
def test_the_code_can_be_sent_by_text_message(posted, staff, case):
    _disbursement, reference, _old = posted
    MemorySender.outbox.clear()
    confirmation = ReceiptConfirmation.objects.get(reference=reference)
    services.confirmation_send_sms(confirmation=confirmation, actor=staff)
    ((phone, text),) = MemorySender.outbox
    assert phone == case.contact_phone
    new_code = text.split("确认码")[1][:6]
    services.confirmation_confirm(reference=reference, code=new_code)


def test_the_log_sender_logs_neither_the_phone_nor_the_code(posted, staff, case, caplog):
    _disbursement, reference, _old = posted
    confirmation = ReceiptConfirmation.objects.get(reference=reference)
    with caplog.at_level(logging.DEBUG):
        services.confirmation_send_sms(confirmation=confirmation, actor=staff)
    logged = caplog.text
    assert reference in logged
    assert case.contact_phone not in logged
    assert case.contact_phone[-4:] not in logged
    # No 6-digit run at all: the code is not in the log.
    import re

    assert not re.search(r"(?<!\d)\d{6}(?!\d)", logged.replace(reference, ""))


@override_settings(CONFIRMATION_DEADLINE_DAYS=14)
def test_unconfirmed_deliveries_past_the_deadline_are_flagged_to_supervisors(
    posted, staff, django_capture_on_commit_callbacks
):
    _disbursement, reference, _code = posted
    ReceiptConfirmation.objects.filter(reference=reference).update(
        delivered_at=timezone.now() - datetime.timedelta(days=13)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("funding_flag_unconfirmed")
    assert ReceiptConfirmation.objects.get(reference=reference).flagged_at is None
    assert not mail.outbox

    ReceiptConfirmation.objects.filter(reference=reference).update(
        delivered_at=timezone.now() - datetime.timedelta(days=15)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("funding_flag_unconfirmed")
    assert ReceiptConfirmation.objects.get(reference=reference).flagged_at is not None
    # One e-mail per supervisor; the staff member gets exactly one.
    (_mine,) = [m for m in mail.outbox if staff.email in m.to]
    assert all(len(m.to) == 1 and reference in m.body for m in mail.outbox)
    assert not any("欧阳" in m.body for m in mail.outbox)
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("funding_flag_unconfirmed")  # flagged once, not every day
    assert len(mail.outbox) == sent


def test_a_confirmed_delivery_is_never_flagged(posted):
    _disbursement, reference, code = posted
    services.confirmation_confirm(reference=reference, code=code)
    ReceiptConfirmation.objects.filter(reference=reference).update(
        delivered_at=timezone.now() - datetime.timedelta(days=60)
    )
    from matching.funding.tasks import confirmations_flag_overdue

    result = confirmations_flag_overdue.enqueue()
    assert result.return_value == 0
    assert ReceiptConfirmation.objects.get(reference=reference).flagged_at is None
