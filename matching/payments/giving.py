"""Writes of the giving flow: a card gift through Stripe Checkout, and the
bank transfers and cash staff record (offline gifts).

Both end in the same ledger posting as a webhook's: ``funds_earmark`` keyed
``donation-<id>-received``, so the tracking page and refunds read every gift
the same way. Offline gifts come in through ``offline:clearing`` instead of
``stripe:clearing``.
"""

import stripe
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from matching.ledger.models import Account
from matching.ledger.services import account_open, funds_earmark

from .models import Donation
from .selectors import OFFLINE_CLEARING_CODE, ledger_key_prefix
from .services import (
    _receipts_after_commit,
    donation_checkout_session_create,
    donation_create,
    donation_status_set,
)
from .targets import giving_account_sync

# Stripe takes at most eight digits of a currency's minor unit.
MAX_CARD_GIFT_MINOR = 99_999_999
OFFLINE_CHANNELS = (Donation.Channel.BANK_TRANSFER, Donation.Channel.CASH)


def donation_checkout_start(*, target, amount_minor, donor, urls_for, attempt=None):
    """A pending card donation to ``target`` and its Stripe Checkout Session.

    ``donor`` holds ``anonymous``, ``donor_name`` and ``donor_email``;
    ``urls_for(donation)`` gives the (success, cancel) URLs. The session's
    idempotency key is the donation's id (``donation_checkout_session_create``).
    ``attempt`` names the confirmation page the gift was sent from: sending it
    again (a double click, a reload, a second tab) finds the first donation
    instead of making a second, and returns its session while the donor can
    still pay through it, else None (the caller shows the gift's own page).
    Returns (donation, session or None).
    """
    if amount_minor > MAX_CARD_GIFT_MINOR:
        raise ValidationError(_("单笔在线捐赠金额过大。"))
    account = giving_account_sync(target=target)
    donation = _attempt_donation(attempt)
    if donation is None:
        try:
            donation = donation_create(
                target_code=account.code,
                amount_minor=amount_minor,
                checkout_attempt=attempt,
                **donor,
            )
        except IntegrityError:  # the same page, sent twice at once: the other one won
            donation = _attempt_donation(attempt)
            if donation is None:
                raise
    elif (donation.target_code, donation.amount_minor) != (account.code, amount_minor):
        raise ValidationError(_("该确认页已提交过另一笔捐赠，请返回重新填写。"))
    if donation.stripe_checkout_session_id:  # this page was sent before
        return donation, _open_session(donation)
    success_url, cancel_url = urls_for(donation)
    session = donation_checkout_session_create(
        donation=donation, success_url=success_url, cancel_url=cancel_url
    )
    return donation, session


def _attempt_donation(attempt):
    if attempt is None:
        return None
    return Donation.objects.filter(checkout_attempt=attempt).first()


def _open_session(donation):
    """The donation's Checkout Session while the donor can still pay through it."""
    if donation.status != Donation.Status.PENDING or not donation.stripe_checkout_session_id:
        return None
    session = stripe.checkout.Session.retrieve(donation.stripe_checkout_session_id)
    return session if session.status == "open" and session.url else None


def _same_gift(donation, *, target, amount_minor):
    if donation.target_code != target.code or donation.amount_minor != amount_minor:
        raise ValidationError(
            _("流水号/收据号 %(ref)s 已登记为另一笔捐赠（追踪码 %(code)s）。")
            % {"ref": donation.offline_reference, "code": donation.tracking_code}
        )
    return donation, False


def _offline_insert(donation):
    """Insert under a savepoint; None if a racing clerk recorded the reference first."""
    try:
        with transaction.atomic():
            donation.save()
    except IntegrityError:
        return None
    return donation


@transaction.atomic
def offline_donation_record(*, target, channel, reference, amount_minor, donor, recorded_by):
    """Record a bank transfer or cash gift that has arrived: earmarked at once.

    Idempotent on (channel, reference): recording the same transfer again
    returns the first donation; the same reference with another amount or
    target is refused. Returns (donation, created).
    """
    reference = reference.strip()
    if channel not in OFFLINE_CHANNELS:
        raise ValidationError(_("请选择银行转账或现金。"))
    if not reference:
        raise ValidationError(_("请填写银行流水号或现金收据号。"))
    if type(amount_minor) is not int or amount_minor <= 0:
        raise ValidationError(_("捐赠金额必须大于零。"))
    existing = Donation.objects.filter(channel=channel, offline_reference=reference).first()
    if existing is not None:
        return _same_gift(existing, target=target, amount_minor=amount_minor)
    account = giving_account_sync(target=target)
    donation = Donation(
        target_code=account.code,
        amount_minor=amount_minor,
        channel=channel,
        offline_reference=reference,
        recorded_by=recorded_by,
        **donor,
    )
    donation.full_clean(validate_constraints=False)
    if _offline_insert(donation) is None:
        existing = Donation.objects.get(channel=channel, offline_reference=reference)
        return _same_gift(existing, target=target, amount_minor=amount_minor)
    funds_earmark(
        source=account_open(code=OFFLINE_CLEARING_CODE, kind=Account.Kind.CLEARING),
        target=account,
        amount_minor=amount_minor,
        idempotency_key=f"{ledger_key_prefix(donation=donation)}received",
        memo=f"{channel} {donation.tracking_code}",
        created_by=recorded_by,
    )
    donation = donation_status_set(
        donation=donation, to_status=Donation.Status.SUCCEEDED, reason=f"{channel} {reference}"
    )
    _receipts_after_commit([donation])
    return donation, True
