"""Staff screens of inspections in the Wagtail admin: open an inspection,
record a finding, the finding's page (the unit submits evidence there, the
inspectors review it), an evidence file, the circular PDF. Each finds its
object among what the user may see (404 otherwise) and calls one service."""

from functools import partial

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.core.admin import form_flow
from matching.core.files import CONTENT_TYPES

from . import circular, selectors, services
from .forms import EvidenceForm, FindingForm, InspectionForm, ReviewForm
from .models import EvidenceFile, Finding


def _render(request, template, context, form, status):
    return TemplateResponse(request, template, {**context, "form": form}, status=status)


def inspection_new(request):
    if not request.user.has_perm("inspections.add_inspection"):
        raise PermissionDenied
    form = InspectionForm(request.POST or None)
    return form_flow(
        request,
        form,
        perform=lambda data: services.inspection_create(actor=request.user, **data),
        success_message=_("专项督查已创建。"),
        success_url=lambda inspection: reverse("inspections:inspect", args=[inspection.pk]),
        render=partial(
            _render, request, "inspections/admin/form.html", {"page_title": _("新建专项督查")}
        ),
    )


class ConcludeForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("我已确认：全部问题已整改并审核通过，结束本次督查"),
        error_messages={"required": _("请勾选确认后再结束督查。")},
    )


def inspection_conclude(request, pk):
    """What concluding means, the findings still open, then a confirmed POST."""
    inspection = get_object_or_404(selectors.inspection_list_for(user=request.user), pk=pk)
    if not selectors.is_inspector(user=request.user, inspection=inspection):
        raise PermissionDenied
    form = ConcludeForm(request.POST if request.method == "POST" else None)
    context = {
        "page_title": _("结束专项督查"),
        "inspection": inspection,
        "unfinished": inspection.findings.exclude(status=Finding.Status.RECTIFIED).count(),
    }
    return form_flow(
        request,
        form,
        perform=lambda data: services.inspection_conclude(
            inspection=inspection, actor=request.user
        ),
        success_message=_("专项督查已结束。"),
        success_url=reverse("inspections:inspect", args=[inspection.pk]),
        render=partial(_render, request, "inspections/admin/conclude.html", context),
    )


def finding_new(request, pk):
    inspection = get_object_or_404(selectors.inspection_list_for(user=request.user), pk=pk)
    if not selectors.is_inspector(user=request.user, inspection=inspection):
        raise PermissionDenied
    form = FindingForm(request.POST or None)
    context = {"page_title": _("记录督查发现问题"), "inspection": inspection}
    return form_flow(
        request,
        form,
        perform=lambda data: services.finding_record(
            inspection=inspection, actor=request.user, **data
        ),
        success_message=_("问题已记录，已通知被督查单位整改。"),
        success_url=lambda finding: reverse("inspections_finding", args=[finding.pk]),
        render=partial(_render, request, "inspections/admin/form.html", context),
    )


def _finding(request, pk):
    return get_object_or_404(selectors.finding_list_for(user=request.user), pk=pk)


def _finding_page(request, finding, *, evidence_form=None, review_form=None, status=200):
    may_answer = selectors.finding_may_answer(user=request.user, finding=finding)
    pending = selectors.evidence_pending(finding=finding)
    may_review = pending is not None and selectors.is_inspector(
        user=request.user, inspection=finding.inspection
    )
    context = {
        "page_title": str(finding),
        "finding": finding,
        "evidence": finding.evidence.prefetch_related("files").select_related("reviewed_by"),
        "overdue": finding.is_overdue(),
        "may_answer": may_answer
        and finding.status in services.FINDING_TRANSITIONS.sources(finding.Status.SUBMITTED),
        "may_review": may_review,
        "evidence_form": evidence_form or EvidenceForm(),
        "review_form": review_form or ReviewForm(),
    }
    return TemplateResponse(request, "inspections/admin/finding.html", context, status=status)


def finding_page(request, pk):
    return _finding_page(request, _finding(request, pk))


def _posted(request, finding, form, key, perform, message):
    def render(form, status):
        return _finding_page(request, finding, **{key: form}, status=status)

    return form_flow(
        request,
        form,
        perform=perform,
        success_message=message,
        success_url=reverse("inspections_finding", args=[finding.pk]),
        render=render,
    )


def evidence_submit(request, pk):
    finding = _finding(request, pk)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    return _posted(
        request,
        finding,
        form,
        "evidence_form",
        lambda data: services.evidence_submit(
            finding=finding, actor=request.user, text=data["text"], files=data["files"]
        ),
        _("整改材料已提交，等待督查组审核。"),
    )


def evidence_review(request, pk):
    finding = _finding(request, pk)
    form = ReviewForm(request.POST or None)

    def perform(data):
        pending = selectors.evidence_pending(finding=finding)
        if pending is None:
            raise PermissionDenied(_("没有待审核的整改材料。"))
        return services.evidence_review(
            evidence=pending,
            actor=request.user,
            accept=data["decision"] == "accept",
            reason=data["reason"],
        )

    return _posted(request, finding, form, "review_form", perform, _("审核决定已记录。"))


def evidence_file(request, pk):
    findings = selectors.finding_list_for(user=request.user)
    attachment = get_object_or_404(EvidenceFile, pk=pk, evidence__finding__in=findings)
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        obj=attachment.evidence.finding,
        summary="rectification evidence file opened",
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=CONTENT_TYPES.get(attachment.kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


def circular_download(request, pk):
    inspection = get_object_or_404(selectors.inspection_list_for(user=request.user), pk=pk)
    response = HttpResponse(
        circular.circular_pdf(inspection=inspection), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="circular-{inspection.pk}.pdf"'
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        obj=inspection,
        summary="inspection circular exported",
        jurisdiction=inspection.scope,
    )
    return response
