"""The audit trail in the Wagtail admin: a read-only search screen for inspectors
and city staff (actor, action, object, date range, jurisdiction), exported as
CSV or XLSX. An export is itself written to the audit trail. Entries hold no
personal data (callers' contract), so the export holds none either.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import DateColumn
from wagtail.log_actions import LogFormatter

from matching.core.admin import (
    EXPORT_AUDITORS,
    ReadOnlyViewSet,
    ScopedIndexView,
    scoped_inspect,
)
from matching.directory.models import Jurisdiction

from . import selectors
from .models import AuditEntry
from .services import WAGTAIL_ACTION, audit_record_for

_FILTER_PARAMS = ("actor", "action", "object_type", "object_id", "at_from", "at_to", "jurisdiction")


class AuditEntryFilterSet(WagtailFilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_label", lookup_expr="iexact", label=_("操作人账号")
    )
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices, label=_("操作"))
    object_type = django_filters.CharFilter(lookup_expr="iexact", label=_("对象类型"))
    object_id = django_filters.CharFilter(label=_("对象编号"))
    at = django_filters.DateFromToRangeFilter(label=_("时间"), widget=DateRangePickerWidget)
    jurisdiction = django_filters.ModelChoiceFilter(
        queryset=Jurisdiction.objects.order_by("path"),
        method="in_jurisdiction",
        label=_("辖区"),
    )

    class Meta:
        model = AuditEntry
        fields = []

    def in_jurisdiction(self, queryset, name, value):
        return selectors.within(queryset, value.path)


class AuditEntryIndexView(ScopedIndexView):
    scope = selectors.audit_entry_list_for
    audit_exports = False  # recorded below, with the trail's own filters

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            self._record_export(context["object_list"])
        return super().render_to_response(context, **response_kwargs)

    def _record_export(self, rows):
        filters = {key: value for key in _FILTER_PARAMS if (value := self.request.GET.get(key, ""))}
        audit_record_for(
            actor=self.request.user,
            action=AuditEntry.Action.EXPORT,
            object_type="audit.auditentry",
            object_id="*",
            summary=f"audit trail exported as {self.request.GET.get('export')}",
            after={"format": self.request.GET.get("export"), "rows": len(rows), **filters},
        )


def _record_list_export(*, actor, list_name, export_format, rows, filters):
    """Every export of a scoped staff list is an audit entry (who, which list, how many rows)."""
    audit_record_for(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type=list_name,
        object_id="*",
        summary=f"{list_name} exported as {export_format}",
        after={"format": export_format, "rows": rows, "filters": filters},
    )


if _record_list_export not in EXPORT_AUDITORS:
    EXPORT_AUDITORS.append(_record_list_export)


class AuditEntryViewSet(ReadOnlyViewSet):
    model = AuditEntry
    name = "audit_entries"
    menu_label = _("审计记录")
    icon = "history"
    menu_order = 900
    add_to_admin_menu = True
    inspect_view_enabled = True
    index_view_class = AuditEntryIndexView
    inspect_view_class = scoped_inspect(selectors.audit_entry_list_for)
    filterset_class = AuditEntryFilterSet
    list_display = [
        DateColumn("at", label=_("时间")),
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "jurisdiction_path",
        "summary",
    ]
    list_export = [
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "jurisdiction_path",
        "summary",
        "before",
        "after",
    ]
    export_filename = "audit-trail"
    search_fields = ["actor_label", "object_id", "summary"]


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEntryViewSet()


@hooks.register("register_log_actions")
def register_audit_log_action(actions):
    @actions.register_action(WAGTAIL_ACTION)
    class AuditEntryFormatter(LogFormatter):
        label = _("平台审计记录")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return f"{_('平台审计记录')}：{data.get('action', '')} {data.get('summary', '')}"
