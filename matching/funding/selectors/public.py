"""What a public need's page may say about the money and goods that reached it.

Only kinds, amounts and months: never a payee's name (a household payee is a
person; a named hospital or school narrows down who is ill or studying), never
a staff note, never a donor's name. docs/publication.md, "The need page".
"""

from matching.funding.models import Disbursement, InKindGift, PayeeKind
from matching.publication.models import PublicNeed


def need_progress_updates(*, need: PublicNeed, limit=20):
    """Progress notes, posted payouts and delivered goods of a need, newest first.

    Each update is a dict with ``kind`` ("note", "payout", "goods"), ``when``
    and the published facts of its kind; ``confirmed_at`` is when the household
    confirmed receipt with its one-time code (None: not yet).
    """
    updates = [
        {"kind": "note", "when": update.posted_at, "text": update.text}
        for update in need.updates.all()[:limit]
    ]
    payouts = (
        Disbursement.objects.filter(match__need_id=need.case_id, status=Disbursement.Status.POSTED)
        .select_related("confirmation")
        .order_by("-posted_at")[:limit]
    )
    updates += [
        {
            "kind": "payout",
            "when": payout.posted_at,
            "amount_minor": payout.amount_minor,
            "payee": PayeeKind(payout.payee_kind).label,
            "confirmed_at": _confirmed_at(payout),
        }
        for payout in payouts
    ]
    goods = (
        need.in_kind_gifts.exclude(status=InKindGift.Status.PENDING)
        .select_related("confirmation")
        .order_by("-delivered_at")[:limit]
    )
    updates += [
        {
            "kind": "goods",
            "when": gift.delivered_at,
            "items": gift.items,
            "quantity": gift.quantity,
            "unit": gift.unit,
            "confirmed_at": _confirmed_at(gift),
        }
        for gift in goods
    ]
    return sorted(updates, key=lambda update: update["when"], reverse=True)[:limit]


def _confirmed_at(delivery):
    confirmation = getattr(delivery, "confirmation", None)
    return confirmation.confirmed_at if confirmation else None
