"""Reads for the directory."""

import contextvars
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from matching.core.scope import subtree

from .models import STAFF_ROLES, DishonestyRecord, Jurisdiction, Organization, Profile, Role

# Inside ``profiles_memoized()`` (a dashboard asking every app's selectors at
# once), each user's profile is read once; elsewhere every call reads it.
_PROFILE_MEMO = contextvars.ContextVar("profile_memo", default=None)


@contextmanager
def profiles_memoized():
    token = _PROFILE_MEMO.set({})
    try:
        yield
    finally:
        _PROFILE_MEMO.reset(token)


def profile_get(*, user):
    """The user's profile, or None for an anonymous user or one without a role."""
    if not user.is_authenticated:
        return None
    memo = _PROFILE_MEMO.get()
    if memo is not None and user.pk in memo:
        return memo[user.pk]
    profile = (
        Profile.objects.select_related("jurisdiction", "department", "organization")
        .filter(user=user)
        .first()
    )
    if memo is not None:
        memo[user.pk] = profile
    return profile


def staff_profile(user):
    """The profile of a civil-affairs staff member (city, district or street), or None."""
    profile = profile_get(user=user)
    return profile if profile and profile.role in STAFF_ROLES else None


def is_liaison_of(user, department):
    profile = profile_get(user=user)
    return bool(profile and profile.role == Role.LIAISON and profile.department_id == department.pk)


def jurisdiction_list(*, level=None, within=None):
    queryset = Jurisdiction.objects.all()
    if level:
        queryset = queryset.filter(level=level)
    if within is not None:
        queryset = queryset.filter(subtree(within.path, field="path"))
    return queryset


def district_list():
    return jurisdiction_list(level=Jurisdiction.Level.DISTRICT)


# Read on every match (search.matcher.propose); written as SQL because building
# the same query through the ORM cost ~1.5 ms of Python a match, the database
# ~0.1 ms (docs/performance.md, "Fifth round").
_DISHONEST_SQL = """
SELECT DISTINCT organization_id FROM {table}
WHERE revoked = %s AND starts <= %s AND ends >= %s AND organization_id IS NOT NULL
"""


def dishonest_organization_ids(*, on=None):
    """Organizations under an active dishonesty record on ``on`` (default today)."""
    day = on or timezone.localdate()
    sql = _DISHONEST_SQL.format(table=connection.ops.quote_name(DishonestyRecord._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [False, day, day])
        return {organization_id for (organization_id,) in cursor.fetchall()}


def unverified_organization_ids():
    """Organizations not verified (never, or no longer): read on every match,
    so one indexed column of one table, as ``dishonest_organization_ids``."""
    table = connection.ops.quote_name(Organization._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE verified = %s", [False])  # noqa: S608
        return {organization_id for (organization_id,) in cursor.fetchall()}


def organization_may_publish(organization, *, on=None):
    """False while ``organization`` is under an active dishonesty record (no new projects)."""
    day = on or timezone.localdate()
    return not DishonestyRecord.objects.filter(
        organization=organization, revoked=False, starts__lte=day, ends__gte=day
    ).exists()


def saved_filter_list(*, user, list_name):
    """The user's own saved filter sets of one list (nobody else's)."""
    from .models import SavedFilter

    if not user.is_authenticated:
        return SavedFilter.objects.none()
    return SavedFilter.objects.filter(user=user, list_name=list_name)


def disclosed_dishonesty_list(*, on=None):
    """Dishonesty records the public may read (失信公示, docs/publicity.md): of
    organizations only — never of an applicant —, in force on ``on`` (not revoked,
    ``starts``–``ends`` around it), and not overturned on appeal. A record under
    appeal stays disclosed with its appeal state, as it stays in force."""
    day = on or timezone.localdate()
    return (
        DishonestyRecord.objects.filter(
            subject_kind=DishonestyRecord.SubjectKind.ORGANIZATION,
            organization__isnull=False,
            revoked=False,
            starts__lte=day,
            ends__gte=day,
        )
        .exclude(appeal_status=DishonestyRecord.Appeal.OVERTURNED)
        .select_related("organization")
        .order_by("-starts", "pk")
    )
