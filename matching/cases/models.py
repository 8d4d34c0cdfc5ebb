"""Cases at the one window: households, applications, referrals, deadlines,
discovery reports, economic verification and assistance already received."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from matching.core.fields import EncryptedTextField
from matching.core.validators import age_on, validate_id_number, validate_phone
from matching.core.vocabulary import (
    URGENT_FIRST,
    Category,
    HelpForm,
    Urgency,
    validate_categories,
    validate_forms,
    validate_household_status,
)
from matching.directory.models import Department, Jurisdiction, Organization


class Household(models.Model):
    ref = models.CharField(_("外部编号"), max_length=64, unique=True, null=True, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="+"
    )
    address = EncryptedTextField(_("家庭住址"))
    statuses = models.JSONField(
        _("家庭类别"), default=list, blank=True, validators=[validate_household_status]
    )
    # Exact position, for distance matching only; never published.
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("家庭")
        verbose_name_plural = _("家庭")

    def __str__(self):
        return _("家庭 #%(pk)s") % {"pk": self.pk}


class Member(models.Model):
    class Relation(models.TextChoices):
        SELF = "self", _("本人/户主")
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        GRANDPARENT = "grandparent", _("(外)祖父母")
        GRANDCHILD = "grandchild", _("(外)孙子女")
        SIBLING = "sibling", _("兄弟姐妹")
        OTHER = "other", _("其他")

    class Sex(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=64)
    id_number = EncryptedTextField(_("身份证号码"), validators=[validate_id_number])
    id_index = models.CharField(max_length=64, db_index=True, editable=False)
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    phone = EncryptedTextField(_("联系电话"), blank=True, validators=[validate_phone])
    birth_date = models.DateField(_("出生日期"), editable=False)
    sex = models.CharField(_("性别"), max_length=6, choices=Sex.choices, editable=False)

    class Meta:
        ordering = ["household_id", "id"]
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "id_index"], name="member_once_per_household"
            )
        ]

    def __str__(self):
        return _("成员 #%(pk)s") % {"pk": self.pk}

    @property
    def age(self):
        return age_on(self.birth_date, timezone.localdate())


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    UNDER_REVIEW = "under_review", _("审核中")
    REFERRED = "referred", _("已转办")
    VERIFIED = "verified", _("已核对")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("不予批准")
    PUBLISHED = "published", _("已公开求助")
    MATCHED = "matched", _("已对接")
    FULFILLED = "fulfilled", _("已帮扶")
    CLOSED = "closed", _("已办结")


class Case(models.Model):
    """One application for assistance, however it reached the window."""

    class Channel(models.TextChoices):
        WINDOW = "window", _("窗口受理")
        ONLINE = "online", _("网上申请")
        DISCOVERY = "discovery", _("主动发现")
        IMPORT = "import", _("批量导入")

    receipt_number = models.CharField(_("受理编号"), max_length=20, unique=True)
    ref = models.CharField(_("外部编号"), max_length=64, unique=True, null=True, blank=True)
    household = models.ForeignKey(
        Household, verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="cases"
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("受理辖区"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("受理渠道"), max_length=10, choices=Channel.choices)
    categories = models.JSONField(_("救助类别"), default=list, validators=[validate_categories])
    forms = models.JSONField(_("帮扶形式"), default=list, blank=True, validators=[validate_forms])
    urgency = models.CharField(
        _("紧急程度"),
        max_length=10,
        choices=Urgency.choices,
        default=Urgency.NORMAL,
        db_index=True,
    )
    title = models.CharField(_("标题"), max_length=120)
    description = models.TextField(_("情况说明"))
    amount_needed = models.DecimalField(
        _("所需金额(元)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # Blank only for imported cases whose file gave no phone: such a case
    # cannot be looked up online until staff record one.
    contact_phone = EncryptedTextField(_("联系电话"), blank=True, validators=[validate_phone])
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=CaseStatus.choices,
        default=CaseStatus.RECEIVED,
        db_index=True,
    )
    opened_at = models.DateTimeField(_("受理时间"), default=timezone.now, db_index=True)
    first_response_due = models.DateTimeField(_("首次响应时限"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("首次响应时间"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(_("状态更新时间"), default=timezone.now)

    class Meta:
        ordering = [URGENT_FIRST.asc(), "opened_at"]
        verbose_name = _("救助申请")
        verbose_name_plural = _("救助申请")
        indexes = [
            # A district's cases by their street, read from the index alone: the
            # work queues join referrals and matches to them (docs/performance.md).
            models.Index(fields=["jurisdiction", "id"], name="case_jurisdiction_id"),
        ]

    def __str__(self):
        return f"{self.receipt_number} {self.title}"

    @property
    def is_emergency(self):
        return self.urgency == Urgency.EMERGENCY

    @property
    def category_labels(self):
        return "、".join(str(Category(code).label) for code in self.categories)

    @property
    def form_labels(self):
        return "、".join(str(HelpForm(code).label) for code in self.forms)

    @property
    def first_response_overdue(self):
        return bool(
            self.first_response_due
            and not self.first_responded_at
            and self.first_response_due < timezone.now()
        )


class CaseTransition(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=16, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状态变更记录")
        verbose_name_plural = _("状态变更记录")

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class DeadlineRule(models.Model):
    """How long something may take, configured by staff.

    The most specific rule wins: a rule for the exact category beats one
    for every category (blank category).
    """

    class Purpose(models.TextChoices):
        REFERRAL = "referral", _("转办办理时限")
        FIRST_RESPONSE = "first_response", _("首次响应时限")
        TRIAGE = "triage", _("主动发现报告研判时限")

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("工作日")
        HOURS = "hours", _("小时(自然时)")

    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    category = models.CharField(
        _("救助类别"),
        max_length=20,
        choices=Category.choices,
        blank=True,
        help_text=_("留空表示适用于所有类别。"),
    )
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices)
    amount = models.PositiveIntegerField(_("时长"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("单位"), max_length=16, choices=Unit.choices)

    class Meta:
        ordering = ["purpose", "urgency", "category"]
        verbose_name = _("办理时限规则")
        verbose_name_plural = _("办理时限规则")
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "category", "urgency"], name="one_deadline_rule_per_key"
            )
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} · {self.get_urgency_display()} · {self.amount}" + (
            str(self.get_unit_display())
        )


class HolidayOverride(models.Model):
    """One day of the State Council's holiday schedule, entered by city staff.

    It wins over the ``holidays`` package for that day. A year with at least
    one entry counts as published (docs/cases.md, deadlines).
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class Referral(models.Model):
    """A case sent to a department, answered by its liaison before ``due_at``."""

    class Status(models.TextChoices):
        OPEN = "open", _("待办理")
        ANSWERED = "answered", _("已答复")

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("已给予救助")
        DECLINED = "declined", _("不符合条件")
        NOT_RESPONSIBLE = "not_responsible", _("非本部门职责")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    department = models.ForeignKey(
        Department, verbose_name=_("承办部门"), on_delete=models.PROTECT, related_name="referrals"
    )
    category = models.CharField(_("救助类别"), max_length=20, choices=Category.choices)
    note = models.TextField(_("转办说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    referred_at = models.DateTimeField(_("转办时间"), default=timezone.now)
    due_at = models.DateTimeField(_("办理时限"), db_index=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("督办层级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(_("办理结果"), max_length=16, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("答复意见"), blank=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("转办")
        verbose_name_plural = _("转办")

    def __str__(self):
        return f"{self.case.receipt_number} → {self.department}"

    @property
    def is_overdue(self):
        return self.status == self.Status.OPEN and self.due_at < timezone.now()


class DiscoveryReport(models.Model):
    """Someone in trouble, reported by a community worker, social worker or volunteer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待研判")
        CASE_OPENED = "case_opened", _("已转为救助申请")
        DISMISSED = "dismissed", _("不予受理")

    class PublicReason(models.TextChoices):
        """Why a report was not taken up, in words fit for the reporter (never the case's
        details); the staff's own reason stays in ``dismissal_reason``."""

        NO_NEED = "no_need", _("经核实，当事人目前暂不需要救助")
        ALREADY_HELPED = "already_helped", _("当事人已在接受相应救助或帮扶")
        NOT_FOUND = "not_found", _("经走访未能找到当事人")
        DUPLICATE = "duplicate", _("该情况已有其他报告，已合并处理")
        OUT_OF_AREA = "out_of_area", _("不属于本市受理范围，已告知相关地区")

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("发现地辖区"), on_delete=models.PROTECT, related_name="+"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Both blank for an anonymous report (anyone may report, /report/).
    reporter_name = models.CharField(_("报告人姓名"), max_length=64, blank=True)
    reporter_phone = EncryptedTextField(_("报告人电话"), blank=True, validators=[validate_phone])
    # The keyed digest of the reporter's follow code (the code itself is shown once).
    follow_index = models.CharField(max_length=64, blank=True, editable=False)
    # When staff first opened the report for triage: the reporter then reads
    # "being assessed".
    assessing_since = models.DateTimeField(_("开始研判时间"), null=True, blank=True)
    public_reason = models.CharField(
        _("对报告人说明的理由"), max_length=20, choices=PublicReason.choices, blank=True
    )
    urgency = models.CharField(
        _("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    person_description = models.TextField(_("当事人情况"))
    location_text = EncryptedTextField(_("所在位置"))
    categories = models.JSONField(
        _("可能需要的救助"), default=list, blank=True, validators=[validate_categories]
    )
    received_at = models.DateTimeField(_("报告时间"), default=timezone.now)
    triage_due = models.DateTimeField(_("研判时限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    triaged_at = models.DateTimeField(_("研判时间"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dismissal_reason = models.TextField(_("不予受理理由"), blank=True)
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="discovery_report"
    )

    class Meta:
        ordering = [URGENT_FIRST.asc(), "triage_due"]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_index"],
                condition=~models.Q(follow_index=""),
                name="discovery_follow_index_unique",
            )
        ]
        verbose_name = _("主动发现报告")
        verbose_name_plural = _("主动发现报告")

    def __str__(self):
        return _("主动发现报告 #%(pk)s") % {"pk": self.pk}

    @property
    def anonymous(self):
        return self.reporter_id is None and not (self.reporter_name or self.reporter_phone)

    @property
    def triage_overdue(self):
        return self.status == self.Status.PENDING and self.triage_due < timezone.now()

    @property
    def triage_clock(self):
        """The triage clock in words for the staff list: time left, or time overdue."""
        if self.status != self.Status.PENDING:
            return "—"
        seconds = int((self.triage_due - timezone.now()).total_seconds())
        hours, minutes = divmod(abs(seconds) // 60, 60)
        values = {"hours": hours, "minutes": minutes}
        if seconds < 0:
            return gettext("已超时 %(hours)d 小时 %(minutes)d 分") % values
        return gettext("剩余 %(hours)d 小时 %(minutes)d 分") % values


class LocalStandard(models.Model):
    """A jurisdiction's assistance standard for one year (e.g. the dibao line)."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    monthly_line_per_person = models.DecimalField(
        _("低保标准(元/人·月)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    asset_limit_per_person = models.DecimalField(
        _("人均财产上限(元)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["-year", "jurisdiction_id"]
        verbose_name = _("地方救助标准")
        verbose_name_plural = _("地方救助标准")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="one_standard_per_year")
        ]

    def __str__(self):
        return f"{self.jurisdiction} {self.year}"


class EconomicRecord(models.Model):
    """Income or assets of a household member, as a department supplied it."""

    class Kind(models.TextChoices):
        INCOME = "income", _("月收入")
        ASSET = "asset", _("财产")

    ref = models.CharField(_("外部编号"), max_length=64, blank=True)
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="economic_records"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("提供部门"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    label = models.CharField(_("项目"), max_length=64)
    amount = models.DecimalField(
        _("金额(元)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    as_of = models.DateField(_("数据日期"))
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("家庭经济状况数据")
        verbose_name_plural = _("家庭经济状况数据")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "ref"],
                condition=~models.Q(ref=""),
                name="economic_ref_per_dept",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.label} {self.amount}"


class FreshnessRule(models.Model):
    """How old one kind of a department kind's economic data may be; where
    no rule is set, ``settings.ECONOMIC_DATA_MAX_AGE_DAYS`` decides."""

    department_kind = models.CharField(
        _("部门类别"), max_length=20, choices=Department.Kind.choices
    )
    kind = models.CharField(_("数据类别"), max_length=8, choices=EconomicRecord.Kind.choices)
    max_age_days = models.PositiveSmallIntegerField(
        _("最长有效天数"), validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["department_kind", "kind"]
        verbose_name = _("经济数据时效规则")
        verbose_name_plural = _("经济数据时效规则")
        constraints = [
            models.UniqueConstraint(
                fields=["department_kind", "kind"], name="freshness_rule_per_kind"
            )
        ]

    def __str__(self):
        return gettext("%(department)s%(kind)s数据：%(days)s 天") % {
            "department": self.get_department_kind_display(),
            "kind": self.get_kind_display(),
            "days": self.max_age_days,
        }


class RefreshRequest(models.Model):
    """A caseworker's request that a department send fresh data for a household."""

    class Status(models.TextChoices):
        OPEN = "open", _("待更新")
        ANSWERED = "answered", _("已更新")

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="refresh_requests"
    )
    case = models.ForeignKey(
        "Case",
        verbose_name=_("救助申请"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refresh_requests",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("提供部门"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    requested_at = models.DateTimeField(_("请求时间"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("更新时间"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("数据更新请求")
        verbose_name_plural = _("数据更新请求")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "department"],
                condition=models.Q(status="open"),
                name="one_open_refresh_request",
            )
        ]

    def __str__(self):
        return gettext("%(department)s数据更新请求") % {"department": self.department}


class RefreshAlert(models.Model):
    """A department found overdue for its refresh, once per due date (the scheduler's mark)."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField(_("应更新日期"))
    alerted_at = models.DateTimeField(_("提醒时间"), default=timezone.now)

    class Meta:
        verbose_name = _("数据更新逾期提醒")
        verbose_name_plural = _("数据更新逾期提醒")
        constraints = [
            models.UniqueConstraint(fields=["department", "due_on"], name="refresh_alert_once")
        ]

    def __str__(self):
        return f"{self.department} {self.due_on}"


class Verification(models.Model):
    """The eligibility result computed for a case, with its arithmetic."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="verifications")
    standard = models.ForeignKey(LocalStandard, on_delete=models.PROTECT, related_name="+")
    household_size = models.PositiveSmallIntegerField(_("家庭人口"))
    monthly_income = models.DecimalField(_("家庭月收入"), max_digits=12, decimal_places=2)
    income_per_person = models.DecimalField(_("人均月收入"), max_digits=12, decimal_places=2)
    assets = models.DecimalField(_("家庭财产"), max_digits=14, decimal_places=2)
    monthly_top_up = models.DecimalField(_("月补差金额"), max_digits=12, decimal_places=2)
    eligible = models.BooleanField(_("符合条件"))
    # Income data past its age leaves the verification without a conclusion
    # (``eligible`` is False until fresh data arrives); stale assets are only
    # flagged. ``stale_data``: one entry per stale record (docs/cases.md).
    pending_fresh_data = models.BooleanField(_("待更新数据"), default=False)
    stale_data = models.JSONField(_("过期数据"), default=list, blank=True)
    arithmetic = models.JSONField(_("计算过程"), default=list)
    verified_at = models.DateTimeField(_("核对时间"), default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-verified_at"]
        get_latest_by = "verified_at"
        verbose_name = _("核对结果")
        verbose_name_plural = _("核对结果")

    def __str__(self):
        return f"{self.case.receipt_number} {self.verified_at:%Y-%m-%d}"


class AssistanceRecord(models.Model):
    """Help a person already receives, from a department or an organization."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("人工录入")
        API = "api", _("部门接口")
        IMPORT = "import", _("批量导入")
        PLATFORM = "platform", _("平台帮扶")

    ref = models.CharField(_("外部编号"), max_length=64, unique=True, null=True, blank=True)
    # Help given through the platform (source "platform"): the case it was
    # given for. ``ref`` names what gave it ("platform:match:<pk>:<category>").
    case = models.ForeignKey(
        "Case",
        verbose_name=_("平台帮扶的申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="platform_assistance",
    )
    id_number = EncryptedTextField(_("身份证号码"), validators=[validate_id_number])
    id_index = models.CharField(max_length=64, db_index=True, editable=False)
    provider_department = models.CharField(
        _("提供部门"), max_length=20, choices=Department.Kind.choices, blank=True
    )
    provider_organization = models.ForeignKey(
        Organization,
        verbose_name=_("提供组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(_("救助类别"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(
        _("金额(元)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("已获救助记录")
        verbose_name_plural = _("已获救助记录")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="assistance_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.start}–{self.end or '…'}"

    def clean(self):
        if bool(self.provider_department) == bool(self.provider_organization_id):
            raise ValidationError(_("请填写提供部门或提供组织中的一项。"))
        if self.end and self.end < self.start:
            raise ValidationError({"end": _("结束日期不能早于开始日期。")})

    @property
    def provider_label(self):
        if self.provider_organization_id:
            return str(self.provider_organization)
        return str(self.get_provider_department_display())


class DuplicateFlag(models.Model):
    """An overlap between a case and help already received (``record``), or another
    application by a member of its household (``other_case``: the same ID number
    in any household, any district), for staff to adjudicate."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待裁定")
        DUPLICATE = "duplicate", _("确属重复，不予重复救助")
        NOT_DUPLICATE = "not_duplicate", _("不构成重复")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duplicate_flags")
    record = models.ForeignKey(
        AssistanceRecord,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="duplicate_flags",
    )
    other_case = models.ForeignKey(
        Case,
        verbose_name=_("重复申请"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    category = models.CharField(_("救助类别"), max_length=20, choices=Category.choices)
    flagged_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        _("裁定"), max_length=14, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.TextField(_("裁定说明"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["case_id", "id"]
        verbose_name = _("重复救助提示")
        verbose_name_plural = _("重复救助提示")
        constraints = [
            models.UniqueConstraint(fields=["case", "record"], name="one_flag_per_record"),
            models.UniqueConstraint(fields=["case", "other_case"], name="one_flag_per_other_case"),
            models.CheckConstraint(
                condition=models.Q(record__isnull=True, other_case__isnull=False)
                | models.Q(record__isnull=False, other_case__isnull=True),
                name="flag_has_record_or_other_case",
            ),
        ]

    def __str__(self):
        return f"{self.case.receipt_number} · {self.get_category_display()}"

    @property
    def other_district(self):
        """The district of the other application (its name only)."""
        if self.other_case_id is None:
            return None
        codes = self.other_case.jurisdiction.path.split("/")
        code = codes[1] if len(codes) > 1 else codes[0]
        return Jurisdiction.objects.filter(code=code).values_list("name", flat=True).first()


class ApiToken(models.Model):
    """A department's credential for the API; only a SHA-256 of the secret is kept."""

    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途说明"), max_length=64)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.department} · {self.name}"
