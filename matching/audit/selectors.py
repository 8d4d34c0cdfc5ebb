"""Reads of the audit log."""

from matching.core.scope import subtree
from matching.directory.models import Role
from matching.directory.selectors import profile_get

from .models import AuditEntry

# Who reads the audit trail, over their own jurisdiction and everything in it.
AUDIT_READERS = (Role.INSPECTOR, Role.CITY_STAFF)


def audit_entry_list(*, obj=None, action=None, actor=None):
    queryset = AuditEntry.objects.all()
    if obj is not None:
        queryset = queryset.filter(
            object_type=f"{obj._meta.app_label}.{obj._meta.model_name}", object_id=str(obj.pk)
        )
    if action:
        queryset = queryset.filter(action=action)
    if actor is not None:
        queryset = queryset.filter(actor=actor)
    return queryset


def within(queryset, path):
    """Entries about ``path`` (a jurisdiction path) or anywhere below it."""
    return queryset.filter(subtree(path, field="jurisdiction_path"))


def audit_entry_list_for(*, user):
    """The entries an inspector or city staff member may search: their
    jurisdiction's subtree; entries tied to no place only at the top level."""
    if user.is_superuser:
        return AuditEntry.objects.all()
    profile = profile_get(user=user)
    if profile is None or profile.role not in AUDIT_READERS or profile.jurisdiction is None:
        return AuditEntry.objects.none()
    scoped = within(AuditEntry.objects.all(), profile.jurisdiction.path)
    if profile.jurisdiction.parent_id is None:
        scoped = scoped | AuditEntry.objects.filter(jurisdiction_path="")
    return scoped
