"""What a match may be paid from, and first-in-first-out allocation of an
account's money to the gifts that filled it."""

from matching.ledger.models import Account, Entry, Transaction
from matching.publication.models import PublicNeed

from ..models import Disbursement

# --- what a match may be paid from ---------------------------------------------------


def public_need_of_case(case):
    return PublicNeed.objects.select_related("district").filter(case=case).first()


def match_account_codes(*, match):
    """Ledger accounts whose money may pay this match (专款专用).

    The need's own account (``need:<public need id>``) and, for a project
    or fund match, that project's or fund's account.
    """
    codes = set()
    need = public_need_of_case(match.need)
    if need is not None:
        codes.add(f"need:{need.pk}")
    if match.project_id:
        codes.add(f"project:{match.project_id}")
    if match.fund_id:
        codes.add(f"fund:{match.fund_id}")
    return codes


def match_accounts(*, match):
    return Account.objects.filter(code__in=match_account_codes(match=match))


# --- first in, first out ------------------------------------------------------------


def _source_of(idempotency_key):
    """Which gift an earmark belongs to: ``donation-17-received`` -> ``donation-17``."""
    parts = idempotency_key.split("-")
    if len(parts) >= 2 and parts[0] == "donation" and parts[1].isdigit():
        return f"donation-{parts[1]}"
    return idempotency_key


def account_fifo_allocation(*, account):
    """Attribute an account's posted disbursements to its gifts, oldest gift first.

    Returns {source: [(disbursement, fen), ...]} where a source is
    ``donation-<id>`` (or the key of any other inflow). A gift's share is
    its net earmark here (after its own refunds and disputes).
    """
    entries = (
        Entry.objects.filter(account=account)
        .exclude(transaction__kind=Transaction.Kind.DISBURSEMENT)
        .order_by("transaction__created_at", "transaction_id")
        .values_list("transaction__idempotency_key", "amount_minor")
    )
    inflows = {}
    for key, amount in entries:
        source = _source_of(key)
        inflows[source] = inflows.get(source, 0) + amount
    queue = [[source, amount] for source, amount in inflows.items() if amount > 0]
    allocation = {source: [] for source, _amount in queue}
    payouts = Disbursement.objects.filter(
        account=account, status=Disbursement.Status.POSTED
    ).order_by("posted_at", "pk")
    position = 0
    for payout in payouts:
        left = payout.amount_minor
        while left and position < len(queue):
            source, remaining = queue[position]
            share = min(left, remaining)
            allocation[source].append((payout, share))
            left -= share
            queue[position][1] -= share
            if queue[position][1] == 0:
                position += 1
    return allocation
