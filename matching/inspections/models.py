"""Special inspections (专项督查), their findings against a unit, the unit's
rectification (整改) and the evidence it submits (docs/inspections.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.core.files import PrivateStorage
from matching.directory.models import Department, Jurisdiction


def private_storage():
    return PrivateStorage()


class Inspection(models.Model):
    class Status(models.TextChoices):
        UNDERWAY = "underway", _("督查中")
        CONCLUDED = "concluded", _("已结束")

    title = models.CharField(_("督查名称"), max_length=120)
    topic = models.TextField(_("督查事项"), help_text=_("例如：最低生活保障审核审批专项督查。"))
    scope = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("督查范围"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("督查组成员"), related_name="inspections"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.UNDERWAY, db_index=True
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("专项督查")
        verbose_name_plural = _("专项督查")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="inspection_period_in_order",
            )
        ]

    def __str__(self):
        return self.title


class Finding(models.Model):
    """A problem found at one unit (a civil-affairs office or a department),
    with its rectification task and deadline."""

    class Severity(models.TextChoices):
        GENERAL = "general", _("一般")
        SERIOUS = "serious", _("较重")
        GRAVE = "grave", _("严重")

    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        SUBMITTED = "submitted", _("整改待审核")
        RETURNED = "returned", _("退回重新整改")
        RECTIFIED = "rectified", _("已整改")

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("专项督查"), on_delete=models.PROTECT, related_name="findings"
    )
    unit = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("被督查单位（民政）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("被督查单位（部门）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The jurisdiction path the unit answers for (a department's: its
    # jurisdiction's); scopes are one prefix match on it.
    place_path = models.CharField(max_length=64, db_index=True, editable=False)
    severity = models.CharField(_("问题性质"), max_length=10, choices=Severity.choices)
    description = models.TextField(
        _("问题描述"), help_text=_("不得包含申请人的姓名、身份证号码、电话或住址。")
    )
    task = models.TextField(_("整改要求"))
    working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"), default=20)
    recorded_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    due_at = models.DateTimeField(_("整改时限"), db_index=True)
    status = models.CharField(
        _("整改状态"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    rectified_at = models.DateTimeField(_("整改完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("督查发现问题")
        verbose_name_plural = _("督查发现问题")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) ^ models.Q(department__isnull=True),
                name="finding_has_one_unit",
            )
        ]

    def __str__(self):
        return f"{self.unit_name} · {self.get_severity_display()}"

    @property
    def unit_name(self):
        return (self.unit or self.department).name

    def is_overdue(self, now=None):
        return self.status != self.Status.RECTIFIED and self.due_at < (now or timezone.now())


class Evidence(models.Model):
    """The unit's evidence that a finding is rectified, and the inspectors' review."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("认可整改")
        RETURNED = "returned", _("退回")

    finding = models.ForeignKey(
        Finding, verbose_name=_("督查发现问题"), on_delete=models.PROTECT, related_name="evidence"
    )
    text = models.TextField(_("整改情况说明"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decision = models.CharField(
        _("审核结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("整改材料")
        verbose_name_plural = _("整改材料")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decision="returned") | ~models.Q(reason=""),
                name="returned_evidence_has_reason",
            )
        ]

    def __str__(self):
        return f"{self.finding_id} · {self.submitted_at:%Y-%m-%d}"


class EvidenceFile(models.Model):
    """An attachment of the evidence: a private file, read only through a checked view."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=private_storage, upload_to="inspections/evidence/%Y/")
    kind = models.CharField(max_length=8)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.evidence_id} · {self.kind}"
