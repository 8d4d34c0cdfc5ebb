"""Background work for donations: thin tasks that load by id and act."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django_tasks import task

from matching.ledger.money import format_yuan

from .models import Donation
from .selectors import giving_bank_account
from .targets import need_codes_of_transactions, public_need_raised_refresh


@task()
def donation_receipts_send(*, donation_ids):
    """One receipt e-mail per donation; the webhook worker enqueues a batch at once."""
    for donation in Donation.objects.filter(pk__in=donation_ids).order_by("pk"):
        if not donation.donor_email:
            continue
        body = _("感谢您的捐赠 %(amount)s。您的追踪码是 %(code)s,可凭此码查看善款的去向。") % {
            "amount": format_yuan(donation.amount_minor),
            "code": donation.tracking_code,
        }
        send_mail(_("捐赠收据"), body, settings.DEFAULT_FROM_EMAIL, [donation.donor_email])


@task()
def pledge_instructions_send(*, donation_id):
    """The pledge's transfer details by e-mail, for a donor who gave an address."""
    donation = Donation.objects.filter(pk=donation_id).exclude(transfer_reference="").first()
    if donation is None or not donation.donor_email:
        return
    bank = giving_bank_account()
    body = _(
        "感谢您的认捐。请向以下账户转账 %(amount)s，并在附言中填写转账识别码 %(reference)s。\n"
        "户名：%(account_name)s\n开户行：%(bank_name)s\n账号：%(account_number)s\n"
        "请在 %(expires)s 前转账。工作人员核对到账后入账；您的追踪码是 %(code)s，"
        "可凭此码查看善款的去向。"
    ) % {
        "amount": format_yuan(donation.amount_minor),
        "reference": donation.transfer_reference,
        "account_name": bank.account_name,
        "bank_name": bank.bank_name,
        "account_number": bank.account_number,
        "expires": donation.pledge_expires_at.date().isoformat(),
        "code": donation.tracking_code,
    }
    send_mail(_("认捐转账信息"), body, settings.DEFAULT_FROM_EMAIL, [donation.donor_email])


@task()
def need_raised_refresh(*, transaction_ids):
    """After ledger transactions commit: refresh the public needs they touched."""
    for code in sorted(need_codes_of_transactions(transaction_ids=transaction_ids)):
        public_need_raised_refresh(need_code=code)


@task()
def stripe_reconcile():
    """What ``manage.py reconcile_stripe`` does; nothing while no Stripe key is set (the demo)."""
    if not settings.STRIPE_SECRET_KEY:
        return None
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("reconcile_stripe", stdout=out)
    return out.getvalue().strip()
