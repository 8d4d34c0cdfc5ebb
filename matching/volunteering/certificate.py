"""The certificate of service hours as a PDF, rendered by WeasyPrint (Chinese in
Noto Sans CJK SC, as the monthly report)."""

from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import certificate_rows


def certificate_pdf(*, certificate, verify_url):
    # Imported here: WeasyPrint loads Pango at import time, which only this needs.
    from weasyprint import HTML

    tasks, months = certificate_rows(certificate)
    html = render_to_string(
        "volunteering/certificate.html",
        {
            "certificate": certificate,
            "tasks": tasks,
            "months": months,
            "issued_on": timezone.localtime(certificate.issued_at).date(),
            "verify_url": verify_url,
        },
    )
    return HTML(string=html).write_pdf()
