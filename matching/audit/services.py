"""Writes to the audit log. Callers pass no personal data in ``before``/``after``."""

from .models import AuditEntry


def _object_type(obj):
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def audit_record(*, actor, action, obj, summary="", before=None, after=None):
    """Append one entry; ``actor`` may be None for the system (sweeps, imports)."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_label=actor.get_username() if authenticated else "system",
        action=action,
        object_type=_object_type(obj),
        object_id=str(obj.pk),
        summary=summary[:255],
        before=before,
        after=after,
    )
