"""Staff screens for disbursements, in-kind gifts and volunteer hours.

Each screen parses a form and calls one service; the services check
jurisdiction, four eyes and every rule. A receipt code is rendered into the
response that issued it (never put in a message cookie or a log).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from matching.core.admin import form_flow, reported_errors

from . import selectors, services
from .admin_forms import (
    AppropriationForm,
    DisbursementForm,
    InKindGiftForm,
    ReasonForm,
    VolunteerHoursForm,
)


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _render(request, template, context, status=200):
    return TemplateResponse(request, f"funding/admin/{template}", context, status=status)


def _form_page(request, title):
    """Render the shared one-form page titled ``title``."""
    return lambda form, status: _render(
        request, "form.html", {"form": form, "page_title": title}, status=status
    )


# --- disbursements ------------------------------------------------------------------------


def disbursement_new(request):
    _require(request, "funding.add_disbursement")
    initial = {"match": request.GET.get("match")} if request.GET.get("match") else None
    form = DisbursementForm(request.POST or None, user=request.user, initial=initial)
    return form_flow(
        request,
        form,
        perform=lambda data: services.disbursement_request(
            match=data["match"],
            account=data["account"],
            amount_minor=data["amount"],
            payee_kind=data["payee_kind"],
            payee_name=data["payee_name"],
            invoice_number=data["invoice_number"],
            evidence=data["evidence"],
            note=data["note"],
            actor=request.user,
        ),
        success_message=_("拨付申请已登记。"),
        success_url=lambda disbursement: reverse("funding_disbursement", args=[disbursement.pk]),
        render=_form_page(request, _("申请拨付")),
    )


DISBURSEMENT_ACTIONS = {
    "approve": "funding.approve_disbursement",
    "post": "funding.post_disbursement",
    "cancel": "funding.add_disbursement",
    "reissue": "funding.add_disbursement",
    "sms": "funding.add_disbursement",
}


# Paying out and cancelling cannot be undone: applied only with "confirm" ticked
# (checked here, not by a script in the page).
IRREVERSIBLE_ACTIONS = {"post", "cancel"}


def disbursement_detail(request, pk):
    _require(request, "funding.view_disbursement")
    disbursement = get_object_or_404(selectors.disbursement_list(user=request.user), pk=pk)
    form = ReasonForm(request.POST or None)
    issued, status = None, 200
    action = request.POST.get("action")
    if request.method == "POST" and action in DISBURSEMENT_ACTIONS and form.is_valid():
        _require(request, DISBURSEMENT_ACTIONS[action])
        with reported_errors(request) as outcome:
            if action in IRREVERSIBLE_ACTIONS and not form.cleaned_data["confirm"]:
                raise ValidationError(_("此决定不可撤销，请勾选确认后再提交。"))
            disbursement, issued = _disbursement_act(request, disbursement, action, form)
        if outcome.ok:
            messages.success(request, _("已记录。"))
        else:
            status = 422
    disbursement.refresh_from_db()
    context = {
        "disbursement": disbursement,
        "form": ReasonForm(),
        "issued": issued,
        "confirmation": getattr(disbursement, "confirmation", None),
        "page_title": str(disbursement),
    }
    return _render(request, "disbursement.html", context, status=status)


def _disbursement_act(request, disbursement, action, form):
    user = request.user
    if action == "approve":
        return services.disbursement_approve(disbursement=disbursement, actor=user), None
    if action == "post":
        return services.disbursement_post(disbursement=disbursement, actor=user)
    if action == "cancel":
        reason = form.cleaned_data["reason"]
        return services.disbursement_cancel(
            disbursement=disbursement, actor=user, reason=reason
        ), None
    confirmation = disbursement.confirmation
    if action == "sms":
        services.confirmation_send_sms(confirmation=confirmation, actor=user)
        return disbursement, None
    return disbursement, services.confirmation_reissue(confirmation=confirmation, actor=user)


# --- in-kind gifts ------------------------------------------------------------------------


def in_kind_new(request):
    _require(request, "funding.add_inkindgift")
    form = InKindGiftForm(request.POST or None, user=request.user)
    return form_flow(
        request,
        form,
        perform=lambda data: services.in_kind_gift_record(
            actor=request.user,
            items=data["items"],
            quantity=data["quantity"],
            unit=data["unit"],
            estimated_value_minor=data["estimated_value"],
            need=data["need"],
            project=data["project"],
            donor_name=data["donor_name"],
            anonymous=data["anonymous"],
        ),
        success_message=lambda gift: _("已登记，追踪码 %(code)s。") % {"code": gift.tracking_code},
        success_url=lambda gift: reverse("funding_in_kind", args=[gift.pk]),
        render=_form_page(request, _("登记物资捐赠")),
    )


def in_kind_detail(request, pk):
    _require(request, "funding.view_inkindgift")
    gift = get_object_or_404(selectors.in_kind_gift_list(user=request.user), pk=pk)
    issued, status = None, 200
    action = request.POST.get("action")
    if request.method == "POST" and action in {"deliver", "reissue"}:
        _require(request, "funding.change_inkindgift")
        with reported_errors(request) as outcome:
            if action == "deliver":
                gift, issued = services.in_kind_gift_deliver(gift=gift, actor=request.user)
            else:
                issued = services.confirmation_reissue(
                    confirmation=gift.confirmation, actor=request.user
                )
        if not outcome.ok:
            status = 422
    gift.refresh_from_db()
    context = {
        "gift": gift,
        "issued": issued,
        "confirmation": getattr(gift, "confirmation", None),
        "page_title": str(gift),
    }
    return _render(request, "in_kind.html", context, status=status)


# --- volunteer hours ----------------------------------------------------------------------


def hours_new(request):
    _require(request, "funding.add_volunteerhours")
    form = VolunteerHoursForm(request.POST or None, user=request.user)
    return form_flow(
        request,
        form,
        perform=lambda data: services.volunteer_hours_log(
            volunteer=form.volunteer(),
            match=data["match"],
            date=data["date"],
            hours=data["hours"],
            note=data["note"],
            actor=request.user,
        ),
        success_message=_("服务时长已登记，等待志愿者所属组织确认。"),
        success_url=reverse("funding_volunteer_hours:index"),
        render=_form_page(request, _("登记志愿服务时长")),
    )


def hours_decide(request, pk):
    _require(request, "funding.view_volunteerhours")
    entry = get_object_or_404(selectors.volunteer_hours_list(user=request.user), pk=pk)
    form = ReasonForm(request.POST or None)
    decision = request.POST.get("decision")
    if request.method == "POST" and form.is_valid():
        _require(request, "funding.confirm_volunteerhours")
        with reported_errors(request) as outcome:
            # No decision is never a rejection; a rejection is final.
            if decision not in ("confirm", "reject"):
                raise ValidationError(_("请选择确认或驳回。"))
            if decision == "reject" and not form.cleaned_data["confirm"]:
                raise ValidationError(_("此决定不可撤销，请勾选确认后再提交。"))
            services.volunteer_hours_decide(
                entry=entry,
                actor=request.user,
                confirm=decision == "confirm",
                reason=form.cleaned_data["reason"],
            )
        if outcome.ok:
            messages.success(request, _("已记录。"))
            return redirect("funding_volunteer_hours:index")
    context = {
        "entry": entry,
        "form": form,
        "page_title": str(entry),
        "can_decide": request.user.has_perm("funding.confirm_volunteerhours"),
    }
    return _render(request, "hours.html", context)


# --- budget appropriations into a government fund -----------------------------------------


def fund_appropriate(request, pk):
    """A government fund's balance and ledger lines, and the form that appropriates
    budget money into it (irreversible: the confirmation is checked by the form)."""
    fund = get_object_or_404(selectors.appropriable_fund_list(user=request.user), pk=pk)
    form = AppropriationForm(request.POST or None)
    return form_flow(
        request,
        form,
        perform=lambda data: services.government_fund_appropriate(
            fund=fund, amount_minor=data["amount"], reference=data["reference"], actor=request.user
        ),
        success_message=_("财政拨款已入账。"),
        success_url=reverse("funding_fund_appropriate", args=[fund.pk]),
        render=lambda form, status: _render(
            request,
            "appropriation.html",
            {
                "form": form,
                "fund": fund,
                "balance_minor": int(fund.balance * 100),
                "page_title": _("财政拨款：%(fund)s") % {"fund": fund.name},
                "rows": selectors.fund_ledger_rows(fund=fund),
            },
            status=status,
        ),
    )
