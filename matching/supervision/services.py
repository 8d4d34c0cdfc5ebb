"""Writes of the supervision app: only the audit entry that every export leaves."""

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record


def supervision_export_record(*, actor, jurisdiction, start, end, file_format):
    """Record who exported which unit's figures for which period, in which format."""
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=jurisdiction,
        summary=f"supervision {file_format} {jurisdiction.code} "
        f"{start:%Y-%m-%d %H:%M}..{end:%Y-%m-%d %H:%M}",
        after={
            "format": file_format,
            "jurisdiction": jurisdiction.code,
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
    )
