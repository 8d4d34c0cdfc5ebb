"""Public pages of proactive discovery: anyone reports a person in trouble
(/report/) and follows the report with a code (/report/follow/)."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from matching.core.errors import refusal_show
from matching.notifications.services import settings_for

from . import services
from .discovery_forms import DiscoveryFollowForm, DiscoveryReportForm
from .models import DiscoveryReport

SESSION_FOLLOW = "cases_discovery_follow"  # shown once on the next page, then dropped

R = DiscoveryReport.Status
FOLLOW_STATES = {
    "received": (gettext_lazy("已收到"), gettext_lazy("报告已收到，等待工作人员研判。")),
    "assessing": (gettext_lazy("研判中"), gettext_lazy("工作人员正在核实您报告的情况。")),
    R.CASE_OPENED: (
        gettext_lazy("已转为救助申请"),
        gettext_lazy("您报告的情况已转为救助申请，由属地工作人员跟进。"),
    ),
    R.DISMISSED: (gettext_lazy("未予受理"), gettext_lazy("经研判，您报告的情况未予受理。")),
}


def report_rate(group, request):
    return settings.DISCOVERY_REPORT_RATE


def follow_rate(group, request):
    return settings.DISCOVERY_FOLLOW_RATE


def _initial(user):
    if not user.is_authenticated:
        return {}
    return {
        "reporter_name": user.get_full_name() or user.get_username(),
        "reporter_phone": settings_for(user).phone,
        "reporter_email": user.email,
    }


@ratelimit(key="ip", rate=report_rate, method="POST", block=False, group="cases.discovery_report")
def report(request):
    form = DiscoveryReportForm(request.POST or None, initial=_initial(request.user))
    if getattr(request, "limited", False):
        # What they wrote stays in the form: nothing typed is lost.
        return render(request, "cases/report.html", {"form": form, "limited": True}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            filed = services.discovery_report_file(
                reporter=request.user, language=get_language(), **form.cleaned_data
            )
        except ValidationError as error:
            refusal_show(request, error, form=form)
        else:
            request.session[SESSION_FOLLOW] = [
                filed.follow_code,
                filed.urgency,
                bool(form.cleaned_data["reporter_email"]),
                filed.triage_due.isoformat(),
            ]
            return redirect("report_done")
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/report.html", {"form": form}, status=status)


@never_cache
def report_done(request):
    shown = request.session.pop(SESSION_FOLLOW, None)
    if not shown:
        return redirect("report")
    code, urgency, emailed, due = shown
    context = {
        "follow_code": code,
        "emergency": urgency == "emergency",
        "emailed": emailed,
        "triage_due": datetime.fromisoformat(due),
    }
    return render(request, "cases/report_done.html", context)


def follow_state(report):
    if report.status == R.PENDING:
        return "assessing" if report.assessing_since else "received"
    return report.status


@never_cache
@ratelimit(key="ip", rate=follow_rate, method="POST", block=False, group="cases.discovery_follow")
def report_follow(request):
    form = DiscoveryFollowForm(request.POST or None)
    context, status = {"form": form}, 200
    if getattr(request, "limited", False):
        context["limited"], status = True, 429
    elif request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        found = services.discovery_report_follow(code=form.cleaned_data["code"])
        if found is None:
            form.add_error("code", _("未找到该查询码对应的报告，请核对后重试。"))
            status = 404
        else:
            state = follow_state(found)
            label, explained = FOLLOW_STATES[state]
            context["found"] = {
                "state": state,
                "label": label,
                "explained": explained,
                "received_on": found.received_at,
                "reason": found.get_public_reason_display() if state == R.DISMISSED else "",
            }
    return render(request, "cases/report_follow.html", context, status=status)
