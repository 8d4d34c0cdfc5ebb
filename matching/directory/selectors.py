"""Reads for the directory."""

from django.utils import timezone

from .models import DishonestyRecord, Jurisdiction, Profile


def profile_get(*, user):
    """The user's profile, or None for an anonymous user or one without a role."""
    if not user.is_authenticated:
        return None
    return (
        Profile.objects.select_related("jurisdiction", "department", "organization")
        .filter(user=user)
        .first()
    )


def jurisdiction_list(*, level=None, within=None):
    queryset = Jurisdiction.objects.all()
    if level:
        queryset = queryset.filter(level=level)
    if within is not None:
        queryset = queryset.filter(path__startswith=within.path)
    return queryset


def district_list():
    return jurisdiction_list(level=Jurisdiction.Level.DISTRICT)


def dishonest_organization_ids(*, on=None):
    """Organizations under an active dishonesty record on ``on`` (default today)."""
    day = on or timezone.localdate()
    return set(
        DishonestyRecord.objects.filter(
            revoked=False, starts__lte=day, ends__gte=day, organization__isnull=False
        ).values_list("organization_id", flat=True)
    )


def organization_may_publish(organization, *, on=None):
    """False while ``organization`` is under an active dishonesty record (no new projects)."""
    day = on or timezone.localdate()
    return not DishonestyRecord.objects.filter(
        organization=organization, revoked=False, starts__lte=day, ends__gte=day
    ).exists()
