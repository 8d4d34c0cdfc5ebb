"""Complaints and reports (投诉举报) from the public, routed to the unit that answers them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.core.fields import EncryptedTextField
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


class NearRelative(models.Model):
    """A staff member's registered near relative (近亲属备案).

    The ID number is stored encrypted; ``id_index`` (the blind index shared
    with household members) finds households to recuse from, and
    ``id_masked`` is the only form ever displayed.
    """

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("配偶")
        PARENT = "parent", _("父母")
        CHILD = "child", _("子女")
        SIBLING = "sibling", _("兄弟姐妹")
        GRANDPARENT = "grandparent", _("(外)祖父母")
        GRANDCHILD = "grandchild", _("(外)孙子女")
        IN_LAW = "in_law", _("配偶的父母或兄弟姐妹")
        CHILD_IN_LAW = "child_in_law", _("子女的配偶")
        OTHER = "other", _("其他近亲属")

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        on_delete=models.CASCADE,
        related_name="near_relatives",
    )
    name = models.CharField(_("姓名"), max_length=64, blank=True)
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices)
    id_number = EncryptedTextField(_("身份证号码"))
    id_index = models.CharField(max_length=64, db_index=True, editable=False)
    id_masked = models.CharField(_("身份证号码（脱敏）"), max_length=24, editable=False)
    registered_at = models.DateTimeField(_("备案时间"), auto_now_add=True)

    class Meta:
        ordering = ["staff_id", "registered_at"]
        verbose_name = _("近亲属备案")
        verbose_name_plural = _("近亲属备案")
        constraints = [
            models.UniqueConstraint(fields=["staff", "id_index"], name="near_relative_once")
        ]

    def __str__(self):
        return f"{self.get_relation_display()} {self.id_masked}"


class Recusal(models.Model):
    """A staff member stood aside (回避) from an item for a household with a registered relative."""

    class Kind(models.TextChoices):
        MATCH_APPROVAL = "match_approval", _("匹配审批")
        CASE_VERIFICATION = "case_verification", _("家庭经济状况核对")
        DISBURSEMENT = "disbursement", _("资金拨付")
        MATCH_REJECTION = "match_rejection", _("匹配驳回")
        CASE_TRANSITION = "case_transition", _("案件状态变更")
        DUPLICATE_FLAG = "duplicate_flag", _("重复救助裁定")
        PUBLICATION = "publication", _("需求公示审批")
        COMPLAINT = "complaint", _("投诉办理")

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回避人员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("回避事项"), max_length=20, choices=Kind.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64)
    object_id = models.CharField(_("对象编号"), max_length=64)
    receipt_number = models.CharField(_("受理编号"), max_length=20, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("回避记录")
        verbose_name_plural = _("回避记录")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "kind", "object_type", "object_id"], name="recusal_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.receipt_number}"


class MatchApproval(models.Model):
    """One staff approval of a match whose amount needs two approvers."""

    match = models.ForeignKey(
        "offers.Match", verbose_name=_("匹配"), on_delete=models.CASCADE, related_name="approvals"
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("理由"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["match_id", "at"]
        verbose_name = _("匹配审批记录")
        verbose_name_plural = _("匹配审批记录")
        constraints = [
            models.UniqueConstraint(fields=["match", "approver"], name="one_approval_per_person")
        ]

    def __str__(self):
        return f"{self.match_id} · {self.approver_id}"
