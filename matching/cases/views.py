"""Public pages: apply online, see the receipt, follow the status."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from matching.core.errors import refusal_show

from . import selectors, services
from .forms import OnlineApplicationForm, StatusLookupForm
from .models import CaseStatus

STATUS_EXPLAINED = {
    CaseStatus.RECEIVED: gettext_lazy("您的申请已受理，工作人员将尽快与您联系。"),
    CaseStatus.UNDER_REVIEW: gettext_lazy("工作人员正在审核您的申请材料。"),
    CaseStatus.REFERRED: gettext_lazy("您的申请已转交相关部门协同办理。"),
    CaseStatus.VERIFIED: gettext_lazy("家庭经济状况核对已完成，等待审批。"),
    CaseStatus.APPROVED: gettext_lazy("您的申请已获批准。"),
    CaseStatus.REJECTED: gettext_lazy("您的申请未获批准，工作人员将告知理由。"),
    CaseStatus.PUBLISHED: gettext_lazy("已发布匿名求助信息，正在对接社会力量。"),
    CaseStatus.MATCHED: gettext_lazy("已为您对接帮扶资源。"),
    CaseStatus.FULFILLED: gettext_lazy("帮扶已落实。"),
    CaseStatus.CLOSED: gettext_lazy("本次申请已办结。"),
}


def lookup_rate(group, request):
    return settings.CASE_STATUS_LOOKUP_RATE


def apply_rate(group, request):
    return settings.CASE_APPLY_RATE


@ratelimit(key="ip", rate=apply_rate, method="POST", block=False, group="cases.apply")
def apply(request):
    if getattr(request, "limited", False):
        context = {"form": OnlineApplicationForm(), "limited": True}
        return render(request, "cases/apply.html", context, status=429)
    form = OnlineApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.application_submit_online(
                jurisdiction=data["jurisdiction"],
                name=data["name"],
                id_number=data["id_number"],
                phone=data["phone"],
                address=data["address"],
                categories=data["categories"],
                forms=data["help_forms"],
                urgency=data["urgency"],
                description=data["description"],
            )
        except ValidationError as error:
            refusal_show(request, error, form=form)
        else:
            request.session["cases_receipt"] = case.receipt_number
            return redirect("cases_apply_done")
    return render(request, "cases/apply.html", {"form": form})


@never_cache
def apply_done(request):
    receipt = request.session.get("cases_receipt")
    if not receipt:
        return redirect("cases_apply")
    return render(request, "cases/apply_done.html", {"receipt_number": receipt})


@never_cache
@ratelimit(key="ip", rate=lookup_rate, method="POST", block=False, group="cases.status")
def status(request):
    form = StatusLookupForm(request.POST or None)
    if getattr(request, "limited", False):
        return render(
            request, "cases/status.html", {"form": StatusLookupForm(), "limited": True}, status=429
        )
    found, code = None, 200
    if request.method == "POST" and not form.is_valid():
        code = 400
    elif request.method == "POST":
        found = selectors.case_status_lookup(
            receipt_number=form.cleaned_data["receipt_number"],
            phone_last4=form.cleaned_data["phone_last4"],
        )
        if found is None:
            # One answer for an unknown number and for wrong digits: nothing leaks.
            form.add_error(None, _("未找到匹配的申请，请核对受理编号和电话后四位。"))
            code = 404
    context = {
        "form": form,
        "found": found,
        "explained": STATUS_EXPLAINED.get(found.status) if found else None,
    }
    return render(request, "cases/status.html", context, status=code)
