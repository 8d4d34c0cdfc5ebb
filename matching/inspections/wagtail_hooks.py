"""Inspections and their findings in the Wagtail admin: scoped lists (the
team, or the inspected unit), the inspection's page with its circular and a
new finding, and the finding pages where evidence is submitted and reviewed."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.widgets import HeaderButton

from matching.core.admin import ReadOnlyViewSet, ScopedIndexView, ScopedInspectView

from . import admin_views, selectors
from .models import Finding, Inspection


class InspectionInspectView(ScopedInspectView):
    scope = selectors.inspection_list_for

    @cached_property
    def header_buttons(self):
        inspection = self.object
        buttons = [
            HeaderButton(
                _("督查发现问题"),
                url=reverse("inspection_findings:index") + f"?inspection={inspection.pk}",
                icon_name="list-ul",
            ),
            HeaderButton(
                _("下载通报（PDF）"),
                url=reverse("inspections_circular", args=[inspection.pk]),
                icon_name="download",
            ),
        ]
        underway = inspection.status == Inspection.Status.UNDERWAY
        if underway and selectors.is_inspector(user=self.request.user, inspection=inspection):
            buttons.append(
                HeaderButton(
                    _("记录发现问题"),
                    url=reverse("inspections_finding_new", args=[inspection.pk]),
                    icon_name="plus",
                )
            )
            buttons.append(
                HeaderButton(
                    _("结束督查"),
                    url=reverse("inspections_conclude", args=[inspection.pk]),
                    icon_name="check",
                )
            )
        return buttons


class InspectionIndexView(ScopedIndexView):
    scope = selectors.inspection_list_for


class InspectionViewSet(ReadOnlyViewSet):
    model = Inspection
    name = "inspections"
    menu_label = _("专项督查")
    icon = "clipboard-list"
    menu_order = 820
    add_to_admin_menu = True
    inspect_view_enabled = True
    add_url_name = "inspections_new"
    index_view_class = InspectionIndexView
    inspect_view_class = InspectionInspectView
    list_display = ["title", "scope", "starts_on", "ends_on", "status"]
    list_filter = ["status", "scope"]
    inspect_view_fields = ["title", "topic", "scope", "team", "starts_on", "ends_on", "status"]


class FindingIndexView(ScopedIndexView):
    """Each row opens the finding's page (evidence and review)."""

    scope = selectors.finding_list_for

    def get_inspect_url(self, instance):
        return reverse("inspections_finding", args=[instance.pk])


class FindingViewSet(ReadOnlyViewSet):
    model = Finding
    name = "inspection_findings"
    menu_label = _("督查整改")
    icon = "warning"
    menu_order = 821
    add_to_admin_menu = True
    kept_urls = frozenset({"index", "index_results"})
    index_view_class = FindingIndexView
    list_display = [
        "__str__",
        "inspection",
        "severity",
        DateColumn("due_at", label=_("整改时限")),
        "status",
        DateColumn("escalated_at", label=_("督办时间")),
    ]
    list_filter = ["inspection", "status", "severity"]
    list_export = ["inspection", "unit", "department", "severity", "due_at", "status"]


@hooks.register("register_admin_viewset")
def register_inspection_viewset():
    return InspectionViewSet()


@hooks.register("register_admin_viewset")
def register_finding_viewset():
    return FindingViewSet()


@hooks.register("register_admin_urls")
def register_inspections_urls():
    return [
        path("inspections/new/", admin_views.inspection_new, name="inspections_new"),
        path(
            "inspections/<int:pk>/conclude/",
            admin_views.inspection_conclude,
            name="inspections_conclude",
        ),
        path(
            "inspections/<int:pk>/findings/new/",
            admin_views.finding_new,
            name="inspections_finding_new",
        ),
        path(
            "inspections/<int:pk>/circular.pdf",
            admin_views.circular_download,
            name="inspections_circular",
        ),
        path(
            "inspections/findings/<int:pk>/", admin_views.finding_page, name="inspections_finding"
        ),
        path(
            "inspections/findings/<int:pk>/evidence/",
            admin_views.evidence_submit,
            name="inspections_evidence_submit",
        ),
        path(
            "inspections/findings/<int:pk>/review/",
            admin_views.evidence_review,
            name="inspections_evidence_review",
        ),
        path(
            "inspections/evidence/files/<int:pk>/",
            admin_views.evidence_file,
            name="inspections_evidence_file",
        ),
    ]
