"""Reads for the directory."""

from .models import Jurisdiction, Profile


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
