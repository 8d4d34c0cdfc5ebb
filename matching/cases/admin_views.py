"""Staff screens inside the Wagtail admin that act on one case, referral or report.

Each view checks scope itself (``access``), parses a form, calls one service
and redirects; personal data is only ever read through
``selectors.case_personal_data_get``, which audits the read.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matching.core.admin import reported_errors
from matching.core.vocabulary import Category
from matching.directory.models import Department
from matching.directory.selectors import is_liaison_of, staff_profile

from . import deadlines, selectors, services
from .access import can_handle_case, can_see_personal_data
from .forms import (
    AdjudicationForm,
    DismissForm,
    MemberForm,
    OpenCaseForm,
    ReferralAnswerForm,
    ReferralForm,
    TransitionForm,
)
from .models import Case, CaseStatus, DiscoveryReport, DuplicateFlag, Referral
from .services import ALLOWED_TRANSITIONS, CaseRuleError


def _handle_url(case):
    return reverse("cases_admin_handle", args=[case.pk])


def _case_for_staff(request, pk):
    case = get_object_or_404(Case.objects.select_related("jurisdiction", "household"), pk=pk)
    if not can_handle_case(request.user, case):
        raise PermissionDenied
    return case


def _departments_for(case):
    codes = case.jurisdiction.path.split("/")
    return Department.objects.filter(jurisdiction_id__in=codes).select_related("jurisdiction")


def _with_provisional_flags(referrals):
    """Each referral with ``due_provisional``: its deadline rests on an estimated calendar."""
    referrals = list(referrals)
    for referral in referrals:
        referral.due_provisional = deadlines.referral_due_is_provisional(referral)
    return referrals


# What an irreversible move does, said in the dialog that confirms it.
CONSEQUENCES = {
    CaseStatus.CLOSED: gettext_lazy(
        "办结后本案件结束，不能再变更状态或重新打开；申请人查询时看到“已办结”。"
    ),
    CaseStatus.REJECTED: gettext_lazy(
        "不予批准后将通知申请人，并在办理记录中留下理由；如需复查须重新进入审核。"
    ),
}

# Functions ``(request, case) -> dict | None`` adding a tab to the case page:
# ``{"id", "title", "template", ...context}``. Apps above cases (offers,
# funding) add the matches and the money, so this module never names them.
CASE_SECTIONS = []


def _household_line(personal):
    members = personal["members"]
    people = "、".join(
        _("%(name)s（%(relation)s，%(age)s 岁）")
        % {"name": m["name"], "relation": m["relation"], "age": m["age"]}
        for m in members
    )
    return _("%(n)d 人：%(people)s") % {"n": len(members), "people": people}


def _actions(case):
    """The moves allowed now, one button each; none is pre-selected."""
    return [
        {
            "value": target.value,
            "label": target.label,
            "irreversible": target in TransitionForm.irreversible,
            "consequence": CONSEQUENCES.get(target, ""),
        }
        for target in sorted(ALLOWED_TRANSITIONS[case.status])
    ]


def case_handle(request, pk):
    """The case as a workspace: a summary header, then tabs, and the moves allowed now."""
    case = get_object_or_404(Case.objects.select_related("jurisdiction", "household"), pk=pk)
    if not can_see_personal_data(request.user, case):
        raise PermissionDenied
    personal = selectors.case_personal_data_get(user=request.user, case=case)
    handles = can_handle_case(request.user, case)
    context = {
        "case": case,
        "personal": personal,
        "household_line": _household_line(personal),
        "handles": handles,
        "actions": _actions(case) if handles else [],
        "transition_form": TransitionForm(targets=sorted(ALLOWED_TRANSITIONS[case.status])),
        "referral_form": ReferralForm(departments=_departments_for(case)),
        "referrals": _with_provisional_flags(
            case.referrals.select_related("case", "department", "escalated_to")
        ),
        "verification": case.verifications.first(),
        "freshness": selectors.case_freshness(case=case) if handles else [],
        "assistance": selectors.assistance_for_household(household=case.household),
        "flags": case.duplicate_flags.select_related("record", "other_case__jurisdiction"),
        "adjudication_form": AdjudicationForm(),
        "member_form": MemberForm(),
        "transitions": case.transitions.select_related("actor"),
        "sections": [s for s in (section(request, case) for section in CASE_SECTIONS) if s],
    }
    return render(request, "cases/admin/case_handle.html", context)


def _run(request, case, call):
    with reported_errors(request, errors=(CaseRuleError, ValidationError)) as outcome:
        call()
    if outcome.ok:
        messages.success(request, _("已保存。"))
    return redirect(_handle_url(case))


def _form_errors(request, form):
    """Each of a refused form's errors as a message on the page it returns to."""
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))


@require_POST
def case_transition(request, pk):
    case = _case_for_staff(request, pk)
    form = TransitionForm(request.POST, targets=sorted(ALLOWED_TRANSITIONS[case.status]))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_handle_url(case))
    return _run(
        request,
        case,
        lambda: services.case_transition(
            case=case,
            to_status=form.cleaned_data["to_status"],
            actor=request.user,
            note=form.cleaned_data["note"],
        ),
    )


@require_POST
def case_refer(request, pk):
    case = _case_for_staff(request, pk)
    form = ReferralForm(request.POST, departments=_departments_for(case))
    if not form.is_valid():
        messages.error(request, _("请选择承办部门和救助类别。"))
        return redirect(_handle_url(case))
    return _run(
        request,
        case,
        lambda: services.referral_create(case=case, actor=request.user, **form.cleaned_data),
    )


@require_POST
def case_verify(request, pk):
    case = _case_for_staff(request, pk)
    return _run(request, case, lambda: services.case_verify(case=case, actor=request.user))


@require_POST
def refresh_request(request, pk):
    """Ask one department for fresh data on the case's household."""
    case = _case_for_staff(request, pk)
    department = Department.objects.filter(pk=request.POST.get("department") or None).first()
    if department is None:
        messages.error(request, _("请选择需要更新数据的部门。"))
        return redirect(_handle_url(case))
    with reported_errors(request, errors=(CaseRuleError, ValidationError)) as outcome:
        services.refresh_request_create(case=case, department=department, actor=request.user)
    if outcome.ok:
        messages.success(request, _("已请求%(department)s更新数据。") % {"department": department})
    return redirect(_handle_url(case) + "#tab-verification")


@never_cache
def refresh_schedule(request):
    """For civil-affairs staff: each department's refresh cadence, last and next import."""
    if staff_profile(request.user) is None:
        raise PermissionDenied
    rows = selectors.refresh_schedule(user=request.user)
    return render(request, "cases/admin/refresh_schedule.html", {"rows": rows})


@require_POST
def flag_adjudicate(request, pk):
    flag = get_object_or_404(DuplicateFlag.objects.select_related("case"), pk=pk)
    case = _case_for_staff(request, flag.case_id)
    form = AdjudicationForm(request.POST, instance=DuplicateFlag(case=case, record=flag.record))
    if not form.is_valid():
        if "confirm" in form.errors:
            _form_errors(request, form)
        else:
            messages.error(request, _("请选择裁定结果并填写裁定说明。"))
        return redirect(_handle_url(case))
    return _run(
        request,
        case,
        lambda: services.duplicate_flag_adjudicate(
            flag=flag,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        ),
    )


@never_cache
@require_POST
def member_reveal(request, pk, member_pk):
    """One member's full ID number and phone: an explicit, audited action of
    staff handling the case (a liaison, or staff out of scope, are refused)."""
    case = _case_for_staff(request, pk)
    revealed = selectors.member_personal_data_reveal(
        user=request.user, case=case, member_pk=member_pk
    )
    return render(request, "cases/admin/member_reveal.html", {"case": case, "member": revealed})


@require_POST
def member_add(request, pk):
    case = _case_for_staff(request, pk)
    form = MemberForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_handle_url(case))
    return _run(
        request,
        case,
        lambda: services.member_add(
            household=case.household, actor=request.user, **form.cleaned_data
        ),
    )


def referral_answer(request, pk):
    """The liaison's own view of one referral, with the household data it needs."""
    referral = get_object_or_404(Referral.objects.select_related("case", "department"), pk=pk)
    if not is_liaison_of(request.user, referral.department):
        raise PermissionDenied
    form = ReferralAnswerForm(request.POST or None, instance=referral)
    if request.method == "POST" and form.is_valid():
        with reported_errors(request, errors=(CaseRuleError,)) as outcome:
            services.referral_answer(
                referral=referral,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                answer=form.cleaned_data["answer"],
            )
        if outcome.ok:
            messages.success(request, _("答复已提交。"))
            return redirect("cases_my_referrals:index")
    personal = selectors.case_personal_data_get(user=request.user, case=referral.case)
    referral.due_provisional = deadlines.referral_due_is_provisional(referral)
    return render(
        request,
        "cases/admin/referral_answer.html",
        {"referral": referral, "form": form, "personal": personal},
    )


def discovery_triage(request, pk):
    """Triage a discovery report into a case or a recorded dismissal."""
    if not DiscoveryReport.objects.filter(pk=pk).exists():
        raise Http404
    report = selectors.discovery_report_get(user=request.user, pk=pk)
    services.discovery_report_assessing(report=report, actor=request.user)
    open_form = OpenCaseForm(
        request.POST if request.POST.get("action") == "open" else None,
        initial={"categories": report.categories or [Category.TEMPORARY]},
    )
    dismiss_form = DismissForm(request.POST if request.POST.get("action") == "dismiss" else None)
    with reported_errors(request, errors=(CaseRuleError,)):
        if open_form.is_bound and open_form.is_valid():
            case = services.discovery_report_open_case(
                report=report, actor=request.user, **open_form.cleaned_data
            )
            messages.success(
                request, _("已转为救助申请 %(receipt)s。") % {"receipt": case.receipt_number}
            )
            return redirect(_handle_url(case))
        if dismiss_form.is_bound and dismiss_form.is_valid():
            services.discovery_report_dismiss(
                report=report,
                actor=request.user,
                reason=dismiss_form.cleaned_data["reason"],
                public_reason=dismiss_form.cleaned_data["public_reason"],
            )
            messages.success(request, _("已记录不予受理。"))
            return redirect("cases_discovery:index")
    return render(
        request,
        "cases/admin/discovery_triage.html",
        {"report": report, "open_form": open_form, "dismiss_form": dismiss_form},
    )
