"""Reads of the audit log."""

from .models import AuditEntry


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
