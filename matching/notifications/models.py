"""The inbox, each user's choices and the outgoing e-mails and text messages."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.core.fields import EncryptedTextField
from matching.core.validators import validate_phone


class EventKind(models.TextChoices):
    """What a message is about; each user picks channels per kind."""

    MATCH_PROPOSED = "match_proposed", _("新的匹配建议")
    MATCH_DECIDED = "match_decided", _("匹配审批结果")
    CASE_STATUS = "case_status", _("救助申请进度")
    REFERRAL = "referral", _("转办事项与办理时限")
    DISBURSEMENT = "disbursement", _("待确认的拨付与交付")
    DONATION = "donation", _("捐赠与认捐到账")
    COMPLAINT = "complaint", _("投诉举报进度")
    EMERGENCY = "emergency", _("救急难与主动发现报告")
    APPROVAL = "approval", _("待审批与回避转办")
    ORGANIZATION = "organization", _("组织核验与定期报告")


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


# What a user receives before choosing anything: inbox and e-mail, no texts.
DEFAULT_CHANNELS = (Channel.INBOX, Channel.EMAIL)


class NotificationSettings(models.Model):
    """One user's language, channels per event kind, phone and SMS quiet hours."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    language = models.CharField(
        _("消息语言"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    phone = EncryptedTextField(_("接收短信的手机号"), blank=True, validators=[validate_phone])
    channels = models.JSONField(_("各类消息的接收方式"), default=dict, blank=True)
    quiet_start = models.TimeField(_("短信免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("短信免打扰结束"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self):
        return str(_("通知设置"))

    def channels_for(self, kind):
        chosen = self.channels.get(kind)
        return set(DEFAULT_CHANNELS if chosen is None else chosen)


class Message(models.Model):
    """One message in one user's inbox, already in that user's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=EventKind.choices)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")

    def __str__(self):
        return self.subject


class Delivery(models.Model):
    """An e-mail or text message on its way; sent by a background task.

    The address and the text are encrypted at rest: a text to an applicant
    carries the receipt number, half of the status-lookup credentials.
    """

    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    address = EncryptedTextField()
    subject = models.CharField(max_length=200, blank=True)
    text = EncryptedTextField()
    # The gateway's template variables (SMS gateways in China send approved templates only).
    template_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    not_before = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The exception's class only: a gateway's message may quote the number.
    last_error = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.channel} delivery {self.pk}"
