"""Writes to the audit log. Callers pass no personal data in ``before``/``after``.

Entries about objects that Wagtail keeps a history for (pages, snippets,
models with revisions or workflows) are mirrored into Wagtail's own log as
``audit.entry``; Wagtail's log entries are mirrored back here by
``wagtail_log_mirror`` (connected in ``AuditConfig.ready``). Each side marks
what it copied, so nothing is copied twice.
"""

from django.core.exceptions import ObjectDoesNotExist
from wagtail.log_actions import log
from wagtail.models import Page, RevisionMixin, WorkflowMixin
from wagtail.snippets.models import get_snippet_models

from matching.directory.models import Jurisdiction

from .models import AuditEntry

WAGTAIL_ACTION = "audit.entry"
_JURISDICTION_CHAINS = (
    ("jurisdiction",),
    ("case", "jurisdiction"),
    ("need", "jurisdiction"),
    ("household", "jurisdiction"),
    ("routed_to",),
)


def _object_type(obj):
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def jurisdiction_path_of(obj):
    """The path of the jurisdiction ``obj`` belongs to, or "" when it has none."""
    if isinstance(obj, Jurisdiction):
        return obj.path
    for chain in _JURISDICTION_CHAINS:
        target = obj
        try:
            for name in chain:
                target = getattr(target, name)
        except (AttributeError, ObjectDoesNotExist):
            continue
        if isinstance(target, Jurisdiction):
            return target.path
    return ""


def _actor_fields(actor):
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return {
        "actor": actor if authenticated else None,
        "actor_label": actor.get_username() if authenticated else "system",
    }


def audit_record_for(
    *, actor, action, object_type, object_id, summary="", before=None, after=None, path=""
):
    """Append one entry about an object named by type and id (lists, exports, Wagtail's log)."""
    return AuditEntry.objects.create(
        **_actor_fields(actor),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        jurisdiction_path=path or "",
        summary=summary[:255],
        before=before,
        after=after,
    )


def audit_record(*, actor, action, obj, summary="", before=None, after=None, jurisdiction=None):
    """Append one entry; ``actor`` may be None for the system (sweeps, imports)."""
    entry = audit_record_for(
        actor=actor,
        action=action,
        object_type=_object_type(obj),
        object_id=obj.pk,
        summary=summary,
        before=before,
        after=after,
        path=jurisdiction.path if jurisdiction is not None else jurisdiction_path_of(obj),
    )
    _mirror_to_wagtail(entry, obj)
    return entry


def _wagtail_keeps_history(obj):
    return isinstance(obj, Page | RevisionMixin | WorkflowMixin) or type(obj) in set(
        get_snippet_models()
    )


def _mirror_to_wagtail(entry, obj):
    if not _wagtail_keeps_history(obj):
        return
    log(
        obj,
        WAGTAIL_ACTION,
        user=entry.actor,
        data={"audit_entry": entry.pk, "action": entry.action, "summary": entry.summary},
    )


def _action_for(wagtail_action):
    name = wagtail_action.removeprefix("wagtail.")
    if name == "create":
        return AuditEntry.Action.CREATE
    if name in ("edit", "revert", "rename", "reorder"):
        return AuditEntry.Action.UPDATE
    if name == "delete":
        return AuditEntry.Action.DELETE
    if name.startswith(("publish", "unpublish", "workflow", "moderation", "schedule", "lock")):
        return AuditEntry.Action.TRANSITION
    return AuditEntry.Action.ADMIN


def _logged_object(log_entry):
    content_type = log_entry.content_type
    object_id = getattr(log_entry, "page_id", None) or log_entry.object_id
    try:
        return content_type, object_id, content_type.get_object_for_this_type(pk=object_id)
    except (ObjectDoesNotExist, ValueError, AttributeError):
        return content_type, object_id, None


def wagtail_log_mirror(*, log_entry):
    """Copy one entry of Wagtail's admin log into the audit log (not its title:
    a title may name a person)."""
    if log_entry.action == WAGTAIL_ACTION:
        return None
    content_type, object_id, obj = _logged_object(log_entry)
    return audit_record_for(
        actor=log_entry.user,
        action=_action_for(log_entry.action),
        object_type=f"{content_type.app_label}.{content_type.model}",
        object_id=object_id,
        summary=f"wagtail {log_entry.action}",
        after={"wagtail_action": log_entry.action, "wagtail_log": log_entry.pk},
        path=jurisdiction_path_of(obj) if obj is not None else "",
    )
