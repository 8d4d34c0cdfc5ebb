"""The staff screens: declared viewsets with filters, scoped to where the user sits.

Lists never show personal data; the case file (``admin_views.case_handle``)
does, for authorized readers, and audits each read.
"""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from matching.core.admin import ReadOnlyViewSet, scoped_index
from matching.core.scope import subtree
from matching.directory.selectors import staff_profile

from . import admin_views, intake_desk, selectors, services
from .models import (
    AssistanceRecord,
    Case,
    DeadlineRule,
    DiscoveryReport,
    EconomicRecord,
    FreshnessRule,
    HolidayOverride,
    LocalStandard,
    Referral,
    RefreshRequest,
    Verification,
)


class VerificationInspectView(generic.InspectView):
    """Household income and assets: found in the reader's scope, the read audited."""

    def get_object(self, queryset=None):
        verification = selectors.verification_get(user=self.request.user, pk=unquote(str(self.pk)))
        if verification is None:
            raise Http404
        return verification


def _case_link(accessor="receipt_number", via=lambda obj: obj):
    return TitleColumn(
        "receipt_number",
        label=_("受理编号"),
        accessor=accessor,
        get_url=lambda obj: reverse("cases_admin_handle", args=[via(obj).pk]),
    )


CASE_COLUMNS = [
    _case_link(),
    "title",
    Column("urgency", label=_("紧急程度"), accessor="get_urgency_display"),
    Column("status", label=_("状态"), accessor="get_status_display"),
    Column("jurisdiction", label=_("受理辖区")),
    DateColumn("opened_at", label=_("受理时间")),
    DateColumn("first_response_due", label=_("首次响应时限")),
]


class CaseViewSet(ReadOnlyViewSet):
    model = Case
    name = "cases_my"
    menu_label = _("我的案件")
    icon = "folder-open-inverse"
    list_display = CASE_COLUMNS
    list_filter = ["status", "urgency", "channel"]
    list_export = ["receipt_number", "title", "status", "urgency", "opened_at"]
    index_view_class = scoped_index(selectors.case_list)


class EmergencyViewSet(CaseViewSet):
    name = "cases_emergencies"
    menu_label = _("今日紧急案件")
    icon = "warning"
    list_filter = ["status"]
    index_view_class = scoped_index(selectors.emergencies_today)


REFERRAL_COLUMNS = [
    _case_link(accessor="case.receipt_number", via=lambda referral: referral.case),
    Column("department", label=_("承办部门")),
    Column("category", label=_("救助类别"), accessor="get_category_display"),
    DateColumn("due_at", label=_("办理时限")),
    Column("escalated_to", label=_("督办层级")),
]


class OverdueReferralViewSet(ReadOnlyViewSet):
    model = Referral
    name = "cases_overdue_referrals"
    menu_label = _("逾期转办")
    icon = "time"
    list_display = REFERRAL_COLUMNS
    list_filter = ["category", "department"]
    list_export = ["case", "department", "category", "due_at", "escalated_at"]
    index_view_class = scoped_index(
        lambda user: selectors.referral_list(user=user, overdue_only=True)
    )


class MyReferralViewSet(ReadOnlyViewSet):
    """The liaison's queue: their department's open referrals, answered in their own view."""

    model = Referral
    name = "cases_my_referrals"
    menu_label = _("待答复转办")
    icon = "mail"
    list_display = [
        TitleColumn(
            "case",
            label=_("受理编号"),
            accessor="case.receipt_number",
            get_url=lambda obj: reverse("cases_admin_referral_answer", args=[obj.pk]),
        ),
        *REFERRAL_COLUMNS[1:4],
    ]
    list_filter = ["category"]
    index_view_class = scoped_index(lambda user: selectors.referral_list(user=user, open_only=True))


class DiscoveryViewSet(ReadOnlyViewSet):
    model = DiscoveryReport
    name = "cases_discovery"
    menu_label = _("主动发现待研判")
    icon = "search"
    list_display = [
        TitleColumn(
            "id",
            label=_("报告"),
            accessor="__str__",
            get_url=lambda obj: reverse("cases_admin_triage", args=[obj.pk]),
        ),
        Column("urgency", label=_("紧急程度"), accessor="get_urgency_display"),
        Column("jurisdiction", label=_("辖区")),
        DateColumn("received_at", label=_("报告时间")),
        DateColumn("triage_due", label=_("研判时限")),
        Column("triage_clock", label=_("研判计时"), accessor="triage_clock"),
    ]
    list_filter = ["urgency"]
    index_view_class = scoped_index(
        lambda user: selectors.discovery_report_list(user=user, pending_only=True)
    )


class VerificationViewSet(ReadOnlyViewSet):
    model = Verification
    name = "cases_verifications"
    menu_label = _("核对结果")
    icon = "tasks"
    list_display = [
        _case_link(accessor="case.receipt_number", via=lambda v: v.case),
        "household_size",
        "income_per_person",
        "monthly_top_up",
        "eligible",
        DateColumn("verified_at", label=_("核对时间")),
    ]
    list_filter = ["eligible"]
    list_export = [
        "case",
        "household_size",
        "monthly_income",
        "income_per_person",
        "monthly_top_up",
        "eligible",
        "verified_at",
    ]
    inspect_view_enabled = True
    inspect_view_fields = [
        "case",
        "standard",
        "household_size",
        "monthly_income",
        "income_per_person",
        "assets",
        "monthly_top_up",
        "eligible",
        "arithmetic",
        "verified_at",
        "verified_by",
    ]
    index_view_class = scoped_index(selectors.verification_list)
    # Household income and assets: staff of the case's jurisdiction only.
    inspect_view_class = VerificationInspectView


class AssistanceRecordViewSet(ReadOnlyViewSet):
    model = AssistanceRecord
    name = "cases_assistance"
    menu_label = _("已获救助记录")
    icon = "list-ul"
    list_display = ["__str__", "category", "provider_label", "amount", "start", "end", "source"]
    list_filter = ["category", "provider_department", "source"]


class DeadlineRuleViewSet(ModelViewSet):
    model = DeadlineRule
    name = "cases_deadline_rules"
    menu_label = _("办理时限规则")
    icon = "date"
    form_fields = ["purpose", "category", "urgency", "amount", "unit"]
    list_display = ["__str__", "purpose", "category", "urgency", "amount", "unit"]
    list_filter = ["purpose", "urgency"]


class _RecomputeOnSave:
    """Entering or changing a day of the schedule recomputes the open deadlines of its year."""

    def save_instance(self):
        before = getattr(self, "_year_before", None)
        instance = super().save_instance()
        years = {instance.date.year} | ({before} if before else set())
        services.referral_deadlines_recompute(years=years, actor=self.request.user)
        return instance


class HolidayCreateView(_RecomputeOnSave, generic.CreateView):
    pass


class HolidayCopyView(_RecomputeOnSave, generic.CopyView):
    pass


class HolidayEditView(_RecomputeOnSave, generic.EditView):
    def get_object(self, queryset=None):
        instance = super().get_object(queryset)
        self._year_before = instance.date.year
        return instance


class HolidayDeleteView(generic.DeleteView):
    def delete_action(self):
        year = self.object.date.year
        super().delete_action()
        services.referral_deadlines_recompute(years=[year], actor=self.request.user)


class HolidayOverrideViewSet(ModelViewSet):
    model = HolidayOverride
    add_view_class = HolidayCreateView
    copy_view_class = HolidayCopyView
    edit_view_class = HolidayEditView
    delete_view_class = HolidayDeleteView
    name = "cases_holidays"
    menu_label = _("节假日安排")
    icon = "date"
    form_fields = ["date", "kind", "note"]
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]


def _standards_in_reach(user):
    """District staff set their own district's standards; city staff any."""
    profile = staff_profile(user)
    if profile is None:
        return LocalStandard.objects.none()
    return LocalStandard.objects.filter(subtree(profile.jurisdiction.path))


class _StandardFormMixin:
    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        profile = staff_profile(self.request.user)
        field = form.fields.get("jurisdiction")
        if field is not None and profile is not None:
            field.queryset = field.queryset.filter(subtree(profile.jurisdiction.path, field="path"))
        return form


class StandardCreateView(_StandardFormMixin, generic.CreateView):
    pass


class StandardCopyView(_StandardFormMixin, generic.CopyView):
    pass


class StandardEditView(_StandardFormMixin, generic.EditView):
    def get_queryset(self):
        return _standards_in_reach(self.request.user)


class LocalStandardViewSet(ModelViewSet):
    model = LocalStandard
    add_view_class = StandardCreateView
    copy_view_class = StandardCopyView
    edit_view_class = StandardEditView
    name = "cases_standards"
    menu_label = _("地方救助标准")
    icon = "cog"
    form_fields = ["jurisdiction", "year", "monthly_line_per_person", "asset_limit_per_person"]
    list_display = ["jurisdiction", "year", "monthly_line_per_person", "asset_limit_per_person"]
    list_filter = ["year"]


class StaleEconomicViewSet(ReadOnlyViewSet):
    """A department's household data past its age, oldest first; identities masked."""

    model = EconomicRecord
    name = "cases_stale_economic"
    menu_label = _("过期的家庭经济数据")
    icon = "history"
    list_display = [
        Column("household", label=_("家庭"), accessor="household"),
        Column("id_number", label=_("身份证号码"), accessor=selectors.household_head_masked_of),
        Column("department", label=_("提供部门")),
        Column("kind", label=_("类别"), accessor="get_kind_display"),
        "label",
        DateColumn("as_of", label=_("数据日期")),
        DateColumn("received_at", label=_("报送时间")),
    ]
    list_filter = ["kind"]
    index_view_class = scoped_index(selectors.stale_economic_record_list)


class RefreshRequestViewSet(ReadOnlyViewSet):
    model = RefreshRequest
    name = "cases_refresh_requests"
    menu_label = _("数据更新请求")
    icon = "mail"
    list_display = [
        Column("household", label=_("家庭"), accessor="household"),
        Column("id_number", label=_("身份证号码"), accessor=selectors.household_head_masked_of),
        Column("department", label=_("提供部门")),
        Column("status", label=_("状态"), accessor="get_status_display"),
        DateColumn("requested_at", label=_("请求时间")),
        DateColumn("answered_at", label=_("更新时间")),
    ]
    list_filter = ["status"]
    index_view_class = scoped_index(selectors.refresh_request_list)


class FreshnessRuleViewSet(ModelViewSet):
    model = FreshnessRule
    name = "cases_freshness_rules"
    menu_label = _("经济数据时效规则")
    icon = "history"
    form_fields = ["department_kind", "kind", "max_age_days"]
    list_display = ["__str__", "department_kind", "kind", "max_age_days"]
    list_filter = ["department_kind", "kind"]


class CasesGroup(ModelViewSetGroup):
    menu_label = _("救助案件")
    menu_icon = "folder-open-inverse"
    menu_order = 150
    items = (
        CaseViewSet,
        EmergencyViewSet,
        MyReferralViewSet,
        OverdueReferralViewSet,
        DiscoveryViewSet,
        VerificationViewSet,
        AssistanceRecordViewSet,
        DeadlineRuleViewSet,
        HolidayOverrideViewSet,
        LocalStandardViewSet,
        StaleEconomicViewSet,
        RefreshRequestViewSet,
        FreshnessRuleViewSet,
    )


@hooks.register("register_admin_viewset")
def register_cases_viewsets():
    return CasesGroup()


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return staff_profile(request.user) is not None


@hooks.register("register_admin_menu_item")
def register_window_intake_menu_item():
    return StaffMenuItem(
        _("窗口受理"), reverse("cases_admin_window_intake"), icon_name="plus", order=140
    )


@hooks.register("register_admin_menu_item")
def register_refresh_schedule_menu_item():
    return StaffMenuItem(
        _("经济数据更新计划"),
        reverse("cases_admin_refresh_schedule"),
        icon_name="history",
        order=160,
    )


@hooks.register("register_admin_urls")
def register_cases_admin_urls():
    return [
        path(
            "cases/economic/schedule/",
            admin_views.refresh_schedule,
            name="cases_admin_refresh_schedule",
        ),
        path(
            "cases/case/<int:pk>/refresh-request/",
            admin_views.refresh_request,
            name="cases_admin_refresh_request",
        ),
        path("cases/window/", intake_desk.window_intake, name="cases_admin_window_intake"),
        path("cases/window/id-check/", intake_desk.id_number_check, name="cases_admin_id_check"),
        path(
            "cases/case/<int:pk>/receipt.pdf",
            intake_desk.receipt_pdf,
            name="cases_admin_receipt_pdf",
        ),
        path("cases/case/<int:pk>/", admin_views.case_handle, name="cases_admin_handle"),
        path(
            "cases/case/<int:pk>/transition/",
            admin_views.case_transition,
            name="cases_admin_transition",
        ),
        path("cases/case/<int:pk>/refer/", admin_views.case_refer, name="cases_admin_refer"),
        path("cases/case/<int:pk>/member/", admin_views.member_add, name="cases_admin_member"),
        path(
            "cases/case/<int:pk>/member/<int:member_pk>/reveal/",
            admin_views.member_reveal,
            name="cases_admin_member_reveal",
        ),
        path("cases/case/<int:pk>/verify/", admin_views.case_verify, name="cases_admin_verify"),
        path(
            "cases/flag/<int:pk>/adjudicate/",
            admin_views.flag_adjudicate,
            name="cases_admin_adjudicate",
        ),
        path(
            "cases/referral/<int:pk>/answer/",
            admin_views.referral_answer,
            name="cases_admin_referral_answer",
        ),
        path(
            "cases/discovery/<int:pk>/triage/",
            admin_views.discovery_triage,
            name="cases_admin_triage",
        ),
    ]
