"""Staff screens: a vetting decision (with the certificate and the contact
person, each read audited), the certificate itself, a delivery report's
review (with its private photos). Each finds its object among what the
staff member's jurisdiction holds (404 otherwise) and calls one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.core.admin import reported_errors

from . import selectors, services
from .forms import DeliveryReviewForm, VettingDecisionForm
from .models import DeliveryPhoto
from .uploads import sniffed_kind

CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def vetting_decide(request, pk):
    _require(request, "organizations.view_vetting")
    vetting = get_object_or_404(selectors.vetting_list(user=request.user), pk=pk)
    form = VettingDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _require(request, "organizations.change_vetting")
        if form.is_valid():
            with reported_errors(request, form=form) as outcome:
                services.vetting_decide(
                    vetting=vetting,
                    actor=request.user,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            if outcome.ok:
                messages.success(request, _("审核决定已记录。"))
                return redirect("organizations_vetting:index")
        status = 422
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        obj=vetting,
        summary="vetting contact person shown",
        jurisdiction=vetting.organization.jurisdiction,
    )
    context = {
        "vetting": vetting,
        "events": vetting.events.select_related("actor"),
        "form": form,
        "may_decide": vetting.status == vetting.Status.SUBMITTED
        and request.user.has_perm("organizations.change_vetting"),
        "page_title": vetting.organization.name,
    }
    return TemplateResponse(request, "organizations/admin/vetting.html", context, status=status)


def _private_file(field):
    handle = field.open("rb")
    kind = sniffed_kind(handle)
    return FileResponse(handle, content_type=CONTENT_TYPES.get(kind, "application/octet-stream"))


def certificate(request, pk):
    _require(request, "organizations.view_vetting")
    vetting = get_object_or_404(selectors.vetting_list(user=request.user), pk=pk)
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.READ_PERSONAL_DATA,
        obj=vetting,
        summary="registration certificate opened",
        jurisdiction=vetting.organization.jurisdiction,
    )
    response = _private_file(vetting.certificate)
    response["Cache-Control"] = "private, no-store"
    return response


def delivery_review(request, pk):
    _require(request, "organizations.view_deliveryreport")
    report = get_object_or_404(selectors.delivery_report_list(user=request.user), pk=pk)
    form = DeliveryReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _require(request, "organizations.change_deliveryreport")
        if form.is_valid():
            with reported_errors(request, form=form) as outcome:
                services.delivery_report_review(
                    report=report,
                    actor=request.user,
                    publish=form.cleaned_data["decision"] == "publish",
                    reason=form.cleaned_data["reason"],
                    faces_checked=form.cleaned_data["faces_checked"],
                )
            if outcome.ok:
                messages.success(request, _("审核决定已记录。"))
                return redirect("organizations_deliveries:index")
        status = 422
    context = {
        "report": report,
        "photos": report.photos.all(),
        "form": form,
        "may_decide": report.status == report.Status.SUBMITTED
        and request.user.has_perm("organizations.change_deliveryreport"),
        "page_title": report.title,
    }
    return TemplateResponse(request, "organizations/admin/delivery.html", context, status=status)


def delivery_photo(request, pk):
    _require(request, "organizations.view_deliveryreport")
    reports = selectors.delivery_report_list(user=request.user)
    photo = get_object_or_404(DeliveryPhoto, pk=pk, report__in=reports)
    response = _private_file(photo.file)
    response["Cache-Control"] = "private, no-store"
    return response
