"""Reads for offers and matches."""

from collections import Counter

from django.db import models
from django.db.models import Q

from .models import Match, MatchStatus

OPEN = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.APPROVED)
URGENT_FIRST_NEED = models.Case(
    models.When(need__urgency="emergency", then=models.Value(0)),
    default=models.Value(1),
    output_field=models.IntegerField(),
)


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


def match_queue(*, user):
    """The matches a user may review: staff by the need's jurisdiction, offer
    sides by their organization. Emergencies first, then the best score."""
    from matching.cases.access import staff_profile
    from matching.directory.models import Role
    from matching.directory.selectors import profile_get

    queryset = (
        match_list()
        .select_related("need__jurisdiction")
        .order_by(URGENT_FIRST_NEED, "-score", "id")
    )
    staff = staff_profile(user)
    if staff:
        return queryset.filter(need__jurisdiction__path__startswith=staff.jurisdiction.path)
    profile = profile_get(user=user)
    if profile and profile.role in (Role.CHARITY_ADMIN, Role.CHARITY_MEMBER):
        org = profile.organization_id
        return queryset.filter(
            Q(project__organization_id=org)
            | Q(fund__organization_id=org)
            | Q(volunteer__organization_id=org)
        )
    return queryset.none()
