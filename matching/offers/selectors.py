"""Reads for offers and matches."""

from collections import Counter

from django.db import connection, models
from django.db.models import Q

from matching.core.scope import subtree
from matching.directory.models import Department, Role
from matching.directory.selectors import profile_get, staff_profile

from .models import Fund, Match, MatchStatus, Project, Volunteer

OPEN = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.APPROVED)
URGENT_FIRST_NEED = models.Case(
    models.When(need__urgency="emergency", then=models.Value(0)),
    default=models.Value(1),
    output_field=models.IntegerField(),
)


# Read on every match (search.matcher.rank): one row per organization, counted
# by the database. Written as SQL because building the same query through the
# ORM (a Coalesce over three joins, grouped) cost ~3 ms of Python a match, the
# database ~0.1 ms (docs/performance.md, "Fifth round").
_OPEN_MATCHES_SQL = """
SELECT COALESCE(p.organization_id, v.organization_id, f.organization_id) AS organization,
       COUNT(*)
FROM {match} m
LEFT JOIN {project} p ON p.id = m.project_id
LEFT JOIN {volunteer} v ON v.id = m.volunteer_id
LEFT JOIN {fund} f ON f.id = m.fund_id
WHERE m.status IN ({statuses})
GROUP BY COALESCE(p.organization_id, v.organization_id, f.organization_id)
"""


def open_matches_by_organization():
    """Organization id (str) -> number of its offers' open matches (load spreading)."""
    quote = connection.ops.quote_name
    tables = {"match": Match, "project": Project, "volunteer": Volunteer, "fund": Fund}
    sql = _OPEN_MATCHES_SQL.format(
        statuses=", ".join(["%s"] * len(OPEN)),
        **{key: quote(model._meta.db_table) for key, model in tables.items()},
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [str(status) for status in OPEN])
        rows = cursor.fetchall()
    return Counter({str(organization): count for organization, count in rows if organization})


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
    queryset = (
        match_list()
        .select_related("need__jurisdiction")
        .order_by(URGENT_FIRST_NEED, "-score", "id")
    )
    staff = staff_profile(user)
    if staff:
        return queryset.filter(subtree(staff.jurisdiction.path, field="need__jurisdiction__path"))
    profile = profile_get(user=user)
    if profile and profile.role in (Role.CHARITY_ADMIN, Role.CHARITY_MEMBER):
        org = profile.organization_id
        return queryset.filter(
            Q(project__organization_id=org)
            | Q(fund__organization_id=org)
            | Q(volunteer__organization_id=org)
        )
    if profile and profile.role == Role.LIAISON and profile.department_id:
        # A department answers for its government funds (docs/funding.md).
        return queryset.filter(fund__source="government", fund__department_id=profile.department_id)
    return queryset.none()


def fund_list_managed(*, user):
    """The funds a user manages in the admin: a charity administrator their
    organization's social funds; civil-affairs staff the government funds of the
    departments in their jurisdiction (docs/funding.md, "The fund admin")."""
    queryset = Fund.objects.select_related("organization", "department__jurisdiction")
    staff = staff_profile(user)
    if staff:
        return queryset.filter(
            subtree(staff.jurisdiction.path, field="department__jurisdiction__path"),
            source="government",
        )
    profile = profile_get(user=user)
    if profile and profile.role == Role.CHARITY_ADMIN and profile.organization_id:
        return queryset.filter(source="social", organization_id=profile.organization_id)
    return queryset.none()


def fund_departments(*, user):
    """The departments for which a staff member may create a government fund."""
    staff = staff_profile(user)
    if staff is None:
        return Department.objects.none()
    return Department.objects.filter(subtree(staff.jurisdiction.path)).order_by("name")
