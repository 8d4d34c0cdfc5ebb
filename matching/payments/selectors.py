"""Reads for donations."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from matching.ledger.models import Account, Entry
from matching.ledger.selectors import entries_by_account

from .models import Donation

CLEARING_CODE = "stripe:clearing"
# Bank transfers and cash staff record come in through here.
OFFLINE_CLEARING_CODE = "offline:clearing"
REFUNDS_CODE = "refunds"
DISPUTES_CODE = "disputes"
# Accounts money passes through or leaves by; what remains is the earmark.
_NOT_HELD = {CLEARING_CODE, OFFLINE_CLEARING_CODE, REFUNDS_CODE, DISPUTES_CODE}


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


def donation_for_stripe_object(*, obj, for_update=False):
    """The donation a Stripe object (intent, session, charge, dispute) is about.

    Metadata carries our id when we created the object; intent and session
    ids are the fallback, e.g. for a charge or dispute without metadata.
    ``for_update`` finds and row-locks it in one statement (the webhook).
    """
    metadata = obj.get("metadata") or {}
    reference = metadata.get("donation_id") or obj.get("client_reference_id")
    intent_id = obj["id"] if obj.get("object") == "payment_intent" else obj.get("payment_intent")
    match = Q(pk=-1)
    if reference and str(reference).isdigit():
        match |= Q(pk=int(reference))
    if intent_id:
        match |= Q(stripe_payment_intent_id=intent_id)
    if obj.get("object") == "checkout.session":
        match |= Q(stripe_checkout_session_id=obj["id"])
    donations = Donation.objects.select_for_update() if for_update else Donation.objects
    return donations.filter(match).first()


def donation_target_account(*, donation):
    return Account.objects.get(code=donation.target_code)


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
