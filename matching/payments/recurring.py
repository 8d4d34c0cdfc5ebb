"""Monthly gifts through Stripe subscriptions (docs/ledger.md, "Recurring gifts").

A signed-in donor starts a monthly gift to a project, a fund or a category's
general fund: a ``RecurringGift`` and a Checkout Session in ``subscription``
mode whose subscription carries our ``recurring_gift_id`` in its metadata
(Stripe copies it onto every invoice). Each paid invoice becomes its own
``Donation`` (own tracking code, own receipt), linked to the gift by a
``RecurringInstalment`` keyed by the invoice id, and posted to the ledger
exactly like a card gift (``donation-<id>-received``): whatever the order and
repetition of the events, one invoice is one donation and one posting.

The rule after a cancellation: an invoice whose billed period starts at or
after ``cancelled_at`` (the moment the donor pressed cancel, or Stripe's own
cancellation time if earlier) is never recorded, even if its event arrives
late and says "paid"; the event is kept as ``ignored`` and logged so that
staff refund it at Stripe.
"""

import datetime
import logging
import re

import stripe
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matching.core.errors import DomainError
from matching.core.states import Transitions
from matching.ledger.money import format_yuan
from matching.notifications.models import EventKind
from matching.notifications.services import notify

from .giving import MAX_CARD_GIFT_MINOR
from .models import Donation, DonationOwner, RecurringGift, RecurringInstalment, StripeEvent
from .services import donation_create, donation_receive, donation_status_set
from .targets import FUND, GENERAL, PROJECT, giving_account_sync, giving_target_for_code

logger = logging.getLogger(__name__)
Status = RecurringGift.Status
Outcome = StripeEvent.Outcome

# Needs close when they are funded; a monthly gift goes to what lasts.
RECURRING_KINDS = (PROJECT, FUND, GENERAL)
# The smallest monthly gift: one yuan.
MIN_MONTHLY_MINOR = 100
_PK = re.compile(r"[0-9]{1,18}")
_ID_MAX = 255  # the Stripe id columns' length


class RecurringRefused(DomainError):
    """A monthly gift cannot be started or cancelled; the message says why."""


TRANSITIONS = Transitions(
    Status,
    {
        Status.PENDING: {
            Status.ACTIVE,
            Status.PAST_DUE,
            Status.CANCEL_REQUESTED,
            Status.CANCELLED,
            Status.EXPIRED,
        },
        Status.ACTIVE: {Status.PAST_DUE, Status.CANCEL_REQUESTED, Status.CANCELLED},
        Status.PAST_DUE: {Status.ACTIVE, Status.CANCEL_REQUESTED, Status.CANCELLED},
        Status.CANCEL_REQUESTED: {Status.CANCELLED},
        Status.CANCELLED: set(),
        # A session that expired cannot start a subscription, but money Stripe
        # reports is a fact.
        Status.EXPIRED: {Status.ACTIVE, Status.PAST_DUE, Status.CANCELLED},
    },
    error=RecurringRefused,
    message=_lazy("月捐状态不能从“%(from)s”变为“%(to)s”。"),
)
CANCELLABLE = (Status.PENDING, Status.ACTIVE, Status.PAST_DUE)


def _move(gift, to_status):
    """Move ``gift`` (a row we hold locked) if the map allows; False if not."""
    if gift.status == to_status or not TRANSITIONS.allowed(gift.status, to_status):
        return False
    TRANSITIONS.move(gift, to_status)
    return True


# --- starting and cancelling ---------------------------------------------------------------


def recurring_gift_checkout_start(*, user, target, amount_minor, anonymous, urls_for, attempt=None):
    """A pending monthly gift to ``target`` and its Checkout Session (subscription mode).

    ``urls_for(gift)`` gives (success, cancel) URLs. ``attempt`` names the form
    page the gift was sent from: sent again (a double click, a reload), it finds
    the first gift and returns its session while the donor can still pay
    through it, else None. Returns (gift, session or None).
    """
    if target.kind not in RECURRING_KINDS:
        raise RecurringRefused(_("月捐只能捐给帮扶项目、公益基金或类别总基金。"))
    if type(amount_minor) is not int or amount_minor < MIN_MONTHLY_MINOR:
        raise RecurringRefused(_("每月金额至少 1 元。"))
    if amount_minor > MAX_CARD_GIFT_MINOR:
        raise RecurringRefused(_("单笔在线捐赠金额过大。"))
    account = giving_account_sync(target=target)
    gift = _attempt_gift(attempt) or _gift_insert(
        RecurringGift(
            donor=user,
            amount_minor=amount_minor,
            target_code=account.code,
            anonymous=anonymous,
            checkout_attempt=attempt,
        )
    )
    if (gift.donor_id, gift.target_code, gift.amount_minor) != (
        user.pk,
        account.code,
        amount_minor,
    ):
        raise RecurringRefused(_("该页面已提交过另一笔月捐，请返回重新填写。"))
    if gift.stripe_checkout_session_id:  # this page was sent before
        return gift, _open_session(gift)
    success_url, cancel_url = urls_for(gift)
    metadata = {"recurring_gift_id": str(gift.pk)}
    session = stripe.checkout.Session.create(
        mode="subscription",
        success_url=success_url,
        cancel_url=cancel_url,
        customer_email=user.email or None,
        metadata=metadata,
        subscription_data={"metadata": metadata},
        line_items=[
            {
                "quantity": 1,
                "price_data": {
                    "currency": gift.currency,
                    "unit_amount": gift.amount_minor,
                    "recurring": {"interval": "month"},
                    "product_data": {
                        "name": _("每月爱心捐赠 %(code)s") % {"code": gift.target_code}
                    },
                },
            }
        ],
        idempotency_key=f"recurring-{gift.pk}-checkout",
    )
    RecurringGift.objects.filter(pk=gift.pk).update(stripe_checkout_session_id=session.id)
    gift.stripe_checkout_session_id = session.id
    return gift, session


def _attempt_gift(attempt):
    if attempt is None:
        return None
    return RecurringGift.objects.filter(checkout_attempt=attempt).first()


def _gift_insert(gift):
    """Save a new gift; if the same page was sent twice at once, the first one's."""
    gift.full_clean(exclude=["checkout_attempt"])  # unique: the database decides
    try:
        with transaction.atomic():
            gift.save()
    except IntegrityError:
        found = _attempt_gift(gift.checkout_attempt)
        if found is None:
            raise
        return found
    return gift


def _open_session(gift):
    if gift.status != Status.PENDING:
        return None
    session = stripe.checkout.Session.retrieve(gift.stripe_checkout_session_id)
    return session if session.status == "open" and session.url else None


def _cancel_at_stripe(gift):
    """Cancel the gift's subscription at Stripe (``stripe.StripeError`` when it
    cannot be reached), then, under the gift's row lock, mark it
    ``cancel_requested`` unless a webhook moved it on meanwhile. From then on no
    invoice for a later period is recorded, whatever Stripe says. Returns the
    gift as it now is, and whether this call marked it."""
    stripe.Subscription.cancel(
        gift.stripe_subscription_id, idempotency_key=f"recurring-{gift.pk}-cancel"
    )
    with transaction.atomic():
        gift = RecurringGift.objects.select_for_update().get(pk=gift.pk)
        if gift.status not in CANCELLABLE:
            return gift, False
        gift.cancelled_at = min(filter(None, [gift.cancelled_at, timezone.now()]))
        _move(gift, Status.CANCEL_REQUESTED)
        gift.save(update_fields=["status", "cancelled_at", "updated_at"])
    return gift, True


def recurring_gift_cancel(*, gift, user):
    """Cancel the donor's monthly gift at Stripe; the webhook confirms it later."""
    if gift.donor_id != user.pk:
        raise RecurringRefused(_("未找到该月捐。"))
    if gift.status not in CANCELLABLE or not gift.stripe_subscription_id:
        raise RecurringRefused(_("该月捐当前无法取消。"))
    try:
        gift, _marked = _cancel_at_stripe(gift)
    except stripe.StripeError as error:
        logger.warning("subscription of gift %s not cancelled: %s", gift.pk, type(error).__name__)
        raise RecurringRefused(_("暂时无法连接支付服务，月捐未取消，请稍后再试。")) from error
    return gift


def recurring_gifts_stop_for_closed_targets():
    """Stop the monthly gifts whose project closed or whose fund was switched off.

    Money given to a closed target would go, under the displayed policy, to the
    category's general fund: right for a payment already in flight, wrong for
    next month's charge, which the donor agreed to for that project. So the
    subscription is cancelled at Stripe (nothing more is charged) and the donor
    is told why, with a link to choose another. A gift whose cancellation Stripe
    refuses now is tried again at the next run. Returns the gifts stopped.
    """
    stopped = []
    gifts = RecurringGift.objects.filter(status__in=CANCELLABLE).exclude(stripe_subscription_id="")
    for gift in gifts.select_related("donor").order_by("pk"):
        target = giving_target_for_code(gift.target_code)
        if target is not None and target.open:
            continue
        try:
            gift, marked = _cancel_at_stripe(gift)
        except stripe.StripeError as error:
            logger.warning(
                "subscription of gift %s not cancelled: %s", gift.pk, type(error).__name__
            )
            continue
        if marked:
            _tell_donor_target_closed(gift, target)
            stopped.append(gift)
    return stopped


def _tell_donor_target_closed(gift, target):
    notify(
        kind=EventKind.DONATION,
        users=[gift.donor],
        subject=_lazy("您的月捐已停止：%(target)s 已结束"),
        body=_lazy(
            "您每月 %(amount)s 的捐赠对象“%(target)s”已结束，不再接受捐赠，"
            "我们已停止这笔月捐，之后不会再扣款。此前的每一笔捐赠都已按原用途记账，"
            "您可以在“我的捐赠”中查看，也可以选择新的项目继续月捐。"
        ),
        params={
            "amount": format_yuan(gift.amount_minor),
            # Never the account code: a target no longer found is named in words.
            "target": target.title if target is not None else _lazy("您支持的项目"),
        },
        link="/accounts/me/",
    )


# --- Stripe events -------------------------------------------------------------------------


def _timestamp(value):
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        return None
    try:
        return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _dict(value):
    return value if isinstance(value, dict) else {}


def _invoice_lines(obj):
    lines = _dict(obj.get("lines")).get("data")
    return [line for line in lines if isinstance(line, dict)] if isinstance(lines, list) else []


def _references(obj):
    """(our gift id or None, subscription id or "") named by a Stripe object."""
    kind = obj.get("object")
    parent = _dict(_dict(obj.get("parent")).get("subscription_details"))
    metadatas = [
        _dict(obj.get("metadata")),
        _dict(_dict(obj.get("subscription_details")).get("metadata")),
        _dict(parent.get("metadata")),
        *(_dict(line.get("metadata")) for line in _invoice_lines(obj)),
    ]
    refs = [str(m.get("recurring_gift_id") or "") for m in metadatas]
    ref = next((int(r) for r in refs if _PK.fullmatch(r)), None)
    if kind == "subscription":
        subscription = obj.get("id")
    else:
        subscription = obj.get("subscription") or parent.get("subscription")
    return ref, _stripe_id(subscription)


def _stripe_id(value):
    """A Stripe id as we can store it, or "" (events are verified, not trusted to be tidy)."""
    return value if isinstance(value, str) and 0 < len(value) <= _ID_MAX else ""


def _gift_for(obj):
    """The gift a Stripe object is about, locked; None if it is not ours."""
    ref, subscription = _references(obj)
    gifts = RecurringGift.objects.select_for_update()
    gift = None
    if ref is not None:
        gift = gifts.filter(pk=ref).first()
    if gift is None and subscription:
        gift = gifts.filter(stripe_subscription_id=subscription).first()
    session = _stripe_id(obj.get("id")) if obj.get("object") == "checkout.session" else ""
    if gift is None and session:
        gift = gifts.filter(stripe_checkout_session_id=session).first()
    if gift is None:
        return None
    if subscription and gift.stripe_subscription_id not in ("", subscription):
        logger.error("subscription %s does not belong to gift %s", subscription, gift.pk)
        return None
    if subscription and not gift.stripe_subscription_id:
        gift.stripe_subscription_id = subscription
    customer = _stripe_id(obj.get("customer"))
    if customer and not gift.stripe_customer_id:
        gift.stripe_customer_id = customer
    return gift


def _save(gift):
    gift.save()
    return gift


def _checkout_completed(gift, obj, event):
    if obj.get("payment_status") in ("paid", "no_payment_required"):
        _move(gift, Status.ACTIVE)
    _save(gift)
    return Outcome.APPLIED, None


def _checkout_expired(gift, obj, event):
    outcome = Outcome.APPLIED if _move(gift, Status.EXPIRED) else Outcome.IGNORED
    _save(gift)
    return outcome, None


_SUBSCRIPTION_STATUS = {
    "active": Status.ACTIVE,
    "trialing": Status.ACTIVE,
    "past_due": Status.PAST_DUE,
    "unpaid": Status.PAST_DUE,
    "canceled": Status.CANCELLED,
    "incomplete_expired": Status.CANCELLED,
}


def _period_end(obj):
    end = _timestamp(obj.get("current_period_end"))
    items = _dict(obj.get("items")).get("data")
    if end is None and isinstance(items, list) and items and isinstance(items[0], dict):
        end = _timestamp(items[0].get("current_period_end"))  # API versions from 2025
    return end


def _subscription_changed(gift, obj, event):
    """created / updated / deleted: status and next date, newest event wins."""
    when = event.stripe_created
    deleted = event.type == "customer.subscription.deleted"
    if not deleted and gift.stripe_state_at and when and when < gift.stripe_state_at:
        _save(gift)  # ids learnt from a stale event are still facts
        return Outcome.IGNORED, None
    status = obj.get("status") if isinstance(obj.get("status"), str) else ""
    to_status = Status.CANCELLED if deleted else _SUBSCRIPTION_STATUS.get(status)
    if to_status == Status.CANCELLED:
        ended = _timestamp(obj.get("canceled_at")) or _timestamp(obj.get("ended_at")) or when
        gift.cancelled_at = min(filter(None, [gift.cancelled_at, ended, timezone.now()]))
    moved = _move(gift, to_status) if to_status else False
    if gift.status not in (Status.CANCELLED, Status.CANCEL_REQUESTED):
        # Periods only move forward: a late "created" never takes the date back.
        gift.current_period_end = max(
            filter(None, [gift.current_period_end, _period_end(obj)]), default=None
        )
    if when and (gift.stripe_state_at is None or when > gift.stripe_state_at):
        gift.stripe_state_at = when
    _save(gift)
    return (Outcome.APPLIED if moved or to_status == gift.status else Outcome.IGNORED), None


def _billed_period(obj, event):
    """(start, end) of the period an invoice bills: its subscription line's period."""
    for line in _invoice_lines(obj):
        period = _dict(line.get("period"))
        start = _timestamp(period.get("start"))
        if start:
            return start, _timestamp(period.get("end"))
    start = _timestamp(obj.get("created")) or event.stripe_created or timezone.now()
    return start, None


def _after_cancellation(gift, period_start, event):
    if gift.cancelled_at is None or period_start < gift.cancelled_at:
        return False
    logger.warning(
        "event %s: invoice for a period after gift %s was cancelled: not recorded, refund it",
        event.event_id,
        gift.pk,
    )
    return True


def _instalment_donation(gift, obj, period_start):
    """The invoice's donation, created once (the gift row we hold serialises this)."""
    invoice_id = _stripe_id(obj.get("id"))
    found = RecurringInstalment.objects.select_related("donation").filter(
        stripe_invoice_id=invoice_id
    )
    instalment = found.first()
    if instalment is not None:
        return instalment.donation
    donor = gift.donor
    donation = donation_create(
        target_code=gift.target_code,
        amount_minor=gift.amount_minor,
        donor_name="" if gift.anonymous else (donor.get_full_name() or ""),
        donor_email=donor.email,
        anonymous=gift.anonymous or not donor.get_full_name(),
    )
    RecurringInstalment.objects.create(
        donation=donation,
        recurring_gift=gift,
        stripe_invoice_id=invoice_id,
        period_start=period_start,
    )
    DonationOwner.objects.create(donation=donation, user=donor, how=DonationOwner.How.RECURRING)
    return donation


def _paid_as_agreed(gift, obj, event):
    if obj.get("amount_paid") == gift.amount_minor and obj.get("currency") == gift.currency:
        return True
    logger.error("event %s: invoice amount does not match gift %s", event.event_id, gift.pk)
    return False


def _remember_intent(donation, obj):
    intent = _stripe_id(obj.get("payment_intent"))
    if not intent or donation.stripe_payment_intent_id:
        return
    if Donation.objects.filter(stripe_payment_intent_id=intent).exists():
        return
    Donation.objects.filter(pk=donation.pk).update(stripe_payment_intent_id=intent)


def _invoice_paid(gift, obj, event):
    if not _stripe_id(obj.get("id")) or not _paid_as_agreed(gift, obj, event):
        _save(gift)
        return Outcome.IGNORED, None
    period_start, period_end = _billed_period(obj, event)
    if _after_cancellation(gift, period_start, event):
        _save(gift)
        return Outcome.IGNORED, None
    donation = _instalment_donation(gift, obj, period_start)
    _remember_intent(donation, obj)
    donation = donation_receive(donation=donation, reason=event.event_id)
    if gift.status in (Status.PENDING, Status.EXPIRED) or (
        gift.status == Status.PAST_DUE and not _failed_since(gift, period_start)
    ):
        _move(gift, Status.ACTIVE)
    if period_end and gift.status in (Status.ACTIVE, Status.PAST_DUE, Status.PENDING):
        gift.current_period_end = max(filter(None, [gift.current_period_end, period_end]))
    _save(gift)
    return Outcome.APPLIED, donation


def _failed_since(gift, period_start):
    """Whether an invoice billing ``period_start`` or later is still unpaid."""
    return gift.instalments.filter(
        period_start__gte=period_start, donation__status=Donation.Status.FAILED
    ).exists()


def _succeeded_since(gift, period_start):
    return gift.instalments.filter(
        period_start__gte=period_start, donation__status=Donation.Status.SUCCEEDED
    ).exists()


def _invoice_failed(gift, obj, event):
    if not _stripe_id(obj.get("id")):
        _save(gift)
        return Outcome.IGNORED, None
    period_start, _end = _billed_period(obj, event)
    if _after_cancellation(gift, period_start, event):
        _save(gift)
        return Outcome.IGNORED, None
    donation = _instalment_donation(gift, obj, period_start)
    _remember_intent(donation, obj)
    if donation.status != Donation.Status.PENDING:  # paid already, or failed before
        _save(gift)
        return Outcome.IGNORED, donation
    donation = donation_status_set(
        donation=donation, to_status=Donation.Status.FAILED, reason=event.event_id
    )
    when = event.stripe_created or timezone.now()
    gift.last_failure_at = max(filter(None, [gift.last_failure_at, when]))
    # A newer instalment already paid: this old failure says nothing about now.
    if not _succeeded_since(gift, period_start):
        _move(gift, Status.PAST_DUE)
    _save(gift)
    return Outcome.APPLIED, donation


_INVOICE_HANDLERS = {
    "invoice.paid": _invoice_paid,
    "invoice.payment_succeeded": _invoice_paid,
    "invoice.payment_failed": _invoice_failed,
}
_SUBSCRIPTION_TYPES = {
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
}
_CHECKOUT_HANDLERS = {
    "checkout.session.completed": _checkout_completed,
    "checkout.session.async_payment_succeeded": _checkout_completed,
    "checkout.session.expired": _checkout_expired,
}


def _event_object(payload):
    return _dict(_dict(payload.get("data")).get("object"))


def recurring_handler_for(event_type, payload):
    """The handler of an event about a subscription, or None (a one-off gift's event)."""
    obj = _event_object(payload)
    if event_type in _INVOICE_HANDLERS:
        return _INVOICE_HANDLERS[event_type]
    if event_type in _SUBSCRIPTION_TYPES:
        return _subscription_changed
    if event_type in _CHECKOUT_HANDLERS and obj.get("mode") == "subscription":
        return _CHECKOUT_HANDLERS[event_type]
    return None


def recurring_event_apply(event, handler):
    """Apply one subscription event: sets the event's outcome and donation."""
    obj = _event_object(event.payload)
    with transaction.atomic(savepoint=False):
        gift = _gift_for(obj)
        if gift is None:
            event.outcome, event.donation = Outcome.UNMATCHED, None
            return
        event.outcome, event.donation = handler(gift, obj, event)
