"""The home page's live figures: needs open, money raised and disbursed this
month, households helped. City-wide totals, held back where they would rest
on too few households (the same thresholds as the transparency page and the
k-check: docs/funding.md, docs/publication.md)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from matching.deidentify.kanon import publishable
from matching.ledger.models import Entry, Transaction
from matching.publication.models import PublicNeed

from ..models import Disbursement, InKindGift
from .tracking import ACCOUNT_KINDS_HELD, government_fund_codes


@dataclass(frozen=True)
class PublicFigures:
    needs_open: int
    raised_this_month_minor: int
    # None: 1 to TRANSPARENCY_MIN_NEEDS - 1 households were paid this month.
    disbursed_this_month_minor: int | None
    # None: 1 to PUBLICATION_K - 1 households helped so far.
    households_helped: int | None
    month_start: object


def month_start(now=None):
    local = timezone.localtime(now or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _held_sum(kind, since):
    total = (
        Entry.objects.filter(
            account__kind__in=list(ACCOUNT_KINDS_HELD),
            transaction__kind=kind,
            transaction__created_at__gte=since,
        )
        .exclude(account__code__in=government_fund_codes())
        .aggregate(total=Sum("amount_minor"))["total"]
    )
    return total or 0


def _households_helped():
    paid = Disbursement.objects.filter(status=Disbursement.Status.POSTED).values_list(
        "match__need_id", flat=True
    )
    delivered = InKindGift.objects.filter(
        status__in=[InKindGift.Status.DELIVERED, InKindGift.Status.CONFIRMED], need__isnull=False
    ).values_list("need__case_id", flat=True)
    return len(set(paid) | set(delivered))


def public_figures(*, now=None):
    """The figures as of ``now``; money in fen, exact (integer sums of the ledger)."""
    since = month_start(now)
    paid_households = (
        Disbursement.objects.filter(status=Disbursement.Status.POSTED, posted_at__gte=since)
        .values("match__need_id")
        .distinct()
        .count()
    )
    disbursed = -_held_sum(Transaction.Kind.DISBURSEMENT, since)
    helped = _households_helped()
    return PublicFigures(
        needs_open=PublicNeed.objects.public().count(),
        raised_this_month_minor=_held_sum(Transaction.Kind.DONATION, since),
        disbursed_this_month_minor=disbursed
        if publishable(paid_households, settings.TRANSPARENCY_MIN_NEEDS)
        else None,
        households_helped=helped if publishable(helped, settings.PUBLICATION_K) else None,
        month_start=since,
    )
