"""The minutes of a joint meeting (会议纪要) as PDF (WeasyPrint, as the receipts).

The minutes circulate to every member department, so the applicant appears
only by receipt number and masked name; no ID number, phone or address.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import pgettext

from .selectors import minutes_rows


def meeting_minutes_pdf(*, meeting):
    """The minutes as PDF bytes; the caller checks the reader may read the meeting."""
    from weasyprint import HTML  # heavy: loaded on first use only

    context = {
        "meeting": meeting,
        "held_at": timezone.localtime(meeting.held_at),
        "members": [department.name for department in meeting.body.members.all()],
        "sep": pgettext("list separator", "、"),
        "rows": minutes_rows(meeting=meeting),
        "issued_on": timezone.localdate(),
    }
    html = render_to_string("coordination/minutes_pdf.html", context)
    return HTML(string=html).write_pdf()
