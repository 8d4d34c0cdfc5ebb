"""What social forces offer (projects, volunteers, funds) and the matches
proposed between offers and needs."""

from decimal import Decimal

import orjson
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import DraftStateMixin, RevisionMixin, WorkflowMixin

from matching.cases.models import Case
from matching.core.vocabulary import (
    ChoiceListValidator,
    validate_categories,
    validate_forms,
    validate_household_status,
)
from matching.directory.models import Department, Jurisdiction, Organization

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
SLOTS = [
    f"{day}_{half}"
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for half in ("am", "pm")
]


class CodeList(models.JSONField):
    """A JSON list of short codes (categories, forms, areas, slots), decoded
    by orjson: the search outbox reads hundreds of thousands of them in a
    backlog, and ``json.loads`` was a tenth of its CPU (docs/performance.md)."""

    def from_db_value(self, value, expression, connection):
        if not isinstance(value, str):  # NULL, or a key already extracted (SQLite)
            return value
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value


def validate_slots(value):
    if not isinstance(value, list) or not set(value) <= set(SLOTS):
        raise ValidationError(_("可服务时段无效：应为 mon_am … sun_pm。"), code="invalid_slot")


def validate_codes(value):
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(code, str) and code.isdigit() for code in value)
    ):
        raise ValidationError(_("服务区域应为行政区划代码列表。"), code="invalid_codes")


class Eligibility(models.Model):
    """Who an offer may serve; every key optional (INTERCHANGE ``eligibility``)."""

    household_status_any = CodeList(
        _("适用家庭类型"), default=list, blank=True, validators=[validate_household_status]
    )
    min_age = models.PositiveSmallIntegerField(_("最小年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最大年龄"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValidationError({"max_age": _("最大年龄不能小于最小年龄。")})


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    ACTIVE = "active", _("已发布")
    CLOSED = "closed", _("已结束")


class Project(WorkflowMixin, DraftStateMixin, RevisionMixin, Eligibility):
    """A charity's aid project: what it offers, where, for whom, how much.

    Charity users edit drafts in the Wagtail admin; staff moderate them
    through a workflow before they go public (docs/publication.md).
    """

    ref = models.CharField(_("外部编号"), max_length=64, unique=True, null=True, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("社会组织"), on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("项目名称"), max_length=120)
    description = models.TextField(_("项目介绍"))
    categories = CodeList(_("救助类别"), default=list, validators=[validate_categories])
    forms = CodeList(_("帮扶形式"), default=list, validators=[validate_forms])
    jurisdictions = CodeList(
        _("服务区域"),
        default=list,
        validators=[validate_codes],
        help_text=_("行政区划代码；220100 表示全市。"),
    )
    budget_remaining = models.DecimalField(_("剩余预算（元）"), null=True, blank=True, **MONEY)
    max_per_case = models.DecimalField(_("单户上限（元）"), null=True, blank=True, **MONEY)
    slots_remaining = models.PositiveIntegerField(_("剩余名额"), null=True, blank=True)
    starts = models.DateField(_("开始日期"), null=True, blank=True)
    ends = models.DateField(_("结束日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=OfferStatus.choices,
        default=OfferStatus.ACTIVE,
        db_index=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="project")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="project",
        for_concrete_model=False,
    )

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("帮扶项目")
        verbose_name_plural = _("帮扶项目")

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def clean(self):
        super().clean()
        if self.starts and self.ends and self.starts > self.ends:
            raise ValidationError({"ends": _("结束日期不能早于开始日期。")})


class Volunteer(models.Model):
    """A volunteer or social worker: skills, home area, travel radius, weekly slots."""

    ref = models.CharField(_("外部编号"), max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("姓名"), max_length=64)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所属组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    forms = CodeList(_("帮扶形式"), default=list, validators=[validate_forms])
    skills = CodeList(_("技能"), default=list, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="+"
    )
    lat = models.FloatField(_("纬度"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lon = models.FloatField(_("经度"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    radius_km = models.DecimalField(
        _("服务半径（公里）"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    availability = CodeList(_("可服务时段"), default=list, validators=[validate_slots])
    hours_per_week = models.PositiveSmallIntegerField(_("每周可服务小时"), default=2)
    active = models.BooleanField(_("在岗"), default=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")

    def __str__(self):
        return self.name


class FundSource(models.TextChoices):
    SOCIAL = "social", _("社会资金")
    GOVERNMENT = "government", _("政府资金")


class Fund(Eligibility):
    """A fund that pays households: an organization's charity fund (公益爱心基金,
    social money) or a department's budget fund such as temporary assistance
    (临时救助资金, government money, 专款专用: docs/funding.md)."""

    ref = models.CharField(_("外部编号"), max_length=64, unique=True, null=True, blank=True)
    source = models.CharField(
        _("资金来源"),
        max_length=10,
        choices=FundSource.choices,
        default=FundSource.SOCIAL,
        db_index=True,
    )
    # Social money: the organization owns the fund. Government money: the
    # department (and so its jurisdiction) does; never both.
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("社会组织"),
        on_delete=models.PROTECT,
        related_name="funds",
        null=True,
        blank=True,
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        related_name="funds",
        null=True,
        blank=True,
    )
    name = models.CharField(_("基金名称"), max_length=120)
    categories = CodeList(_("救助类别"), default=list, validators=[validate_categories])
    # Empty: the fund serves where its owner is (its organization's
    # jurisdiction), as every fund did before the field existed.
    jurisdictions = CodeList(
        _("服务区域"),
        default=list,
        blank=True,
        validators=[validate_codes],
        help_text=_("行政区划代码；220100 表示全市；留空表示所属组织的辖区。"),
    )
    balance = models.DecimalField(_("可用余额（元）"), **MONEY)
    max_per_case = models.DecimalField(_("单户上限（元）"), **MONEY)
    active = models.BooleanField(_("启用"), default=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("公益基金")
        verbose_name_plural = _("公益基金")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(source="social", organization__isnull=False, department__isnull=True)
                    | models.Q(
                        source="government", organization__isnull=True, department__isnull=False
                    )
                ),
                name="offers_fund_one_owner_by_source",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.source == FundSource.GOVERNMENT:
            if self.department_id is None:
                raise ValidationError({"department": _("政府资金必须指定主管部门。")})
            if self.organization_id is not None:
                raise ValidationError({"organization": _("政府资金不属于社会组织。")})
        elif self.organization_id is None:
            raise ValidationError({"organization": _("社会资金必须指定所属社会组织。")})
        elif self.department_id is not None:
            raise ValidationError({"department": _("社会资金不能指定主管部门。")})

    @property
    def is_government(self):
        return self.source == FundSource.GOVERNMENT

    @property
    def owner_jurisdiction_id(self):
        """Where the fund's owner sits: the department's or the organization's jurisdiction."""
        owner = self.department if self.is_government else self.organization
        return owner.jurisdiction_id if owner is not None else None


class OfferType(models.TextChoices):
    PROJECT = "project", _("帮扶项目")
    VOLUNTEER = "volunteer", _("志愿者")
    FUND = "fund", _("公益基金")


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认")
    ACCEPTED = "accepted", _("资源方已接受")
    DECLINED = "declined", _("资源方已谢绝")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已撤回")


class Match(models.Model):
    """A proposed pairing of a need with one offer, with the score's reasons."""

    need = models.ForeignKey(
        Case, verbose_name=_("求助"), on_delete=models.CASCADE, related_name="matches"
    )
    offer_type = models.CharField(_("资源类型"), max_length=10, choices=OfferType.choices)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="matches"
    )
    volunteer = models.ForeignKey(
        Volunteer, null=True, blank=True, on_delete=models.PROTECT, related_name="matches"
    )
    fund = models.ForeignKey(
        Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="matches"
    )
    score = models.FloatField(_("匹配分"))
    reasons = models.JSONField(_("匹配理由"), default=list, blank=True)
    # The score's parts as the matcher computed them: {factor: {value, weight}}.
    parts = models.JSONField(_("匹配分构成"), default=dict, blank=True)
    bundle = models.PositiveSmallIntegerField(_("一案一策方案序号"), null=True, blank=True)
    amount = models.DecimalField(_("拟资助金额（元）"), null=True, blank=True, **MONEY)
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=MatchStatus.choices,
        default=MatchStatus.PROPOSED,
        db_index=True,
    )
    proposed_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)

    class Meta:
        ordering = ["-score"]
        verbose_name = _("匹配")
        verbose_name_plural = _("匹配")
        constraints = [
            models.CheckConstraint(
                name="match_has_exactly_its_offer",
                condition=(
                    models.Q(
                        offer_type="project",
                        project__isnull=False,
                        volunteer__isnull=True,
                        fund__isnull=True,
                    )
                    | models.Q(
                        offer_type="volunteer",
                        project__isnull=True,
                        volunteer__isnull=False,
                        fund__isnull=True,
                    )
                    | models.Q(
                        offer_type="fund",
                        project__isnull=True,
                        volunteer__isnull=True,
                        fund__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self):
        return f"{self.need_id} ↔ {self.offer}"

    @property
    def offer(self):
        return self.project or self.volunteer or self.fund


__all__ = [
    "SLOTS",
    "ChoiceListValidator",
    "Fund",
    "FundSource",
    "Match",
    "MatchStatus",
    "OfferStatus",
    "OfferType",
    "Project",
    "Volunteer",
]
