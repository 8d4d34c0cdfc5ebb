"""Giving targets: what a donor may give to, and the ledger account of each.

- ``need``: a public ``PublicNeed`` with an amount -> ``need:<pk>``, cap = its
  ``amount_needed`` in fen;
- ``project``: a live, active project of a verified organization under no
  active dishonesty record -> ``project:<pk>``, no cap;
- ``fund``: an active fund of such an organization -> ``fund:<pk>``, no cap;
- ``general``: a category's general fund -> ``general:<category>``, no cap.

A target that closes (need unpublished, withheld or its case closed; project
closed or unpublished; fund deactivated) gets cap 0: a payment still in
flight then goes, under the displayed policy, to the category's general fund.
``giving_account_sync`` runs on every save of a need, project or fund whose
account exists or that is givable (``PaymentsConfig.ready`` connects it) and
again at giving time, so a target published before this code also works.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from matching.core.errors import DomainError
from matching.core.vocabulary import Category
from matching.directory.selectors import dishonest_organization_ids
from matching.ledger.models import Account, Entry
from matching.ledger.money import minor_to_yuan, yuan_to_minor
from matching.ledger.selectors import (
    UNRESTRICTED,
    account_summaries,
    allocation_plan,
    allocation_policy_text,
)
from matching.ledger.services import account_cap_set, account_open
from matching.offers.models import Fund, OfferStatus, Project
from matching.publication.models import PublicNeed

NEED, PROJECT, FUND, GENERAL = "need", "project", "fund", "general"
# A primary key in a URL: ASCII digits only (str.isdigit() also takes "²" and
# "①", which int() then refuses) and no more than a bigint holds.
_PK = re.compile(r"[0-9]{1,18}")
KINDS = (NEED, PROJECT, FUND, GENERAL)
_ACCOUNT_KINDS = {
    NEED: Account.Kind.NEED,
    PROJECT: Account.Kind.PROJECT,
    FUND: Account.Kind.FUND,
    GENERAL: Account.Kind.GENERAL,
}


class GivingRefused(DomainError):
    """This target takes no gift now; ``message`` says why, in Chinese."""

    def __init__(self, message, *, status=404):
        super().__init__(message)
        self.status = self.http_status = status


@dataclass(frozen=True)
class GivingTarget:
    kind: str
    ref: str
    title: str
    category: str
    # None: no cap. 0: closed (everything overflows).
    cap_minor: int | None
    open: bool = True

    @property
    def code(self):
        return f"{self.kind}:{self.ref}"

    @property
    def category_label(self):
        return category_label(self.category)


def category_label(code):
    if code in Category.values:
        return str(Category(code).label)
    return _("不限类别")


def general_fund_name(code):
    return _("%(category)s公益总基金") % {"category": category_label(code)}


# --- what is givable -----------------------------------------------------------------------


def _need_target(need):
    amount = need.amount_needed
    givable = need.is_public and bool(amount)
    return GivingTarget(
        kind=NEED,
        ref=str(need.pk),
        title=need.title,
        category=(need.categories or [""])[0],
        cap_minor=yuan_to_minor(amount) if givable else 0,
        open=givable,
    )


def _organization_open(organization):
    return organization.verified and organization.pk not in dishonest_organization_ids()


def _project_target(project):
    givable = (
        project.live
        and project.status == OfferStatus.ACTIVE
        and _organization_open(project.organization)
    )
    return GivingTarget(
        kind=PROJECT,
        ref=str(project.pk),
        title=project.title,
        category=(project.categories or [""])[0],
        cap_minor=None if givable else 0,
        open=givable,
    )


def _fund_target(fund):
    if fund.organization_id is None:
        # A government fund takes budget appropriations, never gifts: closed
        # to donors, its account left uncapped (docs/funding.md).
        return GivingTarget(
            kind=FUND,
            ref=str(fund.pk),
            title=fund.name,
            category=(fund.categories or [""])[0],
            cap_minor=None,
            open=False,
        )
    givable = fund.active and _organization_open(fund.organization)
    return GivingTarget(
        kind=FUND,
        ref=str(fund.pk),
        title=fund.name,
        category=(fund.categories or [""])[0],
        cap_minor=None if givable else 0,
        open=givable,
    )


def target_for(obj):
    """The giving target of a need, project or fund instance (open or closed)."""
    if isinstance(obj, PublicNeed):
        return _need_target(obj)
    if isinstance(obj, Project):
        return _project_target(obj)
    return _fund_target(obj)


def _lookup(kind, ref):
    if kind == GENERAL:
        if ref not in [*Category.values, UNRESTRICTED]:
            return None
        return GivingTarget(
            kind=GENERAL, ref=ref, title=general_fund_name(ref), category=ref, cap_minor=None
        )
    if not _PK.fullmatch(ref):
        return None
    model = {NEED: PublicNeed, PROJECT: Project, FUND: Fund}.get(kind)
    related = "case" if kind == NEED else "organization"
    obj = model.objects.select_related(related).filter(pk=int(ref)).first() if model else None
    return target_for(obj) if obj is not None else None


def giving_target_get(*, kind, ref):
    """The open target ``kind``/``ref``, or GivingRefused with the reason."""
    target = _lookup(kind, str(ref))
    if target is None:
        raise GivingRefused(_("未找到该捐赠对象。"))
    if kind == NEED and not target.open:
        raise GivingRefused(_("该求助已结束、未公开或不接受资金捐赠，无法捐赠。"), status=410)
    if not target.open:
        raise GivingRefused(
            _("该项目或基金已结束，或其所属组织未核验、处于失信惩戒期内，暂不接受捐赠。"),
            status=403,
        )
    return target


# --- the ledger side -----------------------------------------------------------------------


def giving_account_sync(*, target):
    """Open the target's account, or bring its cap in step with the target now."""
    account = account_open(
        code=target.code,
        kind=_ACCOUNT_KINDS[target.kind],
        name=target.title[:200],
        category=target.category,
        earmark_cap_minor=target.cap_minor,
    )
    if account.earmark_cap_minor != target.cap_minor:
        account = account_cap_set(account=account, earmark_cap_minor=target.cap_minor)
    return account


def giving_account_sync_for(obj):
    """After a need, project or fund is saved: keep its account in step.

    Opens an account only for a target that is givable; a closed one's
    existing account is capped at 0.
    """
    target = target_for(obj)
    if target.open or Account.objects.filter(code=target.code).exists():
        giving_account_sync(target=target)


@dataclass(frozen=True)
class GivingPlan:
    to_target_minor: int
    to_overflow_minor: int
    overflow_code: str
    overflow_name: str


def giving_plan(*, account, amount_minor):
    """How ``amount_minor`` would be split today between the target and its overflow."""
    plan = allocation_plan(account=account, amount_minor=amount_minor)
    category = plan.overflow_code.split(":", 1)[1]
    return GivingPlan(
        to_target_minor=plan.to_target_minor,
        to_overflow_minor=plan.to_overflow_minor,
        overflow_code=plan.overflow_code,
        overflow_name=general_fund_name(category),
    )


def giving_policy_text(*, account):
    category = account.category or UNRESTRICTED
    return allocation_policy_text(account=account, overflow_name=general_fund_name(category))


def giving_summaries(*, kind, refs):
    """{ref: AccountSummary} of raised, disbursed and balance for many targets."""
    codes = {ref: f"{kind}:{ref}" for ref in refs}
    summaries = account_summaries(codes=codes.values())
    return {ref: summaries[code] for ref, code in codes.items()}


def giving_summary(*, kind, ref):
    return giving_summaries(kind=kind, refs=[ref])[ref]


def givable_fund_list():
    """Funds the public may give to: active, of a verified, honest organization."""
    return (
        Fund.objects.filter(active=True, organization__verified=True)
        .exclude(organization_id__in=dishonest_organization_ids())
        .select_related("organization")
        .order_by("name")
    )


def need_codes_of_transactions(*, transaction_ids):
    """The ``need:<pk>`` accounts some ledger transactions touched."""
    return set(
        Entry.objects.filter(
            transaction_id__in=transaction_ids, account__kind=Account.Kind.NEED
        ).values_list("account__code", flat=True)
    )


def public_need_raised_refresh(*, need_code):
    """Copy a need's raised figure from the ledger onto the public need.

    The ledger is the truth; ``PublicNeed.raised_amount`` is the copy the
    listing cards and the public index read (saving it queues the need for
    re-indexing through the outbox). Nothing is saved when it is unchanged.
    """
    need = PublicNeed.objects.filter(pk=int(need_code.split(":", 1)[1])).first()
    if need is None:
        return False
    raised = minor_to_yuan(account_summaries(codes=[need_code])[need_code].raised_minor)
    if need.raised_amount == raised:
        return False
    need.raised_amount = raised
    # Not updated_at: a gift does not move the need up the "latest" listing.
    need.save(update_fields=["raised_amount"])
    return True


def giving_target_for_code(code):
    """The target a ledger account code names (open or closed), or None."""
    kind, _sep, ref = str(code).partition(":")
    return _lookup(kind, ref) if kind in KINDS else None


def giving_target_words(code):
    """A gift's earmark in words, e.g. "帮扶项目：助学计划" (donor pages and receipts)."""
    target = giving_target_for_code(code)
    if target is None:
        return str(code)
    if target.kind == GENERAL:
        return target.title
    kind = {NEED: _("公示求助"), PROJECT: _("帮扶项目"), FUND: _("公益基金")}[target.kind]
    return _("%(kind)s：%(title)s") % {"kind": kind, "title": target.title}
