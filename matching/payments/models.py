"""Donations and the Stripe events that move them."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from matching.ledger.models import CURRENCY


def new_tracking_code():
    # 16 random bytes: unguessable, so the public tracking page needs no login.
    return secrets.token_urlsafe(16)


class Donation(models.Model):
    """A gift of money. Never deleted: its history and events PROTECT it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待支付")
        SUCCEEDED = "succeeded", _("已到账")
        FAILED = "failed", _("支付失败")
        EXPIRED = "expired", _("已过期")
        PARTIALLY_REFUNDED = "partially_refunded", _("部分退款")
        REFUNDED = "refunded", _("已退款")
        DISPUTED = "disputed", _("争议中")
        DISPUTE_LOST = "dispute_lost", _("争议败诉")

    class Channel(models.TextChoices):
        CARD = "card", _("银行卡（在线）")
        BANK_TRANSFER = "bank_transfer", _("银行转账")
        CASH = "cash", _("现金")

    amount_minor = models.BigIntegerField(_("金额(分)"))
    currency = models.CharField(_("币种"), max_length=3, default=CURRENCY, editable=False)
    # The ledger account the donor chose, e.g. "need:17" or "general:medical".
    target_code = models.CharField(_("捐赠对象"), max_length=64)
    anonymous = models.BooleanField(_("匿名"), default=True)
    donor_name = models.CharField(_("捐赠人"), max_length=100, blank=True)
    donor_email = models.EmailField(_("电子邮箱"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    tracking_code = models.CharField(
        _("追踪码"), max_length=32, unique=True, default=new_tracking_code, editable=False
    )
    channel = models.CharField(
        _("捐赠渠道"), max_length=16, choices=Channel.choices, default=Channel.CARD, db_index=True
    )
    # Offline gifts: the bank's transaction number or the cash receipt number.
    offline_reference = models.CharField(_("流水号/收据号"), max_length=64, blank=True)
    # The staff member who recorded an offline gift; PROTECT keeps the trail.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The confirmation page a card gift was sent from (payments.giving): sending
    # the same page again (a double click, a reload) finds this donation.
    checkout_attempt = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_checkout_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_charge_id = models.CharField(max_length=255, blank=True, db_index=True)
    # Offline pledges (认捐, payments.pledges): the code the donor writes in the
    # transfer memo, what they pledged (the amount may be confirmed for what
    # actually arrived) and when an unpaid pledge expires.
    transfer_reference = models.CharField(_("转账识别码"), max_length=8, blank=True)
    pledged_minor = models.BigIntegerField(_("认捐金额(分)"), null=True, blank=True)
    pledge_expires_at = models.DateTimeField(_("认捐有效期至"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("捐赠")
        verbose_name_plural = _("捐赠")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_minor__gt=0), name="payments_donation_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(currency=CURRENCY), name="payments_donation_currency_cny"
            ),
            models.UniqueConstraint(
                fields=["stripe_payment_intent_id"],
                condition=~models.Q(stripe_payment_intent_id=""),
                name="payments_donation_unique_payment_intent",
            ),
            # One bank transfer or cash receipt is one gift, recorded once.
            models.UniqueConstraint(
                fields=["channel", "offline_reference"],
                condition=~models.Q(offline_reference=""),
                name="payments_donation_unique_offline_reference",
            ),
            models.UniqueConstraint(
                fields=["transfer_reference"],
                condition=~models.Q(transfer_reference=""),
                name="payments_donation_unique_transfer_reference",
            ),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.get_status_display()}"

    @property
    def is_pledge(self):
        return bool(self.transfer_reference)

    @property
    def display_donor(self):
        return self.donor_name if self.donor_name and not self.anonymous else _("爱心人士")


class PledgeManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().exclude(transfer_reference="")


class Pledge(Donation):
    """Offline pledges (认捐) as staff confirm them: their own admin list and policy."""

    objects = PledgeManager()

    class Meta:
        proxy = True
        verbose_name = _("认捐")
        verbose_name_plural = _("认捐")


class DonationStatusChange(models.Model):
    """Every status change, with the reason (an event id or a staff action)."""

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Donation.Status.choices)
    to_status = models.CharField(max_length=20, choices=Donation.Status.choices)
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_status} -> {self.to_status}"


class StripeEvent(models.Model):
    """Each Stripe event id, recorded once: the webhook's dedupe and audit trail."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待处理")
        APPLIED = "applied", _("已处理")
        IGNORED = "ignored", _("无需处理")
        UNMATCHED = "unmatched", _("未找到对应捐赠")
        FAILED = "failed", _("处理失败,将重试")

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    # Stripe's own timestamp; events arrive out of order, this is when they happened.
    stripe_created = models.DateTimeField(null=True)
    received_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=16, default="webhook")
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    donation = models.ForeignKey(
        Donation, null=True, blank=True, on_delete=models.PROTECT, related_name="stripe_events"
    )
    payload = models.JSONField()
    # When the worker should (re)try applying the event; null once handled.
    due_at = models.DateTimeField(_("下次处理时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("处理次数"), default=0)
    # The exception's class only: a message may quote a donor's details.
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)
    applied_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # The worker's queue: only the events still to be handled.
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(due_at__isnull=False),
                name="payments_event_due",
            )
        ]
        verbose_name = _("Stripe 事件")
        verbose_name_plural = _("Stripe 事件")

    def __str__(self):
        return f"{self.event_id} {self.type}"


# --- recurring gifts and the donor's account (docs/ledger.md, docs/funding.md) ---------------


class RecurringGift(models.Model):
    """A monthly gift through a Stripe subscription; each paid invoice is a Donation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待开通")
        ACTIVE = "active", _("进行中")
        PAST_DUE = "past_due", _("扣款失败")
        CANCEL_REQUESTED = "cancel_requested", _("已申请取消")
        CANCELLED = "cancelled", _("已取消")
        EXPIRED = "expired", _("未开通")

    donor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("捐赠人账户"),
        on_delete=models.PROTECT,
        related_name="recurring_gifts",
    )
    amount_minor = models.BigIntegerField(_("每月金额(分)"))
    currency = models.CharField(_("币种"), max_length=3, default=CURRENCY, editable=False)
    target_code = models.CharField(_("捐赠对象"), max_length=64)
    anonymous = models.BooleanField(_("匿名"), default=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # The form page the gift was sent from: sending it again finds this gift.
    checkout_attempt = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    stripe_checkout_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=255, blank=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    # The end of the period paid last: when Stripe charges next.
    current_period_end = models.DateTimeField(_("下次扣款日期"), null=True, blank=True)
    # Stripe's time of the subscription event applied last (older ones are stale).
    stripe_state_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the donor (or Stripe) ended it: periods starting later are never counted.
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("最近扣款失败"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("月捐")
        verbose_name_plural = _("月捐")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_minor__gt=0), name="payments_recurring_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["stripe_subscription_id"],
                condition=~models.Q(stripe_subscription_id=""),
                name="payments_recurring_unique_subscription",
            ),
        ]

    def __str__(self):
        return f"{self.target_code} {self.amount_minor} {self.get_status_display()}"


class RecurringInstalment(models.Model):
    """One Stripe invoice of a recurring gift: its own Donation, recorded once."""

    donation = models.OneToOneField(
        Donation, primary_key=True, on_delete=models.PROTECT, related_name="instalment"
    )
    recurring_gift = models.ForeignKey(
        RecurringGift, on_delete=models.PROTECT, related_name="instalments"
    )
    stripe_invoice_id = models.CharField(max_length=255, unique=True)
    period_start = models.DateTimeField(_("扣款周期开始"), null=True, blank=True)

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("月捐扣款")
        verbose_name_plural = _("月捐扣款")

    def __str__(self):
        return self.stripe_invoice_id


class DonationOwner(models.Model):
    """The donor account a gift belongs to: given signed in, or claimed by e-mail."""

    class How(models.TextChoices):
        SIGNED_IN = "signed_in", _("登录后捐赠")
        CLAIMED = "claimed", _("邮箱确认认领")
        RECURRING = "recurring", _("月捐扣款")

    donation = models.OneToOneField(
        Donation, primary_key=True, on_delete=models.PROTECT, related_name="owner"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="donations_owned"
    )
    how = models.CharField(max_length=16, choices=How.choices)
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("捐赠归属")
        verbose_name_plural = _("捐赠归属")

    def __str__(self):
        return f"{self.donation_id} -> {self.user_id}"


@register_setting(icon="doc-full")
class GivingBankSettings(BaseSiteSetting):
    """The bank account donors transfer to (offline pledges), edited by city staff.

    Empty fields fall back to the GIVING_BANK_* environment settings
    (``selectors.giving_bank_account``), so a fresh site can start from them.
    """

    account_name = models.CharField(_("户名"), max_length=100, blank=True)
    bank_name = models.CharField(_("开户行"), max_length=100, blank=True)
    account_number = models.CharField(_("账号"), max_length=40, blank=True)
    note = models.CharField(
        _("转账说明"),
        max_length=255,
        blank=True,
        help_text=_("显示在捐赠人看到的收款账户下方，例如到账时间或大额转账的说明。"),
    )

    class Meta:
        verbose_name = _("收款银行账户")


class BankStatement(models.Model):
    """A bank statement uploaded to confirm pledges: previewed, then confirmed once.

    ``rows`` holds what was read from the file (date, amount in fen, memo,
    bank transaction id), never the file itself.
    """

    filename = models.CharField(_("文件名"), max_length=255)
    rows = models.JSONField(_("流水"), default=list)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("银行流水")
        verbose_name_plural = _("银行流水")
        permissions = [("confirm_pledge", _("确认认捐到账"))]

    def __str__(self):
        return self.filename
