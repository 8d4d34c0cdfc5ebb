"""Reads for offers and matches."""

from collections import Counter

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from .models import Match, MatchStatus

OPEN = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.APPROVED)
URGENT_FIRST_NEED = models.Case(
    models.When(need__urgency="emergency", then=models.Value(0)),
    default=models.Value(1),
    output_field=models.IntegerField(),
)


def open_matches_by_organization():
    """Organization id (str) -> number of its offers' open matches (load spreading).

    Counted by the database, one row per organization: every match reads this,
    and a Python loop over every open match would grow with the queue."""
    rows = (
        Match.objects.filter(status__in=OPEN)
        .annotate(
            organization=Coalesce(
                "project__organization_id",
                "volunteer__organization_id",
                "fund__organization_id",
            )
        )
        .exclude(organization=None)
        .order_by()
        .values("organization")
        .annotate(open=Count("id"))
        .values_list("organization", "open")
    )
    return Counter({str(organization): count for organization, count in rows})


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
