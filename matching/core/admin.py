"""The admin kit: the few shapes every staff screen in the Wagtail admin takes.

- ``ReadOnlyViewSet``: an index (and an inspect view, when enabled) and
  nothing else; rows change through services, never a generic form.
  ``UndeletableViewSet``: every generic view but delete.
- ``ScopedIndexView`` / ``ScopedInspectView``: rows come from a scope
  function ``scope(user=...)`` (a selector) given as a class attribute;
  ``scoped_index`` / ``scoped_inspect`` make one in a line.
- ``scope_object_views``: every object view of a viewset asks the model's
  instance permission policy before it shows or changes one object.
- ``form_flow`` and ``reported_errors``: GET a form, POST it, validate, call
  one service, report a refusal to the user (on the form or as a message),
  say what was done and redirect.

It depends on Django and Wagtail only, never on an app of this project.
"""

import re

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from . import saved_filters, workqueue
from .errors import REFUSALS, refusal_show
from .masking import mask_id_number, mask_phone

# --- viewsets ------------------------------------------------------------------------------


class ReadOnlyViewSet(ModelViewSet):
    """Index and (when ``inspect_view_enabled``) inspect only.

    ``add_url_name`` points the index's "add" button at a screen of the
    app's own that calls a service; by default there is none.
    """

    form_fields = []
    copy_view_enabled = False
    add_url_name = None
    kept_urls = frozenset({"index", "index_results", "inspect"})

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("edit", "delete", "history", "usage"):
            view_kwargs[f"{name}_url_name"] = None
        view_kwargs["add_url_name"] = self.add_url_name
        return view_kwargs

    def get_urlpatterns(self):
        return [url for url in super().get_urlpatterns() if url.name in self.kept_urls]


class UndeletableViewSet(ModelViewSet):
    """Every generic view but delete: the rows are part of the record."""

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs["delete_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        return [url for url in super().get_urlpatterns() if url.name != "delete"]


# --- exports -------------------------------------------------------------------------------

# Callables ``(*, actor, list_name, export_format, rows, filters)`` run on every
# export of a scoped list; the audit app appends the one that records it.
EXPORT_AUDITORS = []

_ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def mask_personal_numbers(value):
    """``value`` with every ID number and mobile number in it masked (strings only)."""
    if not isinstance(value, str):
        return value
    value = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), value)
    return _MOBILE.sub(lambda m: mask_phone(m.group()), value)


# --- scoped views --------------------------------------------------------------------------


class ScopedIndexView(generic.IndexView):
    """An index whose rows are ``scope(user=request.user)``.

    With ``?queue=<key>`` (a dashboard count's link, ``workqueue``) the rows
    are that queue's, when the queue is listed by this index: the very rows
    the dashboard counted, by deadline with the overdue first, optionally in
    one subordinate unit (``&unit=<code>``) of the reader's jurisdiction.
    """

    scope = None  # a function ``(*, user) -> QuerySet``, e.g. a selector

    @cached_property
    def work_queue(self):
        queue = workqueue.queue_get(self.request.GET.get("queue", ""))
        if queue is None or queue.index_url_name != self.index_url_name:
            return None
        if queue.rows(user=self.request.user) is None:
            return None
        return queue

    @cached_property
    def work_unit(self):
        code = self.request.GET.get("unit")
        if not code or self.work_queue is None:
            return None
        return workqueue.unit_get(user=self.request.user, code=code)

    def get_base_queryset(self):
        if self.work_queue is not None:
            return self.work_queue.list_rows(user=self.request.user, unit=self.work_unit)
        return type(self).scope(user=self.request.user)

    template_name = "admin_kit/index.html"
    # False where the index writes its own export audit entry (the audit trail's).
    audit_exports = True

    def render_to_response(self, context, **response_kwargs):
        if self.is_export and self.audit_exports:
            for auditor in EXPORT_AUDITORS:
                auditor(
                    actor=self.request.user,
                    list_name=self.index_url_name,
                    export_format=self.request.GET.get("export", ""),
                    rows=len(context["object_list"]),
                    filters=saved_filters.filter_query(self.request.GET),
                )
        return super().render_to_response(context, **response_kwargs)

    def to_row_dict(self, item):
        """An exported row: any ID number or mobile number in it masked."""
        return {
            key: mask_personal_numbers(value) for key, value in super().to_row_dict(item).items()
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        workqueue.autodiscover()
        context["saved_filters"] = [
            (name, f"{self.index_url}?{query}")
            for name, query in saved_filters.saved_filter_list(
                user=self.request.user, list_name=self.index_url_name
            )
        ]
        context["current_filters"] = saved_filters.filter_query(self.request.GET)
        return context

    def post(self, request, *args, **kwargs):
        """Name the current filters (the ``query`` field): saved for this user only."""
        workqueue.autodiscover()
        query = saved_filters.filter_query(QueryDict(request.POST.get("query", "")))
        with reported_errors(request) as outcome:
            saved_filters.saved_filter_save(
                user=request.user,
                list_name=self.index_url_name,
                name=request.POST.get("saved_filter_name", ""),
                query=query,
            )
        if outcome.ok:
            messages.success(request, _("已保存筛选条件。"))
        return redirect(f"{self.index_url}?{query}" if query else self.index_url)

    def get_page_subtitle(self):
        if self.work_queue is not None:
            label = str(self.work_queue.label)
            return f"{label} · {self.work_unit.name}" if self.work_unit else label
        return super().get_page_subtitle()


class ScopedInspectView(generic.InspectView):
    """An inspect view that finds its object only among ``scope(user=request.user)``."""

    scope = None  # as for ScopedIndexView

    def get_object(self, queryset=None):
        rows = type(self).scope(user=self.request.user)
        return get_object_or_404(rows, pk=unquote(str(self.pk)))


def scoped_index(scope, base=ScopedIndexView):
    """A ``ScopedIndexView`` over ``scope``."""
    return type(base.__name__, (base,), {"scope": scope})


def scoped_inspect(scope, base=ScopedInspectView):
    """A ``ScopedInspectView`` over ``scope``."""
    return type(base.__name__, (base,), {"scope": scope})


OBJECT_VIEWS = (
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


def _policy_checked(view_class):
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
    """Class decorator for a viewset: every object view asks the instance policy."""
    for name in OBJECT_VIEWS:
        attribute = f"{name}_view_class"
        view_class = getattr(viewset_class, attribute, None)
        if view_class is not None:
            setattr(viewset_class, attribute, _policy_checked(view_class))
    return viewset_class


# --- forms that call a service -------------------------------------------------------------


class reported_errors:  # lower case: used as a context manager, like contextlib.suppress
    """Turn a refusal raised inside the block into text for the user, through
    ``errors.refusal_show`` (the one place refusals become messages).

    With a ``form``, the texts land on it; without, one ``messages.error``.
    ``ok`` tells whether the block ran through::

        with reported_errors(request) as outcome:
            services.thing_do(...)
        if outcome.ok:
            ...
    """

    def __init__(self, request, *, form=None, errors=REFUSALS):
        self.request = request
        self.form = form
        self.errors = errors
        self.ok = True

    def __enter__(self):
        return self

    def __exit__(self, exc_type, error, traceback):
        if error is None or not isinstance(error, self.errors):
            return False
        self.ok = False
        refusal_show(self.request, error, form=self.form)
        return True


def _given(value, result):
    return value(result) if callable(value) else value


def form_flow(
    request,
    form,
    *,
    perform,
    success_message,
    success_url,
    render,
    errors=REFUSALS,
    invalid_status=422,
):
    """The whole flow of a screen with one form and one service.

    On a valid POST, ``perform(cleaned_data)`` calls the service; a refusal
    (one of ``errors``) lands on the form, success adds ``success_message``
    and redirects to ``success_url`` (either may be a function of what
    ``perform`` returned). Otherwise ``render(form, status)`` shows the form,
    with ``invalid_status`` when it carries errors.
    """
    if request.method == "POST" and form.is_valid():
        with reported_errors(request, form=form, errors=errors) as outcome:
            result = perform(form.cleaned_data)
        if outcome.ok:
            messages.success(request, _given(success_message, result))
            return redirect(_given(success_url, result))
    return render(form, invalid_status if form.errors else 200)
