"""The volunteer's pages: joining (/join/volunteer/) and the workspace (/volunteer/).

Every workspace view finds the signed-in user's own volunteer record first
and looks matches, hours and certificates up *through* it, so another
volunteer's object is a 404, never a refusal that confirms it exists.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from matching.core.errors import REFUSALS, refusal_show
from matching.core.masking import mask_name
from matching.funding.models import VolunteerHours
from matching.funding.services import volunteer_hours_log
from matching.offers.models import MatchStatus

from . import selectors, services
from .certificate import certificate_pdf
from .forms import (
    AnswerForm,
    HoursForm,
    JoinForm,
    ProfileForm,
    ResendForm,
    TeamDecisionForm,
    TeamForm,
    VerifyForm,
)


def join_rate(group, request):
    return settings.VOLUNTEER_JOIN_RATE


def verify_rate(group, request):
    return settings.VOLUNTEER_VERIFY_RATE


def _confirm_link(request):
    return lambda token: request.build_absolute_uri(reverse("join_volunteer_confirm", args=[token]))


def _limited(request, template, form):
    context = {"form": form, "limited": True}
    return render(request, template, context, status=429)


@never_cache
@ratelimit(key="ip", rate=join_rate, method="POST", block=False, group="volunteering.join")
@require_http_methods(["GET", "POST"])
def join(request):
    if getattr(request, "limited", False):
        return _limited(request, "volunteering/join.html", JoinForm())
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.volunteer_register(
                email=data["email"],
                password=data["password"],
                name=data["name"],
                details=form.details(),
                consent=data["consent"],
                confirm_link=_confirm_link(request),
            )
        except ValidationError as error:
            refusal_show(request, error, form=form)
        else:
            return redirect("join_volunteer_sent")
    return render(request, "volunteering/join.html", {"form": form})


def join_sent(request):
    return render(request, "volunteering/join_sent.html")


@never_cache
@ratelimit(key="ip", rate=join_rate, method="POST", block=False, group="volunteering.join")
@require_http_methods(["GET", "POST"])
def join_resend(request):
    if getattr(request, "limited", False):
        return _limited(request, "volunteering/join_resend.html", ResendForm())
    form = ResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.confirmation_resend(
            email=form.cleaned_data["email"], confirm_link=_confirm_link(request)
        )
        messages.success(request, _("如果该邮箱已注册且尚未确认，我们已重新发送确认邮件。"))
        return redirect("join_volunteer_sent")
    return render(request, "volunteering/join_resend.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def join_confirm(request, token):
    """GET shows a button, POST confirms: a mail scanner that opens the link
    does not spend it."""
    if request.method == "POST":
        try:
            services.volunteer_confirm(token=token)
        except services.ConfirmationRefused as error:
            return render(
                request, "volunteering/join_confirm.html", {"refusal": str(error)}, status=400
            )
        messages.success(request, _("邮箱已确认。请用注册邮箱和密码登录志愿者工作台。"))
        return redirect(f"{reverse('login')}?next={reverse('volunteer_home')}")
    return render(request, "volunteering/join_confirm.html")


def volunteer_required(view):
    """Signed in, with a volunteer record of one's own; the record is passed on."""

    @wraps(view)
    @login_required
    @never_cache
    def wrapper(request, *args, **kwargs):
        volunteer = selectors.volunteer_of(request.user)
        if volunteer is None:
            raise Http404(_("您还没有志愿者档案。"))
        return view(request, volunteer, *args, **kwargs)

    return wrapper


@volunteer_required
def home(request, volunteer):
    totals = selectors.hours_totals(volunteer)
    context = {
        "volunteer": volunteer,
        "consent": selectors.consent_current(volunteer),
        "ever_consented": volunteer.consents.exists(),
        "proposals": [
            (match, selectors.task_brief(match, with_contact=False))
            for match in selectors.proposals(volunteer)
        ],
        "tasks": [(match, selectors.task_label(match)) for match in selectors.tasks(volunteer)],
        "past": [(match, selectors.task_label(match)) for match in selectors.past(volunteer)],
        "confirmed_hours": totals.get(VolunteerHours.Status.CONFIRMED, 0),
        "pending_hours": totals.get(VolunteerHours.Status.LOGGED, 0),
        "slots": [selectors.slot_label(code) for code in volunteer.availability],
        "team_request": selectors.team_request_pending(volunteer),
        "team_form": TeamForm() if selectors.verified_teams().exists() else None,
    }
    return render(request, "volunteering/home.html", context)


@volunteer_required
@require_POST
def team(request, volunteer):
    form = TeamForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择已核验的志愿服务队。"))
        return redirect("volunteer_home")
    try:
        services.team_request_create(
            volunteer=volunteer, actor=request.user, organization=form.cleaned_data["organization"]
        )
    except REFUSALS as error:
        refusal_show(request, error)
    else:
        messages.success(request, _("申请已提交，等待服务队管理员审核。"))
    return redirect("volunteer_home")


@volunteer_required
@never_cache
@require_http_methods(["GET", "POST"])
def team_leave(request, volunteer):
    """What leaving means, then leaving, confirmed by a box the server checks."""
    if volunteer.organization_id is None:
        return redirect("volunteer_home")
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("请勾选确认框后再提交。"))
        else:
            try:
                services.team_leave(volunteer=volunteer, actor=request.user)
            except REFUSALS as error:
                refusal_show(request, error)
            else:
                messages.success(request, _("您已退出志愿服务队，现在是独立志愿者。"))
            return redirect("volunteer_home")
    pending = selectors.hours_list(volunteer).filter(status=VolunteerHours.Status.LOGGED)
    context = {"volunteer": volunteer, "pending_hours": pending.count()}
    return render(request, "volunteering/team_leave.html", context)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def team_requests(request):
    """A volunteer team's administrator answers requests to join (404 for anyone else)."""
    pending = selectors.team_requests_for(request.user)
    if pending is None:
        raise Http404
    form = TeamDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        team_request = get_object_or_404(pending, pk=data["request_id"])
        try:
            services.team_request_decide(
                team_request=team_request,
                actor=request.user,
                approve=data["decision"] == TeamDecisionForm.APPROVE,
                reason=data["reason"],
            )
        except REFUSALS as error:
            refusal_show(request, error, form=form)
        else:
            messages.success(request, _("已处理加入申请。"))
            return redirect("volunteer_team_requests")
    rows = [
        (team_request, [selectors.slot_label(c) for c in team_request.volunteer.availability])
        for team_request in pending
    ]
    return render(request, "volunteering/team_requests.html", {"rows": rows, "form": form})


@volunteer_required
@require_http_methods(["GET", "POST"])
def proposal(request, volunteer, pk):
    match = selectors.match_get(volunteer, pk, [MatchStatus.PROPOSED])
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accept = data["answer"] == AnswerForm.ACCEPT
        try:
            services.proposal_answer(
                match=match,
                actor=request.user,
                accept=accept,
                reason_code=data["reason_code"],
                text=data["text"],
            )
        except REFUSALS as error:
            refusal_show(request, error, form=form)
        else:
            if accept:
                messages.success(request, _("您已接受邀请，等待民政工作人员批准后即可开始服务。"))
            else:
                messages.success(request, _("您已谢绝邀请，感谢您的答复。"))
            return redirect("volunteer_home")
    brief = selectors.task_brief(match, with_contact=False)
    context = {"match": match, "brief": brief, "form": form}
    return render(request, "volunteering/proposal.html", context)


@volunteer_required
@require_http_methods(["GET", "POST"])
def task(request, volunteer, pk):
    match = selectors.match_get(volunteer, pk, selectors.TASK_STATUSES)
    approved = match.status == MatchStatus.APPROVED
    form = HoursForm(request.POST or None)
    if request.method == "POST" and approved and form.is_valid():
        data = form.cleaned_data
        try:
            volunteer_hours_log(
                volunteer=volunteer,
                match=match,
                date=data["date"],
                hours=data["hours"],
                note=data["note"],
                actor=request.user,
            )
        except REFUSALS as error:
            refusal_show(request, error, form=form)
        else:
            messages.success(request, _("服务时长已登记，等待确认。"))
            return redirect("volunteer_task", pk=match.pk)
    context = {
        "match": match,
        "approved": approved,
        "label": selectors.task_label(match),
        "brief": selectors.task_brief(match, with_contact=approved),
        "form": form,
        "hours": selectors.hours_list(volunteer, match),
    }
    return render(request, "volunteering/task.html", context)


def _profile_initial(volunteer):
    return {
        "name": volunteer.name,
        "jurisdiction": volunteer.jurisdiction_id,
        "radius_km": str(int(volunteer.radius_km)),
        "help_forms": volunteer.forms,
        "skills": "，".join(volunteer.skills),
        "availability": volunteer.availability,
        "hours_per_week": volunteer.hours_per_week or 2,
    }


@volunteer_required
@require_http_methods(["GET", "POST"])
def profile(request, volunteer):
    form = ProfileForm(request.POST or None, initial=_profile_initial(volunteer))
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteer_profile_update(
                volunteer=volunteer,
                actor=request.user,
                name=form.cleaned_data["name"],
                details=form.details(),
            )
        except REFUSALS as error:
            refusal_show(request, error, form=form)
        else:
            messages.success(request, _("个人资料和可服务时段已保存。"))
            return redirect("volunteer_home")
    context = {"form": form, "volunteer": volunteer}
    return render(request, "volunteering/profile.html", context)


@volunteer_required
@require_http_methods(["GET", "POST"])
def consent(request, volunteer):
    current = selectors.consent_current(volunteer)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "withdraw" and request.POST.get("confirm") == "yes":
                services.consent_withdraw(volunteer=volunteer, actor=request.user)
                messages.success(request, _("您已撤回同意，平台不会再向您发送服务邀请。"))
                return redirect("volunteer_home")
            if action == "give":
                services.consent_give(volunteer=volunteer, actor=request.user)
                messages.success(request, _("您已重新同意个人信息处理说明。"))
                return redirect("volunteer_profile")
        except REFUSALS as error:
            refusal_show(request, error)
            return redirect("volunteer_consent")
        messages.error(request, _("请勾选确认框后再提交。"))
    context = {
        "volunteer": volunteer,
        "current": current,
        "history": volunteer.consents.all(),
        "consent_text": services.CONSENT_TEXT,
    }
    return render(request, "volunteering/consent.html", context)


@volunteer_required
@require_http_methods(["GET", "POST"])
def certificates(request, volunteer):
    if request.method == "POST":
        try:
            issued = services.certificate_issue(volunteer=volunteer, actor=request.user)
        except REFUSALS as error:
            refusal_show(request, error)
        else:
            messages.success(request, _("证明已出具，验证码 %(code)s。") % {"code": issued.code})
        return redirect("volunteer_certificates")
    summary = selectors.certificate_summary(volunteer)
    context = {
        "volunteer": volunteer,
        "summary": summary,
        "months": summary.months,
        "certificates": selectors.certificate_list(volunteer),
    }
    return render(request, "volunteering/certificates.html", context)


@volunteer_required
def certificate_pdf_view(request, volunteer, code):
    certificate = selectors.certificate_get(volunteer, code)
    verify_url = request.build_absolute_uri(
        f"{reverse('volunteer_certificate_verify')}?code={certificate.code}"
    )
    pdf = certificate_pdf(certificate=certificate, verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"volunteer-hours-{certificate.code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@ratelimit(key="ip", rate=verify_rate, method="GET", block=False, group="volunteering.verify")
def certificate_verify(request):
    form = VerifyForm(request.GET or None)
    context = {"form": form}
    if getattr(request, "limited", False):
        context["limited"] = True
        return render(request, "volunteering/verify.html", context, status=429)
    if form.is_valid():
        found = selectors.certificate_by_code(form.cleaned_data["code"])
        context.update(searched=True, certificate=found)
        if found is not None:
            context["holder"] = mask_name(found.holder)
    return render(request, "volunteering/verify.html", context)
