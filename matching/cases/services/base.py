"""Shared pieces of the case services: errors, saving, recipients."""

from matching.core.errors import DomainError
from matching.directory.models import STAFF_ROLES, Profile, Role


class CaseRuleError(DomainError):
    """A request the rules refuse; ``str()`` is a message fit to show the user."""


class TransitionNotAllowed(CaseRuleError):
    pass


class NotPermitted(CaseRuleError):
    http_status = 403


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


def _snapshot(instance, *fields):
    return {name: str(getattr(instance, name)) for name in fields}


def _staff_of(jurisdiction):
    """Civil-affairs staff sitting exactly at ``jurisdiction``."""
    profiles = Profile.objects.filter(jurisdiction=jurisdiction, role__in=STAFF_ROLES)
    return [profile.user for profile in profiles.select_related("user")]


def _liaisons_of(department):
    return [p.user for p in department.members.filter(role=Role.LIAISON).select_related("user")]
