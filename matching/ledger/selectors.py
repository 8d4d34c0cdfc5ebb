"""Reads for the ledger. Every balance is summed from entries, never stored."""

from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from .models import Entry, Transaction

# Disbursement moves earmarked money out to be spent; it does not reopen room
# under a need's cap (the need got that money). Refunds and disputes do.
_NOT_EARMARKING = [Transaction.Kind.DISBURSEMENT]
UNRESTRICTED = "unrestricted"


def account_balance(*, account):
    """The account's balance in fen: the sum of all its entries."""
    total = Entry.objects.filter(account=account).aggregate(total=Sum("amount_minor"))["total"]
    return total or 0


def account_earmarked_total(*, account):
    """Net amount ever earmarked here (donations less refunds and disputes)."""
    entries = Entry.objects.filter(account=account).exclude(transaction__kind__in=_NOT_EARMARKING)
    return entries.aggregate(total=Sum("amount_minor"))["total"] or 0


@dataclass(frozen=True)
class AccountSummary:
    raised_minor: int
    disbursed_minor: int
    balance_minor: int


def account_summary(*, account):
    """Raised (net of refunds and disputes), disbursed and balance, for display."""
    raised = account_earmarked_total(account=account)
    balance = account_balance(account=account)
    return AccountSummary(
        raised_minor=raised, disbursed_minor=raised - balance, balance_minor=balance
    )


def account_summaries(*, codes):
    """{code: AccountSummary} for many accounts in one query (listings).

    Raised is what was earmarked in, net of refunds and disputes; disbursed
    is what DISBURSEMENT transactions took out. A code with no account or no
    entries yet reads as zeros.
    """
    codes = list(codes)
    rows = (
        Entry.objects.filter(account__code__in=codes)
        .values("account__code")
        .annotate(
            balance=Sum("amount_minor"),
            disbursed=Sum("amount_minor", filter=Q(transaction__kind__in=_NOT_EARMARKING)),
        )
    )
    found = {
        row["account__code"]: AccountSummary(
            raised_minor=row["balance"] - (row["disbursed"] or 0),
            disbursed_minor=-(row["disbursed"] or 0),
            balance_minor=row["balance"],
        )
        for row in rows
    }
    empty = AccountSummary(raised_minor=0, disbursed_minor=0, balance_minor=0)
    return {code: found.get(code, empty) for code in codes}


def account_summary_by_code(*, code):
    """Raised, disbursed and balance of the account ``code`` (zeros if not opened yet)."""
    return account_summaries(codes=[code])[code]


def account_room(*, account):
    """How much more may be earmarked here; None when the account has no cap."""
    if account.earmark_cap_minor is None:
        return None
    return max(account.earmark_cap_minor - account_earmarked_total(account=account), 0)


def overflow_account_code(*, account):
    """Where money beyond the cap goes: the general fund of the same category."""
    return f"general:{account.category or UNRESTRICTED}"


@dataclass(frozen=True)
class AllocationPlan:
    to_target_minor: int
    to_overflow_minor: int
    overflow_code: str


def allocation_plan(*, account, amount_minor, room=None):
    """Split an amount between an account and its overflow under the policy.

    Called by the earmarking service with ``room`` computed under a row
    lock; called without it to show a donor what would happen today.
    """
    if room is None:
        room = account_room(account=account)
    to_target = amount_minor if room is None else min(amount_minor, room)
    return AllocationPlan(
        to_target_minor=to_target,
        to_overflow_minor=amount_minor - to_target,
        overflow_code=overflow_account_code(account=account),
    )


def allocation_policy_text(*, account, overflow_name=""):
    """The overflow policy in words, shown to the donor before they pay.

    ``overflow_name`` is the general fund's name for people (e.g. "医疗救助");
    without it the account code is named.
    """
    return _(
        "如超出该需求尚需金额，超出部分将转入同类别公益总基金（%(overflow)s），专款用于同类救助。"
    ) % {"overflow": overflow_name or overflow_account_code(account=account)}


def transaction_entries(*, idempotency_key):
    """The entries of one transaction as {account code: amount}, or {}."""
    entries = Entry.objects.filter(transaction__idempotency_key=idempotency_key)
    return dict(entries.values_list("account__code", "amount_minor"))


def transaction_unbalanced_list():
    """Transactions whose entries do not sum to zero; always empty if all is well."""
    return Transaction.objects.annotate(total=Sum("entries__amount_minor")).exclude(total=0)


def entries_by_account(*, key_prefix):
    """Net amount per account code over all transactions whose key starts so.

    Callers key every transaction of one donation ``donation-<id>-...``; this
    tells where that donation's money sits now.
    """
    entries = Entry.objects.filter(transaction__idempotency_key__startswith=key_prefix)
    totals = entries.values("account__code").annotate(total=Sum("amount_minor"))
    return {row["account__code"]: row["total"] for row in totals if row["total"]}
