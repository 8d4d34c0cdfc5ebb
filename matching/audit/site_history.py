"""Wagtail's site-history report, scoped like every other staff screen.

Wagtail shows a log entry to anyone holding some permission on the logged
object's model: every district's staff saw the log of every public need of
the city, with the acting staff member's username, and could export it.
Here a log entry about an object tied to a jurisdiction is shown only to
staff whose jurisdiction contains it (superusers see everything):

- a model with an instance permission policy (public needs, projects) is
  scoped by that policy, as its own listing is;
- a model reaching a ``Jurisdiction`` through one of ``JURISDICTION_CHAINS``
  (complaints, cases, ...) by the reader's jurisdiction subtree;
- anything else (pages, images, documents) as Wagtail decides.

``ScopedLogEntriesView`` replaces Wagtail's report at its own URL (see
``matching/audit/urls.py``, included before the admin's URLs), so the menu
item, the results view and the CSV/XLSX export all go through it; its user
and action filters list only what the scoped entries contain.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from matching.directory.models import Jurisdiction
from matching.directory.selectors import profile_get

JURISDICTION_CHAINS = (
    "jurisdiction",
    "case__jurisdiction",
    "need__jurisdiction",
    "household__jurisdiction",
    "routed_to",
)
_ANY_ACTION = ["add", "change", "delete", "publish", "view"]


def _jurisdiction_chain(model):
    for chain in JURISDICTION_CHAINS:
        current = model
        try:
            for name in chain.split("__"):
                field = current._meta.get_field(name)
                current = field.related_model
                if current is None:
                    break
        except FieldDoesNotExist:
            continue
        if current is Jurisdiction:
            return chain
    return None


def _visible_objects(*, user, model):
    """The ``model`` rows whose log ``user`` may read, or None for "as Wagtail decides"."""
    policy = policy_registry.get_by_type(model, fallback=False)
    if policy is not None and type(policy) is not ModelPermissionPolicy:
        return policy.instances_user_has_any_permission_for(user, _ANY_ACTION)
    chain = _jurisdiction_chain(model)
    if chain is None:
        return None
    profile = profile_get(user=user)
    if profile is None or profile.jurisdiction is None:
        return model._default_manager.none()
    path = profile.jurisdiction.path
    return model._default_manager.filter(
        Q(**{f"{chain}__path": path}) | Q(**{f"{chain}__path__startswith": path + "/"})
    )


def log_entries_scoped(*, queryset, user):
    """``queryset`` (of a Wagtail log model) narrowed to the entries ``user`` may read."""
    if user.is_superuser or queryset.model is not ModelLogEntry:
        return queryset
    content_type_ids = set(queryset.order_by().values_list("content_type_id", flat=True).distinct())
    restricted = Q(pk__in=[])
    restricted_types = []
    for content_type_id in content_type_ids:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        visible = None if model is None else _visible_objects(user=user, model=model)
        if visible is None:
            continue
        restricted_types.append(content_type_id)
        restricted |= Q(
            content_type_id=content_type_id,
            object_id__in=visible.annotate(pk_text=Cast("pk", CharField())).values("pk_text"),
        )
    unrestricted = ~Q(content_type_id__in=restricted_types)
    return queryset.filter(unrestricted | restricted)


def _scoped_entries(user):
    for log_model in log_action_registry.get_log_entry_models():
        yield log_entries_scoped(queryset=log_model.objects.viewable_by_user(user), user=user)


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    def get_user_choices(self):
        user_ids = set()
        for entries in _scoped_entries(self.request.user):
            user_ids.update(entries.get_user_ids())
        User = get_user_model()
        return User.objects.filter(pk__in=user_ids).order_by(User.USERNAME_FIELD)

    def get_action_choices(self):
        actions = set()
        for entries in _scoped_entries(self.request.user):
            actions.update(entries.get_actions())
        return [choice for choice in log_action_registry.get_choices() if choice[0] in actions]


class ScopedLogEntriesView(LogEntriesView):
    filterset_class = ScopedSiteHistoryFilterSet

    def filter_queryset(self, queryset):
        scoped = super().filter_queryset(queryset)
        return log_entries_scoped(queryset=scoped, user=self.request.user)
