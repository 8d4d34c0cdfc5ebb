"""Writes for donations: creating them, taking payment through Stripe,
recording what Stripe reports, refunds and disputes.

Every ledger transaction of a donation is keyed ``donation-<id>-<what>``,
so a webhook, a retry and the reconcile command that report the same fact
converge on one posting.
"""

import logging

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record_for
from matching.core.errors import DomainError
from matching.core.states import Transitions
from matching.directory.models import Profile, Role
from matching.ledger.models import Account, Transaction
from matching.ledger.money import format_yuan
from matching.ledger.services import (
    Earmark,
    account_open,
    funds_earmark_many,
    transaction_post,
)
from matching.notifications.models import EventKind
from matching.notifications.services import notify
from matching.offers.models import Fund, Project

from .apps import card_payments_enabled
from .models import Donation, DonationStatusChange
from .selectors import (
    CLEARING_CODE,
    DISPUTES_CODE,
    REFUNDS_CODE,
    donation_holdings,
    donation_refunded_minor,
    ledger_key_prefix,
)
from .tasks import donation_receipts_send

logger = logging.getLogger(__name__)
Status = Donation.Status


class InvalidTransition(DomainError, ValidationError):
    """A donation status change the map forbids."""


# Money reported by Stripe is a fact: a success may follow a failed attempt
# or an expired session, but nothing leads back to pending, and a late
# "failed" never undoes a success.
ALLOWED_TRANSITIONS = Transitions(
    Status,
    {
        Status.PENDING: {Status.SUCCEEDED, Status.FAILED, Status.EXPIRED},
        Status.FAILED: {Status.SUCCEEDED, Status.EXPIRED},
        Status.EXPIRED: {Status.SUCCEEDED},
        Status.SUCCEEDED: {Status.PARTIALLY_REFUNDED, Status.REFUNDED, Status.DISPUTED},
        Status.PARTIALLY_REFUNDED: {Status.REFUNDED, Status.DISPUTED},
        Status.DISPUTED: {
            Status.SUCCEEDED,
            Status.PARTIALLY_REFUNDED,
            Status.REFUNDED,
            Status.DISPUTE_LOST,
        },
        Status.REFUNDED: set(),
        Status.DISPUTE_LOST: set(),
    },
    error=InvalidTransition,
    message=_lazy("捐赠状态不能从%(from)s变为%(to)s。"),
)


def _locked(donation):
    return Donation.objects.select_for_update().get(pk=donation.pk)


def _require_card_payments():
    # Without keys there is no card giving at all (offline giving still works).
    if not card_payments_enabled():
        raise ValidationError(_("未启用在线支付。"))


def donation_create(
    *,
    target_code,
    amount_minor,
    donor_name="",
    donor_email="",
    anonymous=True,
    checkout_attempt=None,
):
    """A pending donation to an existing ledger account."""
    # The model field would quietly truncate 12.5 to 12; money is fen, exactly.
    if type(amount_minor) is not int:
        raise ValidationError(_("金额必须是以分为单位的整数。"))
    if not Account.objects.filter(code=target_code).exists():
        raise ValidationError(_("捐赠对象不存在。"))
    donation = Donation(
        target_code=target_code,
        amount_minor=amount_minor,
        donor_name=donor_name,
        donor_email=donor_email,
        anonymous=anonymous,
        checkout_attempt=checkout_attempt,
    )
    with transaction.atomic():
        donation.full_clean(exclude=["checkout_attempt"])  # unique: the database decides
        donation.save()
    return donation


def donation_status_set(*, donation, to_status, reason=""):
    """The one way a donation changes status; refuses moves the map forbids."""
    with transaction.atomic():
        return _transition(_locked(donation), to_status=to_status, reason=reason)


def _transition(donation, *, to_status, reason):
    """Check the map and record the change; ``donation`` is a row we hold locked."""
    (donation,) = _transition_many([(donation, reason)], to_status=to_status)
    return donation


def _transition_many(moves, *, to_status):
    """``_transition`` for many locked (donation, reason) pairs: one INSERT, one UPDATE."""
    changes = []
    for donation, reason in moves:
        if donation.status == to_status:
            continue
        from_status = ALLOWED_TRANSITIONS.check(donation, to_status)
        change = DonationStatusChange(
            donation=donation, from_status=from_status, to_status=to_status, reason=reason[:255]
        )
        change.full_clean(exclude=["donation"])  # the donation is the row we hold locked
        changes.append(change)
    if changes:
        DonationStatusChange.objects.bulk_create(changes)
        now = timezone.now()
        Donation.objects.filter(pk__in=[change.donation.pk for change in changes]).update(
            status=to_status, updated_at=now
        )
        for change in changes:
            ALLOWED_TRANSITIONS.move(change.donation, to_status)
            change.donation.updated_at = now
    return [donation for donation, _reason in moves]


def donation_payment_intent_create(*, donation):
    """Create the donation's PaymentIntent; retrying never charges twice.

    The idempotency key is the donation's own, so a repeated call (a double
    click, a network retry) gets Stripe's first answer back.
    """
    _require_card_payments()
    donation = Donation.objects.get(pk=donation.pk)
    if donation.stripe_payment_intent_id:
        return stripe.PaymentIntent.retrieve(donation.stripe_payment_intent_id)
    intent = stripe.PaymentIntent.create(
        amount=donation.amount_minor,
        currency=donation.currency,
        payment_method_types=["card"],
        metadata={"donation_id": str(donation.pk), "tracking_code": donation.tracking_code},
        idempotency_key=f"donation-{donation.pk}-create",
    )
    with transaction.atomic():
        donation = _locked(donation)
        donation.stripe_payment_intent_id = intent.id
        donation.full_clean()
        donation.save(update_fields=["stripe_payment_intent_id", "updated_at"])
    return intent


def donation_checkout_session_create(*, donation, success_url, cancel_url):
    """A hosted Checkout Session for the donation, keyed by the donation's id.

    The session's PaymentIntent carries the same metadata, so every later
    event (charge, refund, dispute) finds its way back to the donation.
    """
    _require_card_payments()
    donation = Donation.objects.get(pk=donation.pk)
    metadata = {"donation_id": str(donation.pk), "tracking_code": donation.tracking_code}
    session = stripe.checkout.Session.create(
        mode="payment",
        **checkout_payment_methods(),
        success_url=success_url,
        cancel_url=cancel_url,
        client_reference_id=str(donation.pk),
        metadata=metadata,
        payment_intent_data={"metadata": metadata},
        line_items=[
            {
                "quantity": 1,
                "price_data": {
                    "currency": donation.currency,
                    "unit_amount": donation.amount_minor,
                    "product_data": {
                        "name": _("爱心捐赠 %(code)s") % {"code": donation.target_code}
                    },
                },
            }
        ],
        idempotency_key=f"donation-{donation.pk}-checkout",
    )
    with transaction.atomic():
        donation = _locked(donation)
        donation.stripe_checkout_session_id = session.id
        donation.full_clean()
        donation.save(update_fields=["stripe_checkout_session_id", "updated_at"])
    return session


def checkout_payment_methods():
    """Checkout's payment method types from STRIPE_PAYMENT_METHOD_TYPES.

    WeChat Pay on a web page needs ``client=web`` (Checkout then shows a QR
    code the donor scans with the WeChat app).
    """
    types = list(settings.STRIPE_PAYMENT_METHOD_TYPES) or ["card"]
    params = {"payment_method_types": types}
    if "wechat_pay" in types:
        params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
    return params


def donation_payment_intent_remember(*, donation, payment_intent_id):
    """Store the intent a Checkout Session created, so its later events match."""
    with transaction.atomic():
        donation = _locked(donation)
        if donation.stripe_payment_intent_id != payment_intent_id:
            donation.stripe_payment_intent_id = payment_intent_id
            donation.full_clean()
            donation.save(update_fields=["stripe_payment_intent_id", "updated_at"])
    return donation


def donation_receive(*, donation, reason="", locked=False):
    """Record that the donation's money arrived: clearing -> earmark, once.

    ``locked=True`` says ``donation`` is a row this transaction already
    holds with SELECT ... FOR UPDATE (the webhook's lookup does that), so it
    is not locked and read a second time.
    """
    with transaction.atomic(savepoint=False):
        if not locked:
            donation = _locked(donation)
        (donation,) = donations_receive(received=[(donation, reason)])
    return donation


def donations_receive(*, received):
    """``donation_receive`` for many (donation, reason) pairs at once (the webhook worker).

    Every donation must be a distinct row this transaction holds locked.
    One lookup of the accounts, one earmarking batch (``funds_earmark_many``:
    each amount sees the ones before it, so none over-funds a need), one
    INSERT of status changes and one UPDATE; one receipt task after commit.
    """
    if not received:
        return []
    # No savepoint: nothing recovers from a failure here (see funds_earmark).
    with transaction.atomic(savepoint=False):
        clearing, targets = _clearing_and_targets({d.target_code for d, _reason in received})
        funds_earmark_many(
            [
                Earmark(
                    source=clearing,
                    target=targets[donation.target_code],
                    amount_minor=donation.amount_minor,
                    idempotency_key=f"{ledger_key_prefix(donation=donation)}received",
                    memo=f"donation {donation.tracking_code}",
                )
                for donation, _reason in received
            ]
        )
        arriving = [
            (donation, reason)
            for donation, reason in received
            if donation.status in (Status.PENDING, Status.FAILED, Status.EXPIRED)
        ]
        _transition_many(arriving, to_status=Status.SUCCEEDED)
        _receipts_after_commit([donation for donation, _reason in arriving])
        ids = [donation.pk for donation, _reason in arriving]
        if ids:
            transaction.on_commit(lambda: _received_notices(ids))
    return [donation for donation, _reason in received]


def _clearing_and_targets(codes):
    """The Stripe clearing account and the donations' targets, in one query."""
    found = {
        account.code: account
        for account in Account.objects.filter(code__in=[CLEARING_CODE, *sorted(codes)])
    }
    missing = sorted(set(codes) - set(found))
    if missing:
        raise Account.DoesNotExist(f"no ledger account {missing[0]}")
    clearing = found.get(CLEARING_CODE) or account_open(
        code=CLEARING_CODE, kind=Account.Kind.CLEARING
    )
    return clearing, found


def _receipts_after_commit(donations):
    ids = [donation.pk for donation in donations if donation.donor_email]
    if not ids:
        return
    transaction.on_commit(lambda: donation_receipts_send.enqueue(donation_ids=ids))


OFFER_TARGETS = {"project": Project, "fund": Fund}


def _target_organization_admins(target_code):
    kind, _sep, ref = target_code.partition(":")
    model = OFFER_TARGETS.get(kind)
    offer = model.objects.filter(pk=ref).first() if model and ref.isdigit() else None
    if offer is None or offer.organization_id is None:
        return None, []
    profiles = Profile.objects.filter(
        organization_id=offer.organization_id, role=Role.CHARITY_ADMIN
    ).select_related("user")
    return offer, [profile.user for profile in profiles]


def _received_notices(donation_ids):
    """The organization whose project or fund a gift went to hears of it: the amount and
    the channel, never the donor."""
    for donation in Donation.objects.filter(pk__in=donation_ids).order_by("pk"):
        offer, users = _target_organization_admins(donation.target_code)
        if not users:
            continue
        notify(
            kind=EventKind.DONATION,
            users=users,
            subject=_lazy("收到捐赠：%(offer)s"),
            body=_lazy("“%(offer)s”收到一笔 %(amount)s 的捐赠（%(channel)s），已计入其专项账户。"),
            params={
                "offer": str(offer),
                "amount": format_yuan(donation.amount_minor),
                "channel": Donation.Channel(donation.channel).label,
            },
        )


def _take_from_holdings(*, donation, amount_minor):
    """Lines taking ``amount_minor`` out of this donation's earmarks.

    The overflow (general fund) gives first: the need keeps as much as it
    can of the money it still requires.
    """
    holdings = donation_holdings(donation=donation)
    if amount_minor > sum(holdings.values()):
        raise ValidationError(_("金额超过该笔捐赠的剩余款项。"))
    ordered = sorted(holdings.items(), key=lambda item: item[0] == donation.target_code)
    lines, remaining = [], amount_minor
    for code, held in ordered:
        taken = min(held, remaining)
        if taken:
            lines.append((Account.objects.get(code=code), -taken))
            remaining -= taken
    return lines


def donation_refund_record(*, donation, refunded_total_minor, reason=""):
    """Bring the ledger up to Stripe's cumulative refunded amount.

    Keyed by the cumulative total, so charge.refunded (which carries the
    total) and our own refund call converge, and a stale, smaller total is
    a no-op.
    """
    with transaction.atomic():
        donation = donation_receive(donation=donation, reason=reason)
        delta = refunded_total_minor - donation_refunded_minor(donation=donation)
        if delta > 0:
            refunds = account_open(code=REFUNDS_CODE, kind=Account.Kind.REFUNDS)
            lines = [*_take_from_holdings(donation=donation, amount_minor=delta), (refunds, delta)]
            prefix = ledger_key_prefix(donation=donation)
            transaction_post(
                kind=Transaction.Kind.REFUND,
                lines=lines,
                memo=reason,
                idempotency_key=f"{prefix}refunded-to-{refunded_total_minor}",
            )
        return _status_after_refund(donation=donation, reason=reason)


def _status_after_refund(*, donation, reason):
    refunded = donation_refunded_minor(donation=donation)
    if donation.status in (Status.DISPUTED, Status.DISPUTE_LOST) or not refunded:
        return donation
    full = refunded >= donation.amount_minor
    to_status = Status.REFUNDED if full else Status.PARTIALLY_REFUNDED
    return donation_status_set(donation=donation, to_status=to_status, reason=reason)


def donation_refund(*, donation, amount_minor=None, reason="requested_by_customer"):
    """Refund through Stripe, then post the reversing ledger entries."""
    donation = Donation.objects.get(pk=donation.pk)
    refunded = donation_refunded_minor(donation=donation)
    amount_minor = amount_minor or donation.amount_minor - refunded
    if donation.status not in (Status.SUCCEEDED, Status.PARTIALLY_REFUNDED):
        raise ValidationError(_("只有已到账的捐赠可以退款。"))
    if donation.channel != Donation.Channel.CARD or not donation.stripe_payment_intent_id:
        # Bank transfers and cash are returned by the bureau's finance office,
        # outside Stripe; the ledger then takes a staff-posted reversal.
        raise ValidationError(_("线下捐赠不能通过在线支付退款，请由财务线下退回后冲正入账。"))
    if not 0 < amount_minor <= donation.amount_minor - refunded:
        raise ValidationError(_("退款金额无效。"))
    # Keyed by the cumulative total: two staff pressing "refund" at once send
    # the same key, and Stripe refunds once.
    refund = stripe.Refund.create(
        payment_intent=donation.stripe_payment_intent_id,
        amount=amount_minor,
        reason=reason,
        idempotency_key=f"donation-{donation.pk}-refund-to-{refunded + amount_minor}",
    )
    return donation_refund_record(
        donation=donation,
        refunded_total_minor=refunded + refund.amount,
        reason=f"refund {refund.id}",
    )


def _dispute_key(donation, dispute_id, what):
    return f"{ledger_key_prefix(donation=donation)}dispute-{dispute_id}-{what}"


def _dispute_freeze(*, donation, dispute_id, amount_minor, reason):
    key = _dispute_key(donation, dispute_id, "opened")
    if Transaction.objects.filter(idempotency_key=key).exists():
        return
    amount = min(amount_minor, sum(donation_holdings(donation=donation).values()))
    disputes = account_open(code=DISPUTES_CODE, kind=Account.Kind.DISPUTES)
    lines = [*_take_from_holdings(donation=donation, amount_minor=amount), (disputes, amount)]
    transaction_post(kind=Transaction.Kind.DISPUTE, idempotency_key=key, lines=lines, memo=reason)


def donation_dispute_open(*, donation, dispute_id, amount_minor, reason=""):
    """Freeze the disputed amount: earmarks -> ``disputes`` until it closes."""
    with transaction.atomic():
        donation = donation_receive(donation=donation, reason=reason)
        _dispute_freeze(
            donation=donation, dispute_id=dispute_id, amount_minor=amount_minor, reason=reason
        )
        # A "created" arriving after "closed" must not reopen the dispute.
        released = _dispute_key(donation, dispute_id, "released")
        if Transaction.objects.filter(idempotency_key=released).exists():
            return donation
        if donation.status in (Status.SUCCEEDED, Status.PARTIALLY_REFUNDED):
            donation = donation_status_set(
                donation=donation, to_status=Status.DISPUTED, reason=reason
            )
        return donation


def donation_dispute_close(*, donation, dispute_id, amount_minor, won, reason=""):
    """Won: the frozen money returns to where it was. Lost: it stays gone."""
    with transaction.atomic():
        donation = donation_dispute_open(
            donation=donation, dispute_id=dispute_id, amount_minor=amount_minor, reason=reason
        )
        if not won:
            if donation.status == Status.DISPUTED:
                donation = donation_status_set(
                    donation=donation, to_status=Status.DISPUTE_LOST, reason=reason
                )
            return donation
        opened = Transaction.objects.get(
            idempotency_key=_dispute_key(donation, dispute_id, "opened")
        )
        lines = [
            (entry.account, -entry.amount_minor)
            for entry in opened.entries.select_related("account")
        ]
        transaction_post(
            kind=Transaction.Kind.DISPUTE_RELEASE,
            lines=lines,
            memo=reason,
            idempotency_key=_dispute_key(donation, dispute_id, "released"),
        )
        if donation.status == Status.DISPUTED:
            donation = donation_status_set(
                donation=donation, to_status=Status.SUCCEEDED, reason=reason
            )
        return _status_after_refund(donation=donation, reason=reason)


def donation_personal_read(*, actor, donations, contact_shown, view):
    """Audit a staff screen that showed donors' names (and e-mails, when
    ``contact_shown``): one entry naming the donations whose donor it showed.

    Donations given anonymously or without a name or e-mail show nothing
    personal and are not named; a screen showing none writes nothing.
    """
    shown = [
        donation.pk
        for donation in donations
        if (donation.donor_name and not donation.anonymous)
        or (contact_shown and donation.donor_email)
    ]
    if not shown:
        return None
    fields = "donor names and e-mails" if contact_shown else "donor names"
    return audit_record_for(
        actor=actor,
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        object_type="payments.donation",
        object_id=shown[0] if len(shown) == 1 else "*",
        summary=f"{view}: {fields} of {len(shown)} donations shown",
        after={"donations": shown, "contact_shown": contact_shown},
    )
