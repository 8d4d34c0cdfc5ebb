"""Offline pledges (认捐): a donor promises a bank transfer, staff confirm it.

A pledge is a ``Donation`` with channel ``bank_transfer``, status
``pending`` and a ``transfer_reference``: the eight characters the donor
writes in the transfer's memo. Nothing reaches the ledger until staff
confirm the money arrived (``pledge_confirm``, one by one or from a bank
statement, ``payments.statements``); the confirmation posts the same
``donation-<id>-received`` earmark as every other gift, from
``offline:clearing``, keyed so that it happens once.
"""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import luhn

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record_for
from matching.ledger.models import Account
from matching.ledger.money import format_yuan
from matching.ledger.services import account_open, funds_earmark

from .models import Donation
from .selectors import OFFLINE_CLEARING_CODE, ledger_key_prefix
from .services import _receipts_after_commit, _transition_many, donation_status_set
from .targets import giving_account_sync
from .tasks import pledge_instructions_send

# No 0/O, 1/I/L: nothing a donor can misread or mistype for another.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_BODY = 7  # + one Luhn mod 31 check character = 8
# In a memo: eight letters or digits, optionally split 4+4 by a space or hyphen,
# not part of a longer run of letters or digits.
_IN_MEMO = re.compile(r"(?<![0-9A-Z])([0-9A-Z]{4})[ -]?([0-9A-Z]{4})(?![0-9A-Z])")
MIN_PLEDGE_MINOR = 100  # one yuan
MAX_PLEDGE_MINOR = 1_000_000_000  # ten million yuan
CONFIRMABLE = (Donation.Status.PENDING, Donation.Status.EXPIRED)


def transfer_reference_new():
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(REFERENCE_BODY))
    return body + luhn.calc_check_digit(body, alphabet=REFERENCE_ALPHABET)


def transfer_reference_valid(reference):
    if len(reference) != REFERENCE_BODY + 1 or set(reference) - set(REFERENCE_ALPHABET):
        return False
    return luhn.checksum(reference, alphabet=REFERENCE_ALPHABET) == 0


def transfer_references_in(memo):
    """The well-formed references a memo contains, in order, without repeats."""
    found = []
    for first, second in _IN_MEMO.findall((memo or "").upper()):
        reference = first + second
        if transfer_reference_valid(reference) and reference not in found:
            found.append(reference)
    return found


def transfer_reference_normalize(text):
    """What staff type into a search box: spaces and hyphens dropped, upper case."""
    return re.sub(r"[\s-]", "", text or "").upper()


@transaction.atomic
def pledge_create(*, target, amount_minor, donor, attempt=None):
    """A pending bank-transfer donation with a fresh transfer reference.

    ``attempt`` is the confirmation page's UUID, as for card gifts: the same
    page sent twice returns the first pledge.
    """
    if type(amount_minor) is not int or not MIN_PLEDGE_MINOR <= amount_minor <= MAX_PLEDGE_MINOR:
        raise ValidationError(
            _("认捐金额须在 %(min)s 至 %(max)s 之间。")
            % {"min": format_yuan(MIN_PLEDGE_MINOR), "max": format_yuan(MAX_PLEDGE_MINOR)}
        )
    account = giving_account_sync(target=target)
    if attempt is not None:
        earlier = Donation.objects.filter(checkout_attempt=attempt).first()
        if earlier is not None:
            return _same_page(earlier, account=account, amount_minor=amount_minor)
    donation = Donation(
        target_code=account.code,
        amount_minor=amount_minor,
        pledged_minor=amount_minor,
        channel=Donation.Channel.BANK_TRANSFER,
        checkout_attempt=attempt,
        pledge_expires_at=timezone.now() + timedelta(days=settings.GIVING_PLEDGE_DAYS),
        **donor,
    )
    for _try in range(5):  # 31^7 references: a clash is rare, five in a row never
        donation.transfer_reference = transfer_reference_new()
        try:
            with transaction.atomic():
                donation.full_clean(validate_constraints=False)
                donation.save()
            _instructions_after_commit(donation)
            return donation
        except IntegrityError:
            if attempt is not None:
                earlier = Donation.objects.filter(checkout_attempt=attempt).first()
                if earlier is not None:  # the same page, sent twice at once
                    return _same_page(earlier, account=account, amount_minor=amount_minor)
            donation.pk = None
    raise IntegrityError("no free transfer reference after five tries")


def _instructions_after_commit(donation):
    if donation.donor_email:
        pk = donation.pk
        transaction.on_commit(lambda: pledge_instructions_send.enqueue(donation_id=pk))


def _same_page(donation, *, account, amount_minor):
    if (donation.target_code, donation.amount_minor) != (account.code, amount_minor):
        raise ValidationError(_("该确认页已提交过另一笔捐赠，请返回重新填写。"))
    return donation


def pledge_get_by_reference(*, reference):
    reference = transfer_reference_normalize(reference)
    if not reference:
        return None
    return Donation.objects.filter(transfer_reference=reference).first()


def pledge_confirm(
    *, pledge, bank_transaction_id, received_minor, confirmed_by, accept_difference=False
):
    """Record that the pledged transfer arrived: earmark once, then succeeded.

    Idempotent on the bank's transaction id: confirming the same transfer
    again returns the pledge unchanged. An amount other than the pledge's is
    refused unless ``accept_difference``; then the gift is what arrived (the
    pledge keeps ``pledged_minor``). An expired pledge can still be confirmed:
    the money arrived, and it is the donor's gift to the target they chose.
    Returns (donation, created).
    """
    bank_transaction_id = (bank_transaction_id or "").strip()
    if not bank_transaction_id:
        raise ValidationError(_("请填写银行交易流水号。"))
    if type(received_minor) is not int or received_minor <= 0:
        raise ValidationError(_("到账金额必须大于零。"))
    with transaction.atomic():
        pledge = Donation.objects.select_for_update().get(pk=pledge.pk)
        if not pledge.is_pledge:
            raise ValidationError(_("这不是一笔认捐。"))
        if pledge.offline_reference == bank_transaction_id:
            return pledge, False
        if pledge.status not in CONFIRMABLE:
            raise ValidationError(
                _("认捐 %(ref)s 已确认过（流水号 %(txn)s）。")
                % {"ref": pledge.transfer_reference, "txn": pledge.offline_reference}
            )
        _refuse_used_transaction(bank_transaction_id)
        if received_minor != pledge.amount_minor and not accept_difference:
            raise ValidationError(
                _("到账金额 %(got)s 与认捐金额 %(pledged)s 不符。")
                % {"got": format_yuan(received_minor), "pledged": format_yuan(pledge.amount_minor)}
            )
        return _confirm_locked(pledge, bank_transaction_id, received_minor, confirmed_by), True


def _refuse_used_transaction(bank_transaction_id):
    used = Donation.objects.filter(
        channel=Donation.Channel.BANK_TRANSFER, offline_reference=bank_transaction_id
    ).first()
    if used is not None:
        raise ValidationError(
            _("流水号 %(txn)s 已登记为另一笔捐赠（追踪码 %(code)s）。")
            % {"txn": bank_transaction_id, "code": used.tracking_code}
        )


def _confirm_locked(pledge, bank_transaction_id, received_minor, confirmed_by):
    pledge.offline_reference = bank_transaction_id
    pledge.amount_minor = received_minor
    pledge.recorded_by = confirmed_by
    try:
        with transaction.atomic():
            pledge.save(
                update_fields=["offline_reference", "amount_minor", "recorded_by", "updated_at"]
            )
    except IntegrityError as error:
        # The unique (channel, reference) constraint: another clerk confirmed
        # the same transfer for another pledge a moment ago.
        raise ValidationError(
            _("流水号 %(txn)s 已登记为另一笔捐赠。") % {"txn": bank_transaction_id}
        ) from error
    funds_earmark(
        source=account_open(code=OFFLINE_CLEARING_CODE, kind=Account.Kind.CLEARING),
        target=Account.objects.get(code=pledge.target_code),
        amount_minor=received_minor,
        idempotency_key=f"{ledger_key_prefix(donation=pledge)}received",
        memo=f"pledge {pledge.transfer_reference} {pledge.tracking_code}",
        created_by=confirmed_by,
    )
    pledge = donation_status_set(
        donation=pledge,
        to_status=Donation.Status.SUCCEEDED,
        reason=f"pledge confirmed: bank {bank_transaction_id}",
    )
    audit_record_for(
        actor=confirmed_by,
        action=AuditEntry.Action.TRANSITION,
        object_type="payments.donation",
        object_id=pledge.pk,
        summary=f"pledge {pledge.transfer_reference} confirmed",
        after={
            "bank_transaction_id": bank_transaction_id,
            "received_minor": received_minor,
            "pledged_minor": pledge.pledged_minor,
        },
    )
    _receipts_after_commit([pledge])
    return pledge


def pledges_expire(*, now=None):
    """Pending pledges past their date become expired; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Donation.objects.select_for_update()
            .filter(
                channel=Donation.Channel.BANK_TRANSFER,
                status=Donation.Status.PENDING,
                pledge_expires_at__lt=now,
            )
            .exclude(transfer_reference="")
            .order_by("pk")
        )
        _transition_many(
            [(pledge, "pledge not paid in time") for pledge in due],
            to_status=Donation.Status.EXPIRED,
        )
    return len(due)
