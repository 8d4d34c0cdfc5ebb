"""Following a gift: where money sits (an account's place in words), the
steps of a donation's or an in-kind gift's path, shown on the public tracking page."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.core.vocabulary import Category
from matching.directory.models import Jurisdiction
from matching.ledger.models import Account, Transaction
from matching.offers.models import Fund, Project
from matching.payments.selectors import (
    donation_get_by_tracking_code,
    donation_holdings,
    donation_tracking_steps,
)
from matching.publication.models import PublicNeed

from ..models import InKindGift, PayeeKind
from .accounts import account_fifo_allocation, public_need_of_case

ACCOUNT_PREFIXES = {"need", "project", "fund", "general"}


@dataclass(frozen=True)
class AccountPlace:
    """What the public may know about a ledger account: kind, category, district."""

    kind_label: str
    category_label: str
    district_name: str


@dataclass(frozen=True)
class PublicStep:
    when: datetime.datetime | datetime.date
    kind: str
    label: str
    amount_minor: int | None
    place: AccountPlace | None = None
    purpose: str = ""


def category_label(code):
    if not code:
        return ""
    try:
        return str(Category(code).label)
    except ValueError:
        return _("综合")


def need_for_account_code(code):
    """The PublicNeed behind ``need:<id>``, or None (the id is the public need's)."""
    prefix, _sep, ref = code.partition(":")
    if prefix != "need" or not ref.isdigit():
        return None
    return PublicNeed.objects.select_related("district").filter(pk=int(ref)).first()


def account_place(*, account):
    """Kind, category and district of an account, as the public pages show them."""
    district = ""
    if account.kind == Account.Kind.NEED:
        need = need_for_account_code(account.code)
        district = need.district.name if need is not None else ""
    return AccountPlace(
        kind_label=str(Account.Kind(account.kind).label)
        if account.kind in Account.Kind.values
        else "",
        category_label=category_label(account.category),
        district_name=district,
    )


_LEDGER_STEP_LABELS = {
    Transaction.Kind.DONATION: gettext_lazy("定向入账"),
    Transaction.Kind.REFUND: gettext_lazy("退款"),
    Transaction.Kind.DISPUTE: gettext_lazy("争议冻结"),
    Transaction.Kind.DISPUTE_RELEASE: gettext_lazy("争议解除"),
    Transaction.Kind.REVERSAL: gettext_lazy("冲正"),
}


def _ledger_steps(donation):
    accounts = {}
    steps = []
    for step in donation_tracking_steps(donation=donation):
        # Only the positive side of each movement: where the money went.
        if step.amount_minor <= 0:
            continue
        account = accounts.get(step.account_code)
        if account is None:
            account = Account.objects.get(code=step.account_code)
            accounts[step.account_code] = account
        steps.append(
            PublicStep(
                when=step.when,
                kind=step.kind,
                label=str(_LEDGER_STEP_LABELS.get(step.kind, step.kind)),
                amount_minor=step.amount_minor,
                place=account_place(account=account),
            )
        )
    return steps


@dataclass(frozen=True)
class GiftTarget:
    """What a gift was earmarked to, as the public may name it: a published
    need, a project, a fund or a category's general fund (``ref`` is the
    account code's id part; ``title`` is empty when the need is no longer public)."""

    kind: str
    ref: str
    title: str
    amount_minor: int | None = None


@dataclass(frozen=True)
class GiftPath:
    kind: str  # "donation" or "in_kind"
    received_at: datetime.datetime | None
    amount_minor: int | None
    status_label: str
    steps: list
    description: str = ""
    targets: tuple = ()

    @property
    def disbursed_minor(self):
        return sum(step.amount_minor or 0 for step in self.steps if step.kind == "disbursed")

    @property
    def held_minor(self):
        """Earmarked and not yet paid out (fen); None for goods."""
        if self.kind != "donation":
            return None
        earmarked = sum(target.amount_minor or 0 for target in self.targets)
        return max(earmarked - self.disbursed_minor, 0)

    @property
    def stage(self):
        """Where the gift is now, in one word: pending, received, earmarked,
        disbursed (or delivered, for goods) or confirmed."""
        kinds = {step.kind for step in self.steps}
        for stage in ("confirmed", "disbursed", "delivered"):
            if stage in kinds:
                return stage
        if self.targets:
            return "earmarked"
        return "received" if self.received_at else "pending"


def gift_path_get(*, tracking_code):
    """The public path of one gift by its tracking code, or None if unknown."""
    donation = donation_get_by_tracking_code(tracking_code=tracking_code)
    if donation is None:
        return _in_kind_path(tracking_code)
    ledger_steps = _ledger_steps(donation)
    steps = ledger_steps + _payout_steps(donation)
    holdings = donation_holdings(donation=donation)
    return GiftPath(
        kind="donation",
        received_at=ledger_steps[0].when if ledger_steps else None,
        amount_minor=donation.amount_minor,
        status_label=str(donation.get_status_display()),
        steps=steps,
        targets=tuple(
            gift_target(code=code, amount_minor=amount)
            for code, amount in holdings.items()
            if amount > 0 and code.partition(":")[0] in ACCOUNT_PREFIXES
        ),
    )


def gift_target(*, code, amount_minor=None):
    """The public name of what ``need:7``, ``project:3``, ``fund:2`` or ``general:medical`` is."""
    kind, _sep, ref = code.partition(":")
    if kind == "need":
        need = PublicNeed.objects.public().filter(pk=int(ref)).first() if ref.isdigit() else None
        title = need.title if need is not None else ""
    elif kind == "project":
        title = Project.objects.filter(pk=ref).values_list("title", flat=True).first() or ""
    elif kind == "fund":
        title = Fund.objects.filter(pk=ref).values_list("name", flat=True).first() or ""
    else:
        title = _("%(category)s总基金") % {"category": category_label(ref)}
    return GiftTarget(kind=kind, ref=ref, title=title, amount_minor=amount_minor)


def _need_place(match):
    need = public_need_of_case(match.need)
    if need is None:
        categories, district = match.need.categories, _district_name(match.need.jurisdiction)
    else:
        categories, district = need.categories, need.district.name
    return AccountPlace(
        kind_label=str(Account.Kind.NEED.label),
        category_label=category_label(categories[0] if categories else ""),
        district_name=district,
    )


def _district_name(jurisdiction):
    code = jurisdiction.district_code
    found = Jurisdiction.objects.filter(code=code).values_list("name", flat=True).first()
    return found or ""


def _disbursement_steps(payout, share):
    steps = [
        PublicStep(
            when=payout.posted_at,
            kind="disbursed",
            label=_("已拨付"),
            amount_minor=share,
            place=_need_place(payout.match),
            purpose=_("支付给%(payee)s") % {"payee": PayeeKind(payout.payee_kind).label},
        )
    ]
    confirmation = getattr(payout, "confirmation", None)
    if confirmation is not None and confirmation.confirmed_at:
        steps.append(_confirmed_step(confirmation))
    return steps


def _confirmed_step(confirmation):
    return PublicStep(
        when=timezone.localdate(confirmation.confirmed_at),
        kind="confirmed",
        label=_("受助方已确认收到"),
        amount_minor=None,
    )


def _payout_steps(donation):
    source = f"donation-{donation.pk}"
    steps = []
    codes = [code for code, amount in donation_holdings(donation=donation).items()]
    for account in Account.objects.filter(code__in=codes, kind__in=list(ACCOUNT_KINDS_HELD)):
        for payout, share in account_fifo_allocation(account=account).get(source, []):
            steps.extend(_disbursement_steps(payout, share))
    return steps


ACCOUNT_KINDS_HELD = {
    Account.Kind.NEED,
    Account.Kind.PROJECT,
    Account.Kind.FUND,
    Account.Kind.GENERAL,
}


def government_fund_codes():
    """Ledger codes of government funds: budget money, not donors' (善款), so the
    public transparency figures leave them out (docs/funding.md)."""
    pks = Fund.objects.filter(source="government").values_list("pk", flat=True)
    return [f"fund:{pk}" for pk in pks]


def _in_kind_path(tracking_code):
    gift = (
        InKindGift.objects.select_related("need__district", "project", "confirmation")
        .filter(tracking_code=tracking_code)
        .first()
    )
    if gift is None:
        return None
    steps = [
        PublicStep(
            when=gift.received_at,
            kind="earmarked",
            label=_("定向捐赠"),
            amount_minor=None,
            place=_in_kind_place(gift),
        )
    ]
    if gift.delivered_at:
        steps.append(
            PublicStep(
                when=gift.delivered_at, kind="delivered", label=_("已送达"), amount_minor=None
            )
        )
    confirmation = getattr(gift, "confirmation", None)
    if confirmation is not None and confirmation.confirmed_at:
        steps.append(_confirmed_step(confirmation))
    target = (
        GiftTarget(kind="need", ref=str(gift.need_id), title=gift.need.title)
        if gift.need_id and PublicNeed.objects.public().filter(pk=gift.need_id).exists()
        else GiftTarget(kind="project", ref=str(gift.project_id), title=gift.project.title)
        if gift.project_id
        else None
    )
    return GiftPath(
        kind="in_kind",
        targets=(target,) if target else (),
        received_at=gift.received_at,
        amount_minor=gift.estimated_value_minor,
        status_label=str(gift.get_status_display()),
        steps=steps,
        description=f"{gift.items} {gift.quantity.normalize():f}{gift.unit}",
    )


def _in_kind_place(gift):
    if gift.need_id:
        categories = gift.need.categories
        return AccountPlace(
            kind_label=str(Account.Kind.NEED.label),
            category_label=category_label(categories[0] if categories else ""),
            district_name=gift.need.district.name,
        )
    categories = gift.project.categories
    return AccountPlace(
        kind_label=str(Account.Kind.PROJECT.label),
        category_label=category_label(categories[0] if categories else ""),
        district_name="",
    )
