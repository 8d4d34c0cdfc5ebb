"""Reads for donations."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from matching.ledger.models import Entry
from matching.ledger.selectors import entries_by_account

from .models import Donation, GivingBankSettings, Pledge

CLEARING_CODE = "stripe:clearing"
# Bank transfers and cash staff record come in through here.
OFFLINE_CLEARING_CODE = "offline:clearing"
REFUNDS_CODE = "refunds"
DISPUTES_CODE = "disputes"
# Accounts money passes through or leaves by; what remains is the earmark.
_NOT_HELD = {CLEARING_CODE, OFFLINE_CLEARING_CODE, REFUNDS_CODE, DISPUTES_CODE}


@dataclass(frozen=True)
class BankAccount:
    account_name: str
    bank_name: str
    account_number: str
    note: str = ""

    def __bool__(self):
        return bool(self.account_name and self.bank_name and self.account_number)


def giving_bank_account(*, site=None):
    """The receiving account: the site's setting, its empty fields from GIVING_BANK_*.

    ``site`` is a Wagtail ``Site`` (None: the default site). Falsy when
    incomplete: then no pledge is offered, only the hotline.
    """
    where = {"site": site} if site else {"site__is_default_site": True}
    stored = GivingBankSettings.objects.filter(**where).first()
    return BankAccount(
        account_name=(stored and stored.account_name) or settings.GIVING_BANK_ACCOUNT_NAME,
        bank_name=(stored and stored.bank_name) or settings.GIVING_BANK_NAME,
        account_number=(stored and stored.account_number) or settings.GIVING_BANK_ACCOUNT_NUMBER,
        note=(stored and stored.note) or "",
    )


def pledges_to_confirm():
    """Pledges still waiting for their transfer (pending or expired), oldest first."""
    return Pledge.objects.filter(
        channel=Donation.Channel.BANK_TRANSFER,
        status__in=[Donation.Status.PENDING, Donation.Status.EXPIRED],
    ).order_by("created_at", "pk")


def ledger_key_prefix(*, donation):
    return f"donation-{donation.pk}-"


def donation_get_by_tracking_code(*, tracking_code):
    return Donation.objects.filter(tracking_code=tracking_code).first()


def donation_holdings(*, donation):
    """Where this donation's money is earmarked now: {account code: fen}."""
    totals = entries_by_account(key_prefix=ledger_key_prefix(donation=donation))
    return {code: amount for code, amount in totals.items() if code not in _NOT_HELD}


def donation_refunded_minor(*, donation):
    """How much of this donation the ledger has recorded as refunded."""
    totals = entries_by_account(key_prefix=ledger_key_prefix(donation=donation))
    return totals.get(REFUNDS_CODE, 0)


def _stripe_references(obj):
    """(our donation id, payment intent id, checkout session id) named by a Stripe object."""
    metadata = obj.get("metadata") or {}
    reference = str(metadata.get("donation_id") or obj.get("client_reference_id") or "")
    intent_id = obj["id"] if obj.get("object") == "payment_intent" else obj.get("payment_intent")
    session_id = obj["id"] if obj.get("object") == "checkout.session" else None
    return (int(reference) if reference.isdigit() else None), intent_id, session_id


def donations_for_stripe_objects(*, objects, for_update=False):
    """The donation each Stripe object is about (or None), in one query.

    Metadata carries our id when we created the object; the payment intent
    and then the checkout session id are the fallbacks, e.g. for a charge or
    dispute without metadata. ``for_update`` locks the rows found, in id
    order (two batches never deadlock over them).
    """
    references = [_stripe_references(obj) for obj in objects]
    ids = {ref for ref, _intent, _session in references if ref is not None}
    intents = {intent for _ref, intent, _session in references if intent}
    sessions = {session for _ref, _intent, session in references if session}
    match = Q(pk__in=ids) | Q(stripe_payment_intent_id__in=intents)
    if sessions:
        match |= Q(stripe_checkout_session_id__in=sessions)
    found = Donation.objects.filter(match).order_by("pk")
    if for_update:
        found = found.select_for_update()
    by_id, by_intent, by_session = {}, {}, {}
    for donation in found if ids or intents or sessions else ():
        by_id[donation.pk] = donation
        if donation.stripe_payment_intent_id:
            by_intent[donation.stripe_payment_intent_id] = donation
        if donation.stripe_checkout_session_id:
            by_session[donation.stripe_checkout_session_id] = donation
    return [
        by_id.get(ref) or by_intent.get(intent) or by_session.get(session)
        for ref, intent, session in references
    ]


@dataclass(frozen=True)
class TrackingStep:
    when: datetime.datetime
    kind: str
    account_code: str
    amount_minor: int


def donation_tracking_steps(*, donation):
    """The gift's path through the ledger, for the public tracking page.

    Only account codes, kinds, dates and amounts: nothing about the donor
    or the household.
    """
    entries = (
        Entry.objects.filter(
            transaction__idempotency_key__startswith=ledger_key_prefix(donation=donation)
        )
        .exclude(account__code__in=[CLEARING_CODE, OFFLINE_CLEARING_CODE])
        .select_related("transaction", "account")
        .order_by("transaction__created_at", "id")
    )
    return [
        TrackingStep(
            when=entry.transaction.created_at,
            kind=entry.transaction.kind,
            account_code=entry.account.code,
            amount_minor=entry.amount_minor,
        )
        for entry in entries
    ]
