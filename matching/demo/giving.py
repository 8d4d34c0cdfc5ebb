"""Demo giving: the receiving bank account (invented) and one pledge awaiting
its transfer, so the offline pledge can be tried end to end in the demo.

Idempotent: the account is set only while empty, and the pledge is made from
a fixed confirmation-page id (``attempt``), which a second run finds.
"""

import uuid

from wagtail.models import Site

from matching.payments.models import Donation, GivingBankSettings
from matching.payments.pledges import pledge_create
from matching.payments.targets import giving_target_get
from matching.publication.models import PublicNeed

# Invented: no such account exists.
DEMO_BANK = {
    "account_name": "长春市慈善总会（演示）",
    "bank_name": "中国工商银行长春人民大街支行（演示）",
    "account_number": "0000 2201 0000 2026 000",
    "note": "演示账户，请勿真实转账。工作日转账一般当日到账，大额转账请致电 12345 告知。",
}
DEMO_PLEDGE_ATTEMPT = uuid.UUID("6d0c2b1e-0000-4000-8000-000000002026")


def seed_bank_account():
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    bank, _created = GivingBankSettings.objects.get_or_create(site=site)
    if not bank.account_number:
        for name, value in DEMO_BANK.items():
            setattr(bank, name, value)
        bank.save()
    return bank


def seed_pledge():
    """A 500-yuan anonymous pledge to the first public need; None if none is public."""
    found = Donation.objects.filter(checkout_attempt=DEMO_PLEDGE_ATTEMPT).first()
    if found is not None:
        return found
    need = PublicNeed.objects.public().order_by("pk").first()
    if need is None:
        return None
    target = giving_target_get(kind="need", ref=str(need.pk))
    donor = {"anonymous": True, "donor_name": "", "donor_email": ""}
    return pledge_create(
        target=target, amount_minor=50_000, donor=donor, attempt=DEMO_PLEDGE_ATTEMPT
    )


def seed_giving():
    seed_bank_account()
    return seed_pledge()
