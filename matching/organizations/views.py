"""The public side: registration, the e-mail confirmation, the organization's
workspace and its published delivery reports. Views parse, call one service
or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from matching.core.admin import form_flow, reported_errors
from matching.directory.models import Organization, Role
from matching.directory.selectors import profile_get
from matching.offers.services import match_respond

from . import selectors, services
from .forms import (
    AnswerForm,
    DeliveryReportForm,
    PeriodicReportForm,
    ProjectForm,
    RegistrationForm,
    RenewForm,
    RespondForm,
)
from .models import PeriodicReport, Vetting


def register_rate(group, request):
    return settings.ORGANIZATION_REGISTER_RATE


@ratelimit(key="ip", rate=register_rate, method="POST", block=False, group="organizations.join")
def join(request):
    form = RegistrationForm(request.POST or None, request.FILES or None)
    if getattr(request, "limited", False):
        messages.error(request, _("提交过于频繁，请稍后再试。"))
        return render(request, "organizations/join.html", {"form": form}, status=429)
    return form_flow(
        request,
        form,
        perform=lambda data: services.organization_register(
            name=data["name"],
            kind=data["kind"],
            jurisdiction=data["jurisdiction"],
            credit_code=data["credit_code"],
            certificate=data["certificate"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            admin_name=data["admin_name"],
            admin_email=data["admin_email"],
            password=data["password"],
        ),
        success_message=_("注册已提交。请查收电子邮件，点击确认链接启用管理员账户。"),
        success_url=reverse("join_organization_done"),
        render=lambda form, status: render(
            request, "organizations/join.html", {"form": form}, status=status
        ),
    )


def join_done(request):
    return render(request, "organizations/join_done.html")


def join_confirm(request, token):
    """GET shows a button (mail scanners follow links); POST activates and signs in."""
    if request.method == "POST":
        with reported_errors(request) as outcome:
            user = services.admin_account_confirm(token=token)
        if outcome.ok:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("电子邮箱已确认，管理员账户已启用。"))
            return redirect("organization_home")
    return render(request, "organizations/join_confirm.html", {"token": token})


def _workspace(request):
    organization = selectors.workspace_organization(user=request.user)
    if organization is None:
        raise PermissionDenied(_("只有社会组织的管理员和成员可以进入组织工作台。"))
    return organization


def _is_admin(request):
    profile = profile_get(user=request.user)
    return bool(profile and profile.role == Role.CHARITY_ADMIN)


def _vetting_of(organization):
    """The organization's vetting file; organizations imported before vetting have none."""
    return get_object_or_404(Vetting, organization=organization)


def _require_admin(request):
    if not _is_admin(request):
        raise PermissionDenied(_("只有本组织的管理员可以办理核验。"))


@login_required
def home(request):
    organization = _workspace(request)
    vetting = Vetting.objects.filter(organization=organization).first()
    context = {
        "organization": organization,
        "vetting": vetting,
        "events": vetting.events.select_related("actor") if vetting else [],
        "is_admin": _is_admin(request),
        "answer_form": AnswerForm(),
        "renew_form": RenewForm(),
        "proposals": selectors.proposal_rows(organization=organization),
        "respond_form": RespondForm(),
        "projects": selectors.organization_projects(organization=organization),
        "funds": selectors.organization_funds(organization=organization),
        "reports": organization.periodic_reports.all(),
        "deliveries": organization.delivery_reports.all()[:20],
    }
    return render(request, "organizations/home.html", context)


def _back_home(request, form):
    """A refused or invalid small form on the workspace: its errors as messages."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            text = _("%(label)s：%(error)s") % {"label": label, "error": error}
            messages.error(request, text if label else error)
    return redirect("organization_home")


@login_required
@require_POST
def answer(request):
    organization = _workspace(request)
    _require_admin(request)
    form = AnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _back_home(request, form)
    with reported_errors(request) as outcome:
        services.vetting_answer(
            vetting=_vetting_of(organization),
            actor=request.user,
            answer=form.cleaned_data["answer"],
            certificate=form.cleaned_data["certificate"],
        )
    if outcome.ok:
        messages.success(request, _("补充材料已提交，请等待民政部门审核。"))
    return redirect("organization_home")


@login_required
@require_POST
def renew(request):
    organization = _workspace(request)
    _require_admin(request)
    form = RenewForm(request.POST, request.FILES)
    if not form.is_valid():
        return _back_home(request, form)
    with reported_errors(request) as outcome:
        services.vetting_renew(
            vetting=_vetting_of(organization),
            actor=request.user,
            certificate=form.cleaned_data["certificate"],
        )
    if outcome.ok:
        messages.success(request, _("续期申请已提交，请等待民政部门审核。"))
    return redirect("organization_home")


@login_required
@require_POST
def respond(request, pk):
    organization = _workspace(request)
    match = get_object_or_404(selectors.incoming_matches(organization=organization), pk=pk)
    form = RespondForm(request.POST)
    if not form.is_valid():
        return _back_home(request, form)
    accept = form.cleaned_data["decision"] == "accept"
    with reported_errors(request) as outcome:
        match_respond(
            match=match, actor=request.user, accept=accept, reason=form.cleaned_data["reason"]
        )
    if outcome.ok:
        messages.success(request, _("已接受该匹配建议。") if accept else _("已谢绝该匹配建议。"))
    return redirect("organization_home")


def _project_data(data):
    return {**data, "forms": data["help_forms"]}


@login_required
def project_new(request):
    organization = _workspace(request)
    form = ProjectForm(request.POST or None)
    return form_flow(
        request,
        form,
        perform=lambda data: services.project_submit(
            organization=organization, actor=request.user, data=_project_data(data)
        ),
        success_message=_("项目已提交审核，民政部门批准后公开。"),
        success_url=reverse("organization_home"),
        render=lambda form, status: render(
            request,
            "organizations/form.html",
            {"form": form, "title": _("发布帮扶项目"), "multipart": False},
            status=status,
        ),
    )


@login_required
def project_edit(request, pk):
    organization = _workspace(request)
    project = get_object_or_404(selectors.organization_projects(organization=organization), pk=pk)
    current = project.get_latest_revision_as_object()
    initial = {name: getattr(current, name) for name in services.PROJECT_FIELDS}
    initial["help_forms"] = current.forms
    form = ProjectForm(request.POST or None, initial=initial)
    return form_flow(
        request,
        form,
        perform=lambda data: services.project_submit(
            organization=organization,
            actor=request.user,
            data=_project_data(data),
            project=current,
        ),
        success_message=_("修改已提交审核，批准前公众仍看到原版本。"),
        success_url=reverse("organization_home"),
        render=lambda form, status: render(
            request,
            "organizations/form.html",
            {"form": form, "title": _("修改帮扶项目"), "multipart": False},
            status=status,
        ),
    )


@login_required
def delivery_new(request):
    organization = _workspace(request)
    form = DeliveryReportForm(
        request.POST or None,
        request.FILES or None,
        projects=selectors.organization_projects(organization=organization),
    )
    return form_flow(
        request,
        form,
        perform=lambda data: services.delivery_report_submit(
            organization=organization,
            actor=request.user,
            project=data["project"],
            title=data["title"],
            text=data["text"],
            delivered_on=data["delivered_on"],
            photos=data["photos"],
            no_faces_confirmed=data["no_faces_confirmed"],
        ),
        success_message=_("交付报告已提交，民政部门审核后公开。"),
        success_url=reverse("organization_home"),
        render=lambda form, status: render(
            request,
            "organizations/form.html",
            {"form": form, "title": _("提交交付报告"), "multipart": True},
            status=status,
        ),
    )


@login_required
def periodic_report(request, pk):
    organization = _workspace(request)
    report = get_object_or_404(PeriodicReport, pk=pk, organization=organization)
    form = PeriodicReportForm(request.POST or None, initial={"summary": report.summary})
    return form_flow(
        request,
        form,
        perform=lambda data: services.periodic_report_submit(
            report=report, actor=request.user, summary=data["summary"]
        ),
        success_message=_("定期报告已提交。"),
        success_url=reverse("organization_home"),
        render=lambda form, status: render(
            request,
            "organizations/periodic_report.html",
            {"form": form, "report": report},
            status=status,
        ),
    )


def deliveries(request, pk):
    """An organization's published delivery reports (public)."""
    organization = get_object_or_404(Organization, pk=pk, verified=True)
    reports = selectors.published_delivery_reports(organization=organization)
    return render(
        request,
        "organizations/deliveries.html",
        {"organization": organization, "reports": reports},
    )
