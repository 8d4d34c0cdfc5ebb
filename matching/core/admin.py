"""The admin kit: small pieces every app's Wagtail admin is built from."""

from django.core.exceptions import PermissionDenied
from wagtail.permissions import policy_registry

_OBJECT_VIEWS = (
    "edit",
    "delete",
    "usage",
    "history",
    "inspect",
    "revisions",
    "revisions_compare",
    "revisions_unschedule",
    "unpublish",
    "preview_on_edit",
    "lock",
    "unlock",
    "workflow_action",
    "collect_workflow_action_data",
    "confirm_workflow_cancellation",
    "workflow_preview",
    "workflow_history",
    "workflow_history_detail",
)


def _scoped(view_class):
    """``view_class`` refusing an object outside the user's instance permissions.

    Wagtail's generic views check model-level permissions only; this adds the
    policy's per-instance answer to every view that loads one object.
    """

    class ScopedView(view_class):
        def get_object(self, *args, **kwargs):
            obj = super().get_object(*args, **kwargs)
            policy = policy_registry.get_by_type(type(obj))
            if not policy.user_has_any_permission_for_instance(
                self.request.user, ["change", "view", "publish"], obj
            ):
                raise PermissionDenied
            return obj

    ScopedView.__name__ = f"Scoped{view_class.__name__}"
    return ScopedView


def scope_object_views(viewset_class):
    """Class decorator for a SnippetViewSet: every object view asks the instance policy."""
    for name in _OBJECT_VIEWS:
        attribute = f"{name}_view_class"
        view_class = getattr(viewset_class, attribute, None)
        if view_class is not None:
            setattr(viewset_class, attribute, _scoped(view_class))
    return viewset_class
