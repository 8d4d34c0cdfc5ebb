"""The window's intake screen (一门受理), built for a clerk taking 30+ applicants
a day: the applicant and the household's members on one screen, the street
pre-filled from the clerk's post, an error summary at the top, the ID number
checked as soon as it is typed (checksum, age and sex, an existing
application) and again before saving, and a printable receipt.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matching.core.admin import reported_errors
from matching.core.masking import mask_id_number
from matching.core.scope import subtree
from matching.core.validators import age_on, id_facts, normalize_id_number, validate_id_number
from matching.directory.models import Jurisdiction
from matching.directory.selectors import staff_profile

from . import receipts, selectors, services
from .admin_views import _case_for_staff
from .forms import MemberFormSet, WindowIntakeForm
from .models import Member

SEX_WORDS = dict(Member.Sex.choices)


def _clerk(request):
    profile = staff_profile(request.user)
    if profile is None:
        raise PermissionDenied
    return profile


def _intake_form(request, profile):
    initial = {}
    if profile.jurisdiction.level == Jurisdiction.Level.STREET:
        initial["jurisdiction"] = profile.jurisdiction_id
    form = WindowIntakeForm(request.POST or None, initial=initial)
    form.fields["jurisdiction"].queryset = form.fields["jurisdiction"].queryset.filter(
        subtree(profile.jurisdiction.path, field="path")
    )
    return form


def _people(form, members):
    """(label, ID number) of everyone entered whose number is valid."""
    people = []
    if form.cleaned_data.get("id_number"):
        people.append((_("申请人"), form.cleaned_data["id_number"]))
    for index, row in enumerate(members.forms, start=1):
        data = getattr(row, "cleaned_data", {})
        if data.get("id_number") and not data.get("DELETE"):
            people.append((_("第 %(n)d 位家庭成员") % {"n": index}, data["id_number"]))
    return people


def _existing(user, people):
    found = []
    for label, number in people:
        for hit in selectors.id_number_holders(user=user, id_number=number):
            found.append({"who": label, **hit})
    return found


def _error_summary(form, members):
    """Every error as (anchor, field label, message), in the order of the screen."""
    items = [("intake-form", "", error) for error in form.non_field_errors()]
    for field in form:
        items += [(field.id_for_label, field.label, error) for error in field.errors]
    items += [("members", "", error) for error in members.non_form_errors()]
    for index, row in enumerate(members.forms, start=1):
        for field in row:
            label = _("第 %(n)d 位家庭成员 · %(field)s") % {"n": index, "field": field.label}
            items += [(field.id_for_label, label, error) for error in field.errors]
    return items


def _member_rows(members):
    return [
        {key: row.cleaned_data[key] for key in ("name", "id_number", "relation", "phone")}
        for row in members.forms
        if row.has_changed() and not row.cleaned_data.get("DELETE")
    ]


def _submit(form, members, actor):
    data = form.cleaned_data
    return services.window_application_submit(
        jurisdiction=data["jurisdiction"],
        address=data["address"],
        applicant={"name": data["name"], "id_number": data["id_number"], "phone": data["phone"]},
        members=_member_rows(members),
        title=data["title"],
        description=data["description"],
        categories=data["categories"],
        forms=data["help_forms"],
        urgency=data["urgency"],
        actor=actor,
    )


def _saved(request, case):
    messages.success(
        request, _("已受理，受理编号 %(receipt)s。") % {"receipt": case.receipt_number}
    )
    request.session["intake_last_case"] = case.pk
    if request.POST.get("next_action") == "next":
        return redirect("cases_admin_window_intake")
    return redirect("cases_admin_handle", case.pk)


def window_intake(request):
    """一门受理: the applicant and the household on one screen."""
    profile = _clerk(request)
    form = _intake_form(request, profile)
    members = MemberFormSet(request.POST or None, prefix="members")
    existing = []
    if request.method == "POST":
        form_ok = form.is_valid()
        members.applicant_numbers = [form.cleaned_data.get("id_number")] if form_ok else []
        members_ok = members.is_valid()
        # Shown whenever the numbers themselves are valid, even beside other errors.
        existing = _existing(request.user, _people(form, members))
        if members_ok and form_ok:
            if existing and not form.cleaned_data["duplicate_ack"]:
                form.add_error(
                    "duplicate_ack",
                    _("已找到使用该身份证号码的申请（见上方），请核对后勾选此项再保存。"),
                )
            else:
                with reported_errors(request, form=form, errors=(ValidationError,)) as outcome:
                    case = _submit(form, members, request.user)
                if outcome.ok:
                    return _saved(request, case)
    return render(
        request,
        "cases/admin/window_intake.html",
        {
            "form": form,
            "members": members,
            "existing": existing,
            "errors": _error_summary(form, members) if request.method == "POST" else [],
            "last_case": request.session.get("intake_last_case"),
        },
    )


@require_POST
def id_number_check(request):
    """The intake screen's check as the number is typed (POST: never in a URL
    or an access log). Answers the checksum's verdict, the age and sex the
    number encodes, and the applications already holding it, masked."""
    _clerk(request)
    number = normalize_id_number(request.POST.get("id_number", ""))
    try:
        validate_id_number(number)
    except ValidationError as error:
        return JsonResponse({"valid": False, "error": " ".join(error.messages)})
    facts = id_facts(number)
    hits = selectors.id_number_holders(user=request.user, id_number=number)
    for hit in hits:
        hit["url"] = reverse("cases_admin_handle", args=[hit["case_pk"]]) if hit["case_pk"] else ""
    return JsonResponse(
        {
            "valid": True,
            "masked": mask_id_number(number),
            "age": age_on(facts.birth_date, timezone.localdate()),
            "sex": str(SEX_WORDS[facts.sex]),
            "existing": hits,
        }
    )


def receipt_pdf(request, pk):
    """The applicant's receipt (受理回执) as PDF, for the staff handling the case."""
    case = _case_for_staff(request, pk)
    status_url = request.build_absolute_uri(reverse("cases_status"))
    response = HttpResponse(
        receipts.application_receipt_pdf(case=case, status_url=status_url),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="receipt-{case.receipt_number}.pdf"'
    return response
