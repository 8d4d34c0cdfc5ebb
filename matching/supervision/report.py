"""The monthly inspection report (督查通报) as a PDF, rendered by WeasyPrint from the
same tables as the dashboard plus a summary of the month's audit trail."""

from django.template.loader import render_to_string
from django.utils import timezone

from matching.inspections.selectors import STATE_LABELS

from . import selectors
from .tables import figure_tables


def report_context(*, figures, label):
    scope = {"jurisdiction": figures.jurisdiction, "start": figures.start, "end": figures.end}
    return {
        "figures": figures,
        "tables": figure_tables(figures),
        "period_label": label,
        "generated_at": timezone.localtime(figures.computed_at),
        "audit_counts": selectors.audit_counts_by_action(**scope),
        "overdue_referrals": selectors.overdue_referrals(**scope, now=figures.computed_at),
        "recusal_entries": selectors.recusal_entries(**scope),
        "escalated_complaints": selectors.escalated_complaints(**scope),
        "inspection_findings": [
            (finding, STATE_LABELS[state]) for finding, state in figures.findings.rows
        ]
        if figures.findings is not None
        else [],
    }


def report_html(*, figures, label):
    return render_to_string("supervision/report.html", report_context(figures=figures, label=label))


def report_pdf(*, figures, label):
    """PDF bytes; Chinese is set in Noto Sans CJK SC (Debian's fonts-noto-cjk)."""
    # Imported here: WeasyPrint loads Pango at import time, which only the
    # report needs.
    from weasyprint import HTML

    return HTML(string=report_html(figures=figures, label=label)).write_pdf()
