"""Reads for offers and matches."""

from collections import Counter

from django.db.models import Q

from .models import Match, MatchStatus

OPEN = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.APPROVED)


def open_matches_by_organization():
    """Organization id (str) -> number of its offers' open matches (load spreading)."""
    counts = Counter()
    rows = Match.objects.filter(status__in=OPEN).values_list(
        "project__organization_id", "volunteer__organization_id", "fund__organization_id"
    )
    for ids in rows:
        org = next((pk for pk in ids if pk), None)
        if org:
            counts[str(org)] += 1
    return counts


def match_list(*, need=None, status=None):
    queryset = Match.objects.select_related("need", "project", "volunteer", "fund")
    if need is not None:
        queryset = queryset.filter(need=need)
    if status:
        queryset = queryset.filter(Q(status=status))
    return queryset
