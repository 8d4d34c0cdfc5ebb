"""Disbursements, in-kind gifts, volunteer hours and (read-only) the ledger in
the Wagtail admin, grouped under one menu.

Listings are generic index views over selectors scoped to the user's
jurisdiction (or, for a charity admin, their organization's volunteers);
every action is a small screen in ``admin_views`` that calls one service.
Menu entries follow Django model permissions given to role groups by
``permissions.funding_permissions_sync``.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSetGroup

from matching.cases.admin_views import CASE_SECTIONS
from matching.core.admin import ReadOnlyViewSet, scoped_index
from matching.ledger.models import Account, Transaction
from matching.ledger.money import format_yuan
from matching.ledger.selectors import account_balance
from matching.offers.fund_admin import FUND_LINKS

from . import admin_views, selectors
from .models import Disbursement, InKindGift, VolunteerHours


class ListOnlyViewSet(ReadOnlyViewSet):
    """Index (and optionally inspect) only; actions live in admin_views."""

    add_to_reference_index = False


def _yuan(field):
    return lambda obj: format_yuan(getattr(obj, field))


class DisbursementViewSet(ListOnlyViewSet):
    model = Disbursement
    name = "funding_disbursements"
    menu_label = _("拨付")
    icon = "tick-inverse"
    add_url_name = "funding_disbursement_new"
    index_view_class = scoped_index(selectors.disbursement_list)
    list_filter = ["status", "payee_kind"]
    list_display = [
        TitleColumn(
            "id",
            label=_("编号"),
            get_url=lambda d: reverse("funding_disbursement", args=[d.pk]),
        ),
        Column("case", label=_("求助"), accessor="match.need.receipt_number"),
        Column("account", label=_("支出账户"), accessor="account.code"),
        Column("amount", label=_("金额"), accessor=_yuan("amount_minor")),
        Column("payee_kind", label=_("收款方类型"), accessor="get_payee_kind_display"),
        Column("status", label=_("状态"), accessor="get_status_display"),
        DateColumn("requested_at", label=_("申请时间")),
    ]


class InKindGiftViewSet(ListOnlyViewSet):
    model = InKindGift
    name = "funding_in_kind"
    menu_label = _("物资捐赠")
    icon = "form"
    add_url_name = "funding_in_kind_new"
    index_view_class = scoped_index(selectors.in_kind_gift_list)
    list_filter = ["status"]
    list_display = [
        TitleColumn(
            "items", label=_("物资"), get_url=lambda g: reverse("funding_in_kind", args=[g.pk])
        ),
        Column("quantity", label=_("数量")),
        Column("unit", label=_("单位")),
        Column("value", label=_("估值"), accessor=_yuan("estimated_value_minor")),
        Column("status", label=_("状态"), accessor="get_status_display"),
        DateColumn("received_at", label=_("接收时间")),
    ]


class VolunteerHoursViewSet(ListOnlyViewSet):
    model = VolunteerHours
    name = "funding_volunteer_hours"
    menu_label = _("志愿服务时长")
    icon = "user"
    add_url_name = "funding_hours_new"
    index_view_class = scoped_index(selectors.volunteer_hours_list)
    list_filter = ["status"]
    list_display = [
        TitleColumn(
            "volunteer",
            label=_("志愿者"),
            accessor="volunteer.name",
            get_url=lambda h: reverse("funding_hours_decide", args=[h.pk]),
        ),
        DateColumn("date", label=_("服务日期")),
        Column("hours", label=_("时长(小时)")),
        Column("status", label=_("状态"), accessor="get_status_display"),
    ]


class AccountViewSet(ListOnlyViewSet):
    model = Account
    name = "funding_ledger_accounts"
    menu_label = _("台账账户")
    icon = "list-ul"
    inspect_view_enabled = True
    list_filter = ["kind", "category"]
    search_fields = ["code", "name"]
    list_display = [
        "code",
        Column("kind", label=_("类型"), accessor="get_kind_display"),
        "category",
        Column(
            "balance", label=_("余额"), accessor=lambda a: format_yuan(account_balance(account=a))
        ),
        Column("cap", label=_("可指定上限(分)"), accessor="earmark_cap_minor"),
    ]
    inspect_view_fields = ["code", "kind", "name", "category", "earmark_cap_minor", "created_at"]


class TransactionViewSet(ListOnlyViewSet):
    model = Transaction
    name = "funding_ledger_transactions"
    menu_label = _("台账交易")
    icon = "list-ol"
    inspect_view_enabled = True
    list_filter = ["kind"]
    search_fields = ["idempotency_key", "memo"]
    list_display = ["idempotency_key", "kind", "memo", DateColumn("created_at", label=_("时间"))]
    inspect_view_fields = ["kind", "idempotency_key", "memo", "created_at", "created_by"]

    def get_queryset(self, request):
        return Transaction.objects.order_by("-created_at", "-id")


class FundingGroup(ModelViewSetGroup):
    menu_label = _("善款拨付")
    menu_icon = "tick-inverse"
    menu_order = 265
    items = (
        DisbursementViewSet,
        InKindGiftViewSet,
        VolunteerHoursViewSet,
        AccountViewSet,
        TransactionViewSet,
    )


@hooks.register("register_admin_viewset")
def register_funding_viewsets():
    return FundingGroup()


@hooks.register("register_admin_urls")
def register_funding_urls():
    return [
        path(
            "funding/disbursements/new/",
            admin_views.disbursement_new,
            name="funding_disbursement_new",
        ),
        path(
            "funding/disbursements/<int:pk>/",
            admin_views.disbursement_detail,
            name="funding_disbursement",
        ),
        path("funding/in-kind/new/", admin_views.in_kind_new, name="funding_in_kind_new"),
        path("funding/in-kind/<int:pk>/", admin_views.in_kind_detail, name="funding_in_kind"),
        path("funding/hours/new/", admin_views.hours_new, name="funding_hours_new"),
        path("funding/hours/<int:pk>/", admin_views.hours_decide, name="funding_hours_decide"),
        path(
            "funding/funds/<int:pk>/appropriate/",
            admin_views.fund_appropriate,
            name="funding_fund_appropriate",
        ),
    ]


def _appropriation_link(request, fund):
    """The fund list's link to the appropriation screen, for those who may use it."""
    if not selectors.appropriable_fund_list(user=request.user).filter(pk=fund.pk).exists():
        return None
    return _("财政拨款"), reverse("funding_fund_appropriate", args=[fund.pk])


if _appropriation_link not in FUND_LINKS:
    FUND_LINKS.append(_appropriation_link)


def _case_money_section(request, case):
    """The case page's "资金" tab: what was disbursed for the case's matches."""
    disbursements = Disbursement.objects.filter(match__need=case).order_by("-requested_at")
    rows = [{"item": d, "amount": format_yuan(d.amount_minor)} for d in disbursements]
    return {
        "id": "money",
        "title": _("资金"),
        "template": "funding/admin/_case_money.html",
        "money_rows": rows,
    }


if _case_money_section not in CASE_SECTIONS:
    CASE_SECTIONS.append(_case_money_section)
