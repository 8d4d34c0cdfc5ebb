"""The city-wide circular (通报) of one inspection: its findings by unit and
where each rectification stands. Units, problems and states only: never an
applicant's name, number, phone or address (the finding's description is
entered under that rule, and the circular names no case)."""

from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import STATE_LABELS, finding_state


def circular_context(*, inspection, now=None):
    now = now or timezone.now()
    findings = inspection.findings.select_related("unit", "department").order_by(
        "place_path", "recorded_at", "pk"
    )
    rows = [(finding, STATE_LABELS[finding_state(finding, now=now)]) for finding in findings]
    return {"inspection": inspection, "rows": rows, "generated_at": timezone.localtime(now)}


def circular_html(*, inspection, now=None):
    return render_to_string(
        "inspections/circular.html", circular_context(inspection=inspection, now=now)
    )


def circular_pdf(*, inspection, now=None):
    """PDF bytes, set in Noto Sans CJK like the monthly report."""
    from weasyprint import HTML  # loads Pango at import: only the circular needs it

    return HTML(string=circular_html(inspection=inspection, now=now)).write_pdf()
