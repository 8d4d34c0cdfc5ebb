"""A double-entry, append-only ledger of the money the platform holds.

Amounts are integers in minor units (fen); every transaction's entries sum
to zero; balances are never stored, always summed from entries. The
database itself refuses unbalanced transactions and any UPDATE or DELETE of
posted rows (see the RunSQL migration), so a bug in Python cannot rewrite
history: corrections are new, reversing transactions.

Sign convention: a positive balance is money held for (or paid to) that
account's purpose; the source accounts money comes from (``stripe:clearing``,
``offline:clearing``) go negative by what they brought in. The balances of
all accounts therefore always sum to zero.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

CURRENCY = "cny"


class Account(models.Model):
    class Kind(models.TextChoices):
        NEED = "need", _("救助需求")
        PROJECT = "project", _("帮扶项目")
        FUND = "fund", _("公益基金")
        GENERAL = "general", _("类别总基金")
        CLEARING = "clearing", _("清算(资金来源)")
        # A department's budget line (``budget:<department pk>``): the source a
        # government fund's appropriations come from; goes negative by them.
        BUDGET = "budget", _("财政预算(资金来源)")
        REFUNDS = "refunds", _("已退款")
        DISPUTES = "disputes", _("争议冻结")
        DISBURSED = "disbursed", _("已拨付")

    # e.g. "need:17", "project:3", "fund:5", "general:medical", "stripe:clearing".
    code = models.CharField(
        _("账户代码"),
        max_length=64,
        unique=True,
        validators=[RegexValidator(r"^[a-z_]+(:[a-z0-9_-]+)?$")],
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=200, blank=True)
    # The assistance category (BRIEF "8+1" code); decides where overflow goes.
    category = models.CharField(_("救助类别"), max_length=32, blank=True)
    # The most that may ever be earmarked here (for a need: what it still
    # needs). Null means no cap: a general fund takes any amount.
    earmark_cap_minor = models.BigIntegerField(_("可指定金额上限(分)"), null=True, blank=True)
    currency = models.CharField(_("币种"), max_length=3, default=CURRENCY, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("台账账户")
        verbose_name_plural = _("台账账户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(earmark_cap_minor__isnull=True)
                | models.Q(earmark_cap_minor__gte=0),
                name="ledger_account_cap_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(currency=CURRENCY), name="ledger_account_currency_cny"
            ),
        ]

    def __str__(self):
        return self.name or self.code


class Transaction(models.Model):
    class Kind(models.TextChoices):
        DONATION = "donation", _("捐赠入账")
        REFUND = "refund", _("退款")
        DISPUTE = "dispute", _("争议冻结")
        DISPUTE_RELEASE = "dispute_release", _("争议解除")
        DISBURSEMENT = "disbursement", _("拨付")
        REVERSAL = "reversal", _("冲正")
        APPROPRIATION = "appropriation", _("财政拨入")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    memo = models.CharField(_("摘要"), max_length=255, blank=True)
    # Posting twice with the same key is a no-op: webhooks and retries
    # converge on one transaction.
    idempotency_key = models.CharField(max_length=128, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # PROTECT, not SET_NULL: nulling the column would be an UPDATE, which the
    # database refuses on posted transactions.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("台账交易")
        verbose_name_plural = _("台账交易")

    def __str__(self):
        return f"{self.get_kind_display()} {self.idempotency_key}"


class Entry(models.Model):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount_minor = models.BigIntegerField(_("金额(分)"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("台账分录")
        verbose_name_plural = _("台账分录")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount_minor=0), name="ledger_entry_not_zero"
            ),
        ]

    def __str__(self):
        return f"{self.account.code} {self.amount_minor:+d}"
