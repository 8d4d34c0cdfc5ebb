"""Donations and Stripe events in the Wagtail admin, and the offline gift entry.

Donations and events are read-only here: they change through Stripe's
webhook and the services, never a generic form. Staff record bank transfers
and cash through their own form (``OfflineGiftView``), which calls
``giving.offline_donation_record``. Donors' e-mail addresses are shown to
city staff only (``permissions.can_see_donor_contact``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup

from matching.core.admin import ReadOnlyViewSet, form_flow
from matching.ledger.money import format_yuan

from .forms import OfflineDonationForm
from .giving import offline_donation_record
from .models import Donation, RecurringGift, StripeEvent
from .permissions import can_see_donor_contact
from .pledge_admin import (
    PledgeConfirmView,
    PledgeViewSet,
    StatementUploadView,
    StatementView,
    can_confirm_pledges,
)
from .services import donation_personal_read
from .targets import GivingRefused, giving_target_get

CONTACT_FIELDS = {"donor_email"}
OFFLINE_PERMISSION = "payments.add_donation"


class DonationIndexView(generic.IndexView):
    """Donors' names (and, for city staff, e-mails): each page or export shown is audited."""

    @cached_property
    def columns(self):
        columns = super().columns
        if can_see_donor_contact(self.request.user):
            return columns
        return [column for column in columns if column.name not in CONTACT_FIELDS]

    def render_to_response(self, context, **response_kwargs):
        donation_personal_read(
            actor=self.request.user,
            donations=context["object_list"],
            contact_shown=can_see_donor_contact(self.request.user),
            view=f"donations {self.request.GET.get('export') or 'list'}",
        )
        return super().render_to_response(context, **response_kwargs)


class DonationInspectView(generic.InspectView):
    def get_fields(self):
        fields = super().get_fields()
        if can_see_donor_contact(self.request.user):
            return fields
        return [name for name in fields if name not in CONTACT_FIELDS]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        donation_personal_read(
            actor=self.request.user,
            donations=[self.object],
            contact_shown=can_see_donor_contact(self.request.user),
            view="donation inspect",
        )
        return context


def _amount(donation):
    return format_yuan(donation.amount_minor)


class DonationViewSet(ReadOnlyViewSet):
    model = Donation
    name = "payments_donations"
    menu_label = _("捐赠记录")
    icon = "tick-inverse"
    inspect_view_enabled = True
    # No "usage" view here, so no reference index either: indexing would add
    # a savepoint and three queries to every save (each Stripe webhook).
    add_to_reference_index = False
    index_view_class = DonationIndexView
    inspect_view_class = DonationInspectView
    list_display = [
        "tracking_code",
        Column("amount", label=_("金额"), accessor=_amount),
        Column("channel", label=_("渠道"), accessor="get_channel_display"),
        Column("status", label=_("状态"), accessor="get_status_display"),
        "target_code",
        Column("donor", label=_("捐赠人"), accessor="display_donor"),
        Column("donor_email", label=_("电子邮箱"), accessor="donor_email"),
        DateColumn("created_at", label=_("时间")),
    ]
    list_filter = {"status": ["exact"], "channel": ["exact"], "target_code": ["exact"]}
    search_fields = ["tracking_code", "target_code", "offline_reference"]
    inspect_view_fields = [
        "tracking_code",
        "amount_minor",
        "currency",
        "channel",
        "status",
        "target_code",
        "anonymous",
        "donor_name",
        "donor_email",
        "offline_reference",
        "recorded_by",
        "stripe_payment_intent_id",
        "stripe_checkout_session_id",
        "created_at",
    ]


class StripeEventViewSet(ReadOnlyViewSet):
    model = StripeEvent
    name = "payments_stripe_events"
    menu_label = _("Stripe 事件")
    icon = "code"
    inspect_view_enabled = True
    add_to_reference_index = False
    list_display = ["event_id", "type", "outcome", "source", "donation", "received_at"]
    list_filter = ["type", "outcome", "source"]
    inspect_view_fields = [
        "event_id",
        "type",
        "outcome",
        "source",
        "donation",
        "stripe_created",
        "received_at",
        "applied_at",
        "attempts",
        "last_error",
        "due_at",
    ]


def _monthly_amount(gift):
    return format_yuan(gift.amount_minor)


def _failed_payments(gift):
    return gift.instalments.filter(donation__status=Donation.Status.FAILED).count()


class RecurringGiftViewSet(ReadOnlyViewSet):
    """Monthly gifts: status, next date and failed payments; no donor details."""

    model = RecurringGift
    name = "payments_recurring_gifts"
    menu_label = _("月捐")
    icon = "repeat"
    inspect_view_enabled = True
    add_to_reference_index = False
    list_display = [
        "target_code",
        Column("amount", label=_("每月金额"), accessor=_monthly_amount),
        Column("status", label=_("状态"), accessor="get_status_display"),
        Column("failed", label=_("扣款失败次数"), accessor=_failed_payments),
        DateColumn("last_failure_at", label=_("最近扣款失败")),
        DateColumn("current_period_end", label=_("下次扣款日期")),
        DateColumn("created_at", label=_("开通时间")),
    ]
    list_filter = {"status": ["exact"], "target_code": ["exact"]}
    inspect_view_fields = [
        "target_code",
        "amount_minor",
        "status",
        "current_period_end",
        "last_failure_at",
        "cancelled_at",
        "stripe_subscription_id",
        "created_at",
    ]


class PaymentsGroup(ModelViewSetGroup):
    menu_label = _("捐赠与资金")
    menu_icon = "tick-inverse"
    menu_order = 260
    items = (DonationViewSet, PledgeViewSet, RecurringGiftViewSet, StripeEventViewSet)


@hooks.register("register_admin_viewset")
def register_payments_viewsets():
    return PaymentsGroup()


# --- offline gifts ---------------------------------------------------------------------------


def _recorded_text(recorded):
    donation, created = recorded
    text = _("已登记，追踪码 %(code)s。") if created else _("该笔已登记过，追踪码 %(code)s。")
    return text % {"code": donation.tracking_code}


class OfflineGiftView(View):
    """Record a bank transfer or cash gift that has arrived."""

    template_name = "payments/admin/offline_gift.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(OFFLINE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._flow(request, OfflineDonationForm())

    def post(self, request):
        return self._flow(request, OfflineDonationForm(request.POST))

    def _flow(self, request, form):
        return form_flow(
            request,
            form,
            perform=lambda data: self._record(request, form),
            success_message=_recorded_text,
            success_url=lambda recorded: reverse(
                "payments_donations:inspect", args=[recorded[0].pk]
            ),
            render=lambda form, status: self._render(request, form, status=status),
            errors=(GivingRefused, ValidationError),
        )

    def _record(self, request, form):
        data = form.cleaned_data
        target = giving_target_get(kind=data["target_kind"], ref=data["target_ref"].strip())
        return offline_donation_record(
            target=target,
            channel=data["channel"],
            reference=data["reference"],
            amount_minor=data["amount"],
            donor=form.donor(),
            recorded_by=request.user,
        )

    def _render(self, request, form, status=200):
        context = {"form": form, "page_title": _("登记线下捐赠")}
        return TemplateResponse(request, self.template_name, context, status=status)


@hooks.register("register_admin_urls")
def register_offline_gift_url():
    return [path("payments/offline/", OfflineGiftView.as_view(), name="payments_offline_gift")]


class OfflineGiftMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(OFFLINE_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_offline_gift_menu_item():
    return OfflineGiftMenuItem(
        _("登记线下捐赠"), reverse("payments_offline_gift"), icon_name="plus", order=261
    )


# --- offline pledges (pledge_admin) ----------------------------------------------------------


@hooks.register("register_admin_urls")
def register_pledge_urls():
    return [
        path(
            "payments/pledges/<int:pk>/confirm/",
            PledgeConfirmView.as_view(),
            name="payments_pledge_confirm",
        ),
        path(
            "payments/statements/upload/",
            StatementUploadView.as_view(),
            name="payments_statement_upload",
        ),
        path("payments/statements/<int:pk>/", StatementView.as_view(), name="payments_statement"),
    ]


class StatementMenuItem(MenuItem):
    def is_shown(self, request):
        return can_confirm_pledges(request.user)


@hooks.register("register_admin_menu_item")
def register_statement_menu_item():
    return StatementMenuItem(
        _("导入银行流水"), reverse("payments_statement_upload"), icon_name="upload", order=262
    )
