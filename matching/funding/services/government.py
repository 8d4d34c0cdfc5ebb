"""Government funds (临时救助资金 and other budget lines) in the same ledger as
social money (docs/funding.md, "Government funds").

A government fund is an ``offers.Fund`` with ``source="government"``, owned by
a department. Budget money comes in by appropriation (``budget:<department>``
-> ``fund:<pk>``), is matched and paid out through the very same match
approval, disbursement, four-eyes and recusal rules as charity money, and is
earmarked: it pays only needs of the categories the fund names (专款专用,
``government_money_for_its_purpose``, one of the disbursement rules).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matching.audit.models import AuditEntry
from matching.audit.services import audit_record
from matching.core.vocabulary import Category
from matching.directory.selectors import staff_profile
from matching.ledger.models import Account, Transaction
from matching.ledger.services import account_open, transaction_post
from matching.offers.models import Fund

FUND_PREFIX = "fund:"
MAX_REFERENCE = 60


def government_fund_of_account(account):
    """The government fund whose ledger account this is, or None."""
    code = account.code
    if not code.startswith(FUND_PREFIX) or not code[len(FUND_PREFIX) :].isdigit():
        return None
    pk = int(code[len(FUND_PREFIX) :])
    return Fund.objects.filter(pk=pk, source="government").first()


def government_fund_account(*, fund):
    return account_open(
        code=f"{FUND_PREFIX}{fund.pk}",
        kind=Account.Kind.FUND,
        name=fund.name[:200],
        category=(fund.categories or [""])[0],
    )


def budget_account(*, department):
    return account_open(
        code=f"budget:{department.pk}",
        kind=Account.Kind.BUDGET,
        name=department.name[:200],
    )


def _category_names(codes):
    labels = dict(Category.choices)
    return _("、").join(str(labels.get(code, code)) for code in codes)


def government_money_for_its_purpose(disbursement, actor):
    """专款专用: a government fund's money pays only needs of the categories it names."""
    fund = government_fund_of_account(disbursement.account)
    if fund is None:
        return None
    if set(disbursement.match.need.categories) & set(fund.categories):
        return None
    return _(
        "专款专用：“%(fund)s”只能用于%(categories)s，本求助不属于这些救助类别，不能从该资金拨付。"
    ) % {"fund": fund.name, "categories": _category_names(fund.categories)}


def _may_appropriate(actor, fund):
    """Civil-affairs staff of the department's jurisdiction or above."""
    profile = staff_profile(actor)
    if profile is None or profile.jurisdiction_id is None:
        return False
    own = profile.jurisdiction.path
    there = fund.department.jurisdiction.path
    return there == own or there.startswith(own + "/")


def government_fund_appropriate(*, fund, amount_minor, reference, actor):
    """Budget money into a government fund, once per budget document ``reference``.

    Posts ``budget:<department>`` -> ``fund:<pk>`` (balanced, keyed
    ``appropriation-<fund>-<reference>``) and raises the fund's balance, which
    the matcher offers. Returns the ledger transaction.
    """
    reference = (reference or "").strip()
    if type(amount_minor) is not int or amount_minor <= 0:
        raise ValidationError(_("拨入金额必须是大于零的整数（分）。"))
    if not reference or len(reference) > MAX_REFERENCE or "\x00" in reference:
        raise ValidationError(_("请填写拨款文号（不超过 60 个字符）。"))
    if not fund.is_government:
        raise ValidationError(_("只有政府资金可以接收财政拨款，社会资金来自捐赠。"))
    if not _may_appropriate(actor, fund):
        raise PermissionDenied(_("您无权为该部门的资金办理拨款。"))
    with transaction.atomic():
        fund = Fund.objects.select_for_update().get(pk=fund.pk)
        posted, created = transaction_post(
            kind=Transaction.Kind.APPROPRIATION,
            idempotency_key=f"appropriation-{fund.pk}-{reference}"[:128],
            lines=[
                (budget_account(department=fund.department), -amount_minor),
                (government_fund_account(fund=fund), amount_minor),
            ],
            memo=f"appropriation to fund {fund.pk}",
            created_by=actor,
        )
        if created:
            fund.balance += Decimal(amount_minor) / 100
            fund.full_clean()
            fund.save()
            audit_record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                obj=fund,
                summary=f"appropriation {amount_minor} fen to fund {fund.pk}",
                after={"amount_minor": amount_minor},
                jurisdiction=fund.department.jurisdiction,
            )
    return posted
