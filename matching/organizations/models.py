"""Charities' registration and vetting, their delivery reports and the periodic
report a verified organization owes (docs/organizations.md)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.core.fields import EncryptedTextField
from matching.core.files import PrivateStorage
from matching.directory.models import Organization


def private_storage():
    return PrivateStorage()


class Vetting(models.Model):
    """An organization's registration file and where its verification stands."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        MORE_REQUESTED = "more_requested", _("待补充材料")
        VERIFIED = "verified", _("已核验")
        REFUSED = "refused", _("未通过")
        EXPIRED = "expired", _("核验已过期")

    organization = models.OneToOneField(
        Organization, verbose_name=_("社会组织"), on_delete=models.PROTECT, related_name="vetting"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    certificate = models.FileField(
        _("登记证书"), storage=private_storage, upload_to="organizations/certificates/%Y/"
    )
    contact_name = EncryptedTextField(_("联系人姓名"))
    contact_phone = EncryptedTextField(_("联系人手机"))
    contact_email = EncryptedTextField(_("联系人电子邮箱"))
    reason = models.TextField(_("审核意见"), blank=True)
    answer = models.TextField(_("组织的补充说明"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    verified_until = models.DateField(_("核验有效期至"), null=True, blank=True)
    renewal_reminded = models.BooleanField(_("已提醒续期"), default=False)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("社会组织核验")
        verbose_name_plural = _("社会组织核验")

    def __str__(self):
        return f"{self.organization} · {self.get_status_display()}"


class VettingEvent(models.Model):
    """One step of a vetting: who did what, when, and why (append-only)."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("提交注册")
        MORE_REQUESTED = "more_requested", _("要求补充材料")
        ANSWERED = "answered", _("补充材料并重新提交")
        VERIFIED = "verified", _("核验通过")
        REFUSED = "refused", _("不予核验")
        RENEWAL_REQUESTED = "renewal_requested", _("申请续期")
        RENEWAL_REMINDED = "renewal_reminded", _("提醒续期")
        EXPIRED = "expired", _("核验过期")

    vetting = models.ForeignKey(Vetting, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("动作"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("核验记录")
        verbose_name_plural = _("核验记录")

    def __str__(self):
        return f"{self.vetting_id} {self.action}"


class DeliveryReport(models.Model):
    """What an organization delivered, with photos; public only after staff review."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        PUBLISHED = "published", _("已公开")
        RETURNED = "returned", _("已退回")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("社会组织"),
        on_delete=models.PROTECT,
        related_name="delivery_reports",
    )
    project = models.ForeignKey(
        "offers.Project",
        verbose_name=_("帮扶项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delivery_reports",
    )
    title = models.CharField(_("标题"), max_length=120)
    text = models.TextField(_("交付情况"))
    delivered_on = models.DateField(_("交付日期"))
    no_faces_confirmed = models.BooleanField(_("照片中没有任何人的面部"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_reason = models.TextField(_("审核意见"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("交付报告")
        verbose_name_plural = _("交付报告")

    def __str__(self):
        return self.title


class DeliveryPhoto(models.Model):
    """A photo of a delivery: a private file until staff publish the report,
    then a Wagtail image (``image``) that public pages show."""

    report = models.ForeignKey(DeliveryReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=private_storage, upload_to="organizations/deliveries/%Y/")
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.report_id}/{self.pk}"


class PeriodicReport(models.Model):
    """The report a verified organization owes for one period (reporting duty)."""

    class Status(models.TextChoices):
        DUE = "due", _("待提交")
        OVERDUE = "overdue", _("已逾期")
        SUBMITTED = "submitted", _("已提交")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("社会组织"),
        on_delete=models.PROTECT,
        related_name="periodic_reports",
    )
    period_start = models.DateField(_("报告期起"))
    period_end = models.DateField(_("报告期止"))
    due_on = models.DateField(_("截止日期"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DUE, db_index=True
    )
    summary = models.TextField(_("报告内容"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "organization__name"]
        verbose_name = _("定期报告")
        verbose_name_plural = _("定期报告")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period_start"], name="one_report_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.period_start}–{self.period_end}"
