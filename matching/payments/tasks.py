"""Background work for donations: thin tasks that load by id and act."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django_tasks import task

from matching.ledger.money import format_yuan

from .models import Donation


@task()
def donation_receipt_send(*, donation_id):
    donation = Donation.objects.filter(pk=donation_id).first()
    if donation is None or not donation.donor_email:
        return
    body = _("感谢您的捐赠 %(amount)s。您的追踪码是 %(code)s,可凭此码查看善款的去向。") % {
        "amount": format_yuan(donation.amount_minor),
        "code": donation.tracking_code,
    }
    send_mail(_("捐赠收据"), body, settings.DEFAULT_FROM_EMAIL, [donation.donor_email])


@task()
def need_raised_refresh(*, transaction_id):
    """After a ledger transaction commits: refresh the public needs it touched."""
    from .targets import need_codes_of_transaction, public_need_raised_refresh

    for code in sorted(need_codes_of_transaction(transaction_id=transaction_id)):
        public_need_raised_refresh(need_code=code)
