"""Staff screens for organizations in the Wagtail admin, under one menu: the
vetting queue, delivery reports to review, and periodic reports (overdue
ones flagged, and counted on the dashboard). Listings are scoped to the
staff member's jurisdiction; each decision is a small screen in
``admin_views`` that calls one service."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSetGroup

from matching.core.admin import ReadOnlyViewSet, scoped_index

from . import admin_views, selectors
from .models import DeliveryReport, PeriodicReport, Vetting


class ListOnlyViewSet(ReadOnlyViewSet):
    add_to_reference_index = False
    kept_urls = frozenset({"index", "index_results"})


class VettingViewSet(ListOnlyViewSet):
    model = Vetting
    name = "organizations_vetting"
    menu_label = _("组织核验")
    icon = "group"
    index_view_class = scoped_index(selectors.vetting_list)
    list_filter = ["status"]
    list_display = [
        TitleColumn(
            "organization",
            label=_("社会组织"),
            get_url=lambda v: reverse("organizations_vetting_decide", args=[v.pk]),
        ),
        Column("kind", label=_("类别"), accessor="organization.get_kind_display"),
        Column("place", label=_("登记辖区"), accessor="organization.jurisdiction.name"),
        Column("status", label=_("状态"), accessor="get_status_display"),
        DateColumn("submitted_at", label=_("提交时间")),
        Column("verified_until", label=_("核验有效期至")),
    ]


class DeliveryReportViewSet(ListOnlyViewSet):
    model = DeliveryReport
    name = "organizations_deliveries"
    menu_label = _("交付报告审核")
    icon = "image"
    index_view_class = scoped_index(selectors.delivery_report_list)
    list_filter = ["status"]
    list_display = [
        TitleColumn(
            "title",
            label=_("标题"),
            get_url=lambda r: reverse("organizations_delivery_review", args=[r.pk]),
        ),
        Column("organization", label=_("社会组织")),
        Column("status", label=_("状态"), accessor="get_status_display"),
        DateColumn("submitted_at", label=_("提交时间")),
    ]


class PeriodicReportViewSet(ListOnlyViewSet):
    model = PeriodicReport
    name = "organizations_reports"
    menu_label = _("定期报告")
    icon = "doc-full"
    index_view_class = scoped_index(selectors.periodic_report_list)
    list_filter = ["status"]
    list_display = [
        Column("organization", label=_("社会组织")),
        Column("period_start", label=_("报告期起")),
        Column("period_end", label=_("报告期止")),
        Column("due_on", label=_("截止日期")),
        Column("status", label=_("状态"), accessor="get_status_display"),
        DateColumn("submitted_at", label=_("提交时间")),
    ]


class OrganizationsGroup(ModelViewSetGroup):
    menu_label = _("社会组织")
    menu_icon = "group"
    menu_order = 230
    items = (VettingViewSet, DeliveryReportViewSet, PeriodicReportViewSet)


@hooks.register("register_admin_viewset")
def register_organizations_viewsets():
    return OrganizationsGroup()


@hooks.register("register_admin_urls")
def register_organizations_urls():
    return [
        path(
            "organizations/vetting/<int:pk>/",
            admin_views.vetting_decide,
            name="organizations_vetting_decide",
        ),
        path(
            "organizations/vetting/<int:pk>/certificate/",
            admin_views.certificate,
            name="organizations_certificate",
        ),
        path(
            "organizations/deliveries/<int:pk>/review/",
            admin_views.delivery_review,
            name="organizations_delivery_review",
        ),
        path(
            "organizations/deliveries/photos/<int:pk>/",
            admin_views.delivery_photo,
            name="organizations_delivery_photo",
        ),
    ]


class OverdueReportsPanel(Component):
    """On the dashboard: how many organizations of the jurisdiction are late
    with their periodic report, and how many wait for vetting."""

    name = "organizations_overdue"
    order = 120
    template_name = "organizations/admin/overdue_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {
            "overdue": selectors.overdue_report_count(user=self.user),
            "waiting": selectors.vetting_list(user=self.user)
            .filter(status=Vetting.Status.SUBMITTED)
            .count(),
        }


@hooks.register("construct_homepage_panels")
def add_overdue_reports_panel(request, panels):
    if request.user.has_perm("organizations.view_periodicreport"):
        panels.append(OverdueReportsPanel(request.user))
