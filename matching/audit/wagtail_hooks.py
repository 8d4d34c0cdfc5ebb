"""The audit log in the Wagtail admin: a read-only, filterable, exportable list."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from .models import AuditEntry


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    name = "audit_entries"
    menu_label = _("审计记录")
    icon = "history"
    menu_order = 900
    add_to_admin_menu = True
    form_fields = []
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        DateColumn("at", label=_("时间")),
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "summary",
    ]
    list_filter = ["action", "object_type"]
    list_export = ["at", "actor_label", "action", "object_type", "object_id", "summary"]
    search_fields = ["actor_label", "object_id", "summary"]

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for name in ("add", "edit", "delete", "history", "usage"):
            view_kwargs[f"{name}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        kept = {"index", "index_results", "inspect"}
        return [url for url in super().get_urlpatterns() if url.name in kept]


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEntryViewSet()
