"""The PDF receipt of a received gift (WeasyPrint), for the donor's account page.

It shows the gift, never anyone else: the amount in yuan, the date, the
earmark in words, the tracking code, the channel and the issuing body. The
donor's own name appears only if they gave under it.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from matching.ledger.money import format_yuan

from .selectors import donation_refunded_minor
from .targets import giving_target_words


def donation_receipt_pdf(*, donation, track_url):
    """The receipt as PDF bytes; the caller checks the gift is the donor's and received."""
    from weasyprint import HTML  # heavy: loaded on first use only

    refunded = donation_refunded_minor(donation=donation)
    received_at = (
        donation.status_changes.filter(to_status="succeeded")
        .values_list("created_at", flat=True)
        .first()
        or donation.created_at
    )
    context = {
        "donation": donation,
        "amount": format_yuan(donation.amount_minor),
        "refunded": format_yuan(refunded) if refunded else "",
        "received_on": timezone.localtime(received_at).date(),
        "earmark": giving_target_words(donation.target_code),
        "issuer": settings.DONATION_RECEIPT_ISSUER,
        "track_url": track_url,
        "instalment": getattr(donation, "instalment", None),
        "issued_on": timezone.localdate(),
    }
    html = render_to_string("payments/donor/receipt_pdf.html", context)
    return HTML(string=html).write_pdf()
