"""Money out and what happens after a gift: disbursements toward approved
matches, the household's confirmation of receipt, in-kind gifts and
volunteer hours.

Amounts are integers in fen (``*_minor``); the ledger (``matching.ledger``)
holds the money itself and every balance is summed from its entries.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.ledger.models import Account, Transaction
from matching.offers.models import Match, Project, Volunteer
from matching.publication.models import PublicNeed


def new_tracking_code():
    # The same shape as a donation's: unguessable, so the page needs no login.
    return secrets.token_urlsafe(16)


def new_confirmation_reference():
    # Printed on the receipt slip beside the code; not a secret on its own.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "R" + "".join(secrets.choice(alphabet) for _ in range(9))


class PayeeKind(models.TextChoices):
    HOSPITAL = "hospital", _("医院")
    SCHOOL = "school", _("学校")
    LANDLORD = "landlord", _("房东")
    HOUSEHOLD = "household", _("受助家庭")
    SUPPLIER = "supplier", _("供货商")


class Disbursement(models.Model):
    """A payout from an earmarked ledger account toward an approved match."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待复核")
        APPROVED = "approved", _("待拨付")
        POSTED = "posted", _("已拨付")
        CANCELLED = "cancelled", _("已撤销")

    match = models.ForeignKey(
        Match, verbose_name=_("匹配"), on_delete=models.PROTECT, related_name="disbursements"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("支出账户"), on_delete=models.PROTECT, related_name="+"
    )
    amount_minor = models.BigIntegerField(_("金额(分)"))
    payee_kind = models.CharField(_("收款方类型"), max_length=16, choices=PayeeKind.choices)
    # Staff-only: never shown on a public page (docs/funding.md).
    payee_name = models.CharField(_("收款方名称"), max_length=120)
    invoice_number = models.CharField(_("发票/凭证号"), max_length=64, blank=True)
    evidence = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("凭证文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("用途说明"), max_length=255, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    # Set only when the amount needs a second pair of eyes.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("拨付人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("拨付时间"), null=True, blank=True, db_index=True)
    transaction = models.OneToOneField(
        Transaction,
        verbose_name=_("台账交易"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursement",
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("拨付")
        verbose_name_plural = _("拨付")
        permissions = [
            ("approve_disbursement", _("复核大额拨付")),
            ("post_disbursement", _("执行拨付")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_minor__gt=0), name="funding_disbursement_amount_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(invoice_number="") | models.Q(evidence__isnull=False),
                name="funding_disbursement_has_evidence",
            ),
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("requested_by")),
                name="funding_disbursement_four_eyes",
            ),
        ]

    def __str__(self):
        return f"{_('拨付')} #{self.pk} {self.get_status_display()}"


class InKindGift(models.Model):
    """A gift of goods: items, quantity, estimated value, and its delivery."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待送达")
        DELIVERED = "delivered", _("已送达")
        CONFIRMED = "confirmed", _("受助方已确认")

    items = models.CharField(_("物资"), max_length=120)
    quantity = models.DecimalField(
        _("数量"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit = models.CharField(_("单位"), max_length=16)
    estimated_value_minor = models.BigIntegerField(_("估值(分)"))
    anonymous = models.BooleanField(_("匿名"), default=True)
    donor_name = models.CharField(_("捐赠人"), max_length=100, blank=True)
    need = models.ForeignKey(
        PublicNeed,
        verbose_name=_("受赠求助"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="in_kind_gifts",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("受赠项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="in_kind_gifts",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    tracking_code = models.CharField(
        _("追踪码"), max_length=32, unique=True, default=new_tracking_code, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("物资捐赠")
        verbose_name_plural = _("物资捐赠")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estimated_value_minor__gte=0),
                name="funding_in_kind_value_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(need__isnull=False, project__isnull=True)
                | models.Q(need__isnull=True, project__isnull=False),
                name="funding_in_kind_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.items} × {self.quantity:g}{self.unit}"

    @property
    def display_donor(self):
        return self.donor_name if self.donor_name and not self.anonymous else _("爱心人士")


class ReceiptConfirmation(models.Model):
    """The household's confirmation of a delivery by a one-time code.

    Only an HMAC of the code is stored; the code itself is shown to staff
    (or sent by text message) once, when issued.
    """

    disbursement = models.OneToOneField(
        Disbursement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmation",
    )
    in_kind_gift = models.OneToOneField(
        InKindGift,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="confirmation",
    )
    reference = models.CharField(
        _("确认编号"), max_length=12, unique=True, default=new_confirmation_reference
    )
    code_hash = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("发码时间"))
    expires_at = models.DateTimeField(_("有效期至"))
    failed_attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    delivered_at = models.DateTimeField(_("交付时间"), db_index=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True, db_index=True)
    flagged_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)

    class Meta:
        ordering = ["-delivered_at"]
        verbose_name = _("受助确认")
        verbose_name_plural = _("受助确认")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(disbursement__isnull=False, in_kind_gift__isnull=True)
                | models.Q(disbursement__isnull=True, in_kind_gift__isnull=False),
                name="funding_confirmation_one_delivery",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def locked(self):
        return self.failed_attempts >= settings.CONFIRMATION_MAX_ATTEMPTS


class VolunteerHours(models.Model):
    """Hours a volunteer gave on a match, confirmed by their organization."""

    class Status(models.TextChoices):
        LOGGED = "logged", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        REJECTED = "rejected", _("已驳回")

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="hours"
    )
    match = models.ForeignKey(
        Match, verbose_name=_("匹配"), on_delete=models.PROTECT, related_name="volunteer_hours"
    )
    date = models.DateField(_("服务日期"))
    hours = models.DecimalField(
        _("时长(小时)"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    note = models.CharField(_("服务内容"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.LOGGED, db_index=True
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    logged_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_reason = models.CharField(_("驳回理由"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "-logged_at"]
        verbose_name = _("志愿服务时长")
        verbose_name_plural = _("志愿服务时长")
        permissions = [("confirm_volunteerhours", _("确认志愿服务时长"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0) & models.Q(hours__lte=24),
                name="funding_volunteer_hours_range",
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} {self.date} {self.hours}h"
