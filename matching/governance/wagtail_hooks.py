"""Complaints and dishonesty records in the Wagtail admin, and the hook that keeps
an organization under an active dishonesty record from creating projects."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import DateColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets import Button

from matching.core.admin import ScopedInspectView, UndeletableViewSet, scoped_index
from matching.directory.models import DishonestyRecord, Organization
from matching.directory.selectors import organization_may_publish, profile_get

from . import services
from .admin_forms import ComplaintHandleForm, DishonestyAppealForm, DishonestyDecisionForm
from .models import Complaint
from .relatives_admin import NearRelativeViewSet
from .selectors import complaint_list_for


class ComplaintInspectView(ScopedInspectView):
    """Shows the reporter's contact details, when given; every such read is audited."""

    scope = complaint_list_for

    def get_object(self, queryset=None):
        complaint = super().get_object(queryset)
        services.complaint_contact_read(complaint=complaint, actor=self.request.user)
        return complaint


class ComplaintEditView(generic.EditView):
    def get_queryset(self):
        return complaint_list_for(user=self.request.user)

    def form_valid(self, form):
        # Checked before the view's transaction, so that a recusal is kept.
        refusal = services.complaint_refusal(complaint=self.object, actor=self.request.user)
        if refusal:
            form.add_error(None, refusal)
            self.produced_error_message = refusal
            return self.form_invalid(form)
        return super().form_valid(form)

    def save_instance(self):
        data = self.form.cleaned_data
        complaint = self.form.instance
        if data.get("outcome"):
            return services.complaint_conclude(
                complaint=complaint,
                actor=self.request.user,
                outcome=data["outcome"],
                reply=data["reply"],
            )
        if services.COMPLAINT_TRANSITIONS.allowed(complaint.status, Complaint.Status.IN_PROGRESS):
            return services.complaint_start(complaint=complaint, actor=self.request.user)
        return Complaint.objects.get(pk=complaint.pk)


class ComplaintHistoryView(generic.HistoryView):
    def get_base_object_queryset(self):
        return complaint_list_for(user=self.request.user)


class ComplaintUsageView(generic.UsageView):
    def get_base_object_queryset(self):
        return complaint_list_for(user=self.request.user)


class ComplaintViewSet(UndeletableViewSet):  # complaints are part of the record
    model = Complaint
    name = "complaints"
    menu_label = gettext_lazy("投诉举报")
    icon = "warning"
    menu_order = 800
    add_to_admin_menu = True
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = scoped_index(complaint_list_for)
    edit_view_class = ComplaintEditView
    inspect_view_class = ComplaintInspectView
    # History and usage name the complaint too: the same scope as the list.
    history_view_class = ComplaintHistoryView
    usage_view_class = ComplaintUsageView
    list_display = [
        "receipt_number",
        "subject_kind",
        "district",
        "routed_to",
        "status",
        DateColumn("due_at", label=gettext_lazy("办理时限")),
        "escalated_to",
        "outcome",
    ]
    list_filter = ["status", "subject_kind", "outcome", "district", "routed_to"]
    list_export = [
        "receipt_number",
        "subject_kind",
        "district",
        "routed_to",
        "status",
        "filed_at",
        "due_at",
        "escalated_at",
        "outcome",
        "concluded_at",
    ]
    search_fields = ["receipt_number", "subject_name"]
    inspect_view_fields = [
        "receipt_number",
        "subject_kind",
        "subject_name",
        "place",
        "district",
        "content",
        "contact_name",
        "contact_phone",
        "routed_to",
        "filed_at",
        "due_at",
        "status",
        "escalated_at",
        "escalated_to",
        "outcome",
        "reply",
        "concluded_at",
    ]

    def get_form_class(self, for_update=False):
        return ComplaintHandleForm


class DishonestyCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.dishonesty_record_decide(
            actor=self.request.user,
            organization=data.get("organization"),
            applicant_id_number=data.get("applicant_id_number", ""),
            reason=data["reason"],
            evidence=data["evidence"],
            decision=data["decision"],
            starts=data["starts"],
            ends=data["ends"],
        )


class DishonestyEditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        record = DishonestyRecord.objects.get(pk=self.form.instance.pk)
        if data["appeal_status"] == DishonestyRecord.Appeal.FILED:
            return services.dishonesty_record_appeal(
                record=record, reason=data["appeal_reason"], actor=self.request.user
            )
        return services.dishonesty_record_decide_appeal(
            record=record,
            actor=self.request.user,
            overturn=data["appeal_status"] == DishonestyRecord.Appeal.OVERTURNED,
            note=data["appeal_decision"],
        )


class DishonestyRecordViewSet(UndeletableViewSet):
    model = DishonestyRecord
    name = "dishonesty_records"
    menu_label = gettext_lazy("失信记录")
    icon = "warning"
    menu_order = 810
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    add_view_class = DishonestyCreateView
    edit_view_class = DishonestyEditView
    list_display = ["__str__", "subject_kind", "starts", "ends", "appeal_status", "revoked"]
    list_filter = ["subject_kind", "appeal_status", "revoked", "organization"]
    list_export = [
        "subject_kind",
        "organization",
        "starts",
        "ends",
        "appeal_status",
        "revoked",
        "decided_on",
    ]
    inspect_view_fields = [
        "subject_kind",
        "organization",
        "reason",
        "evidence",
        "decision",
        "decided_on",
        "starts",
        "ends",
        "revoked",
        "appeal_status",
        "appeal_reason",
        "appeal_filed_on",
        "appeal_decision",
        "appeal_decided_on",
    ]

    def get_form_class(self, for_update=False):
        return DishonestyAppealForm if for_update else DishonestyDecisionForm


@hooks.register("register_admin_viewset")
def register_complaint_viewset():
    return ComplaintViewSet()


@hooks.register("register_admin_viewset")
def register_dishonesty_viewset():
    return DishonestyRecordViewSet()


@hooks.register("before_create_snippet")
def refuse_projects_of_dishonest_organizations(request, model):
    """No new project for an organization under an active dishonesty record
    (the project admin itself belongs to ``matching.offers``)."""
    if model._meta.label != "offers.Project":
        return None
    organization = _organization_filing(request)
    if organization is None or organization_may_publish(organization):
        return None
    messages.error(request, _("该组织处于失信惩戒期内，暂不能发布新的帮扶项目。"))
    return redirect("wagtailsnippets_offers_project:list")


def _organization_filing(request):
    """The organization a project is being created for: the posted one, else the user's own."""
    posted = request.POST.get("organization") if request.method == "POST" else None
    if posted:
        return Organization.objects.filter(pk=posted).first()
    profile = profile_get(user=request.user)
    return profile.organization if profile else None


@hooks.register("register_admin_viewset")
def register_near_relative_viewset():
    return NearRelativeViewSet()


# --- staff two-factor: where staff find their devices and admins the recovery --


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor_devices"),
        "label": _("两步验证设备"),
        "help_text": _("管理身份验证器，生成新的备用验证码。"),
    }


@hooks.register("register_user_listing_buttons")
def two_factor_reset_button(user, request_user):
    if not services.two_factor_may_reset(actor=request_user, user=user):
        return []
    return [
        Button(
            label=_("重置两步验证"),
            url=reverse("two_factor_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )
    ]
