"""Complaints and reports (投诉举报) from the public, routed to the unit that answers them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.cases.fields import EncryptedTextField
from matching.directory.models import Jurisdiction


class Complaint(models.Model):
    class Subject(models.TextChoices):
        CASE_HANDLING = "case_handling", _("救助案件办理")
        CHARITY = "charity", _("社会组织")
        VOLUNTEER = "volunteer", _("志愿者")
        STAFF = "staff", _("工作人员")

    class Status(models.TextChoices):
        ROUTED = "routed", _("已转办")
        IN_PROGRESS = "in_progress", _("办理中")
        CONCLUDED = "concluded", _("已办结")

    class Outcome(models.TextChoices):
        SUBSTANTIATED = "substantiated", _("情况属实，已处理")
        PARTLY = "partly", _("部分属实，已处理")
        UNSUBSTANTIATED = "unsubstantiated", _("经核查不属实")
        OUT_OF_SCOPE = "out_of_scope", _("不属于受理范围，已告知")

    receipt_number = models.CharField(_("受理编号"), max_length=20, unique=True)
    # The reporter's 4-digit follow-up code, hashed like a password.
    follow_code_hash = models.CharField(max_length=128, editable=False)
    subject_kind = models.CharField(
        _("投诉对象类别"), max_length=20, choices=Subject.choices, db_index=True
    )
    subject_name = models.CharField(
        _("投诉对象"),
        max_length=120,
        blank=True,
        help_text=_("例如：受理编号、组织名称、工作人员姓名或工号。"),
    )
    place = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("发生地"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The district the place falls under: the unit of the published statistics.
    district = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("所属区县"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("投诉举报内容"))
    contact_name = EncryptedTextField(_("联系人"), blank=True)
    contact_phone = EncryptedTextField(_("联系电话"), blank=True)
    routed_to = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    filed_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("办理时限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ROUTED, db_index=True
    )
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("督办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_complaints",
    )
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome.choices, blank=True)
    reply = models.TextField(
        _("答复意见"), blank=True, help_text=_("投诉人凭受理编号可见；不得包含他人个人信息。")
    )
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="concluded") | ~models.Q(outcome=""),
                name="concluded_complaint_has_outcome",
            )
        ]

    def __str__(self):
        return self.receipt_number

    @property
    def anonymous(self):
        return not (self.contact_name or self.contact_phone)

    def is_overdue(self, now=None):
        return self.status != self.Status.CONCLUDED and self.due_at < (now or timezone.now())
