"""The applicant's receipt (受理回执) as PDF (WeasyPrint).

It is the applicant's own paper: their name is on it, their ID number only
masked; it says what was received, by whom and when, how to follow the
application online and which deadlines now run.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from matching.core.masking import mask_id_number
from matching.core.vocabulary import Category, HelpForm

from .models import Member


def _applicant(case):
    members = list(case.household.members.all())
    return next((m for m in members if m.relation == Member.Relation.SELF), None), len(members)


def application_receipt_pdf(*, case, status_url):
    """The receipt as PDF bytes; the caller checks the reader handles the case."""
    from weasyprint import HTML  # heavy: loaded on first use only

    applicant, household_size = _applicant(case)
    context = {
        "case": case,
        "applicant_name": applicant.name if applicant else "",
        "applicant_id": mask_id_number(applicant.id_number) if applicant else "",
        "household_size": household_size,
        "categories": [Category(c).label for c in case.categories],
        "forms": [HelpForm(f).label for f in case.forms],
        "opened_at": timezone.localtime(case.opened_at),
        "first_response_due": timezone.localtime(case.first_response_due)
        if case.first_response_due
        else None,
        "status_url": status_url,
        "issued_on": timezone.localdate(),
    }
    return HTML(string=render_to_string("cases/admin/receipt_pdf.html", context)).write_pdf()
