"""Who sits where: the jurisdiction tree, departments, organizations, and
the role each user account plays."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc


class Jurisdiction(models.Model):
    """A node of the administrative-division tree, keyed by its official code."""

    class Level(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区/县(市)/开发区")
        STREET = "street", _("街道/乡镇")
        COMMUNITY = "community", _("社区/村")

    code = models.CharField(_("行政区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Codes of this node and all its ancestors, e.g. "220100/220104/220104001";
    # lets a scope test be one indexed prefix match.
    path = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("辖区")
        verbose_name_plural = _("辖区")

    def __str__(self):
        return self.name

    @property
    def district_code(self):
        """The county-level code this node falls under (itself for a district)."""
        parts = self.path.split("/")
        return parts[1] if len(parts) > 1 else None

    def contains(self, other):
        return other.path == self.path or other.path.startswith(self.path + "/")


class Department(models.Model):
    """A government department at one jurisdiction (e.g. 朝阳区卫生健康局)."""

    class Kind(models.TextChoices):
        CIVIL_AFFAIRS = "civil_affairs", _("民政")
        HEALTH = "health", _("卫生健康")
        EDUCATION = "education", _("教育")
        HOUSING = "housing", _("住房和城乡建设")
        HUMAN_RESOURCES = "human_resources", _("人力资源和社会保障")
        JUSTICE = "justice", _("司法")
        FINANCE = "finance", _("财政")

    kind = models.CharField(_("部门类别"), max_length=20, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("名称"), max_length=64)

    class Meta:
        ordering = ["jurisdiction_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "jurisdiction"], name="one_department_per_kind")
        ]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.name


def validate_credit_code(value):
    if not uscc.is_valid(value):
        raise ValidationError(
            _("统一社会信用代码无效：应为 18 位且校验位正确。"), code="invalid_credit_code"
        )


class Organization(models.Model):
    """A charity, foundation, social-work agency, volunteer team or enterprise."""

    class Kind(models.TextChoices):
        CHARITY = "charity", _("慈善组织")
        FOUNDATION = "foundation", _("基金会")
        SOCIAL_WORK = "social_work", _("社会工作服务机构")
        VOLUNTEER_TEAM = "volunteer_team", _("志愿服务队")
        ENTERPRISE = "enterprise", _("爱心企业")

    ref = models.CharField(_("外部编号"), max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("登记辖区"),
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    verified = models.BooleanField(_("已核验"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("社会组织")
        verbose_name_plural = _("社会组织")

    def __str__(self):
        return self.name


class DishonestyRecord(models.Model):
    """A decided record of dishonesty (失信) against an organization or an applicant.

    Active while not revoked and today lies within ``starts``–``ends``; while
    active, the matcher proposes none of the organization's offers and the
    organization may not publish new projects. An appeal that is upheld for
    the subject (``overturned``) revokes the record; otherwise it expires on
    ``ends``. Applicants are named by a blind index of their ID number only.
    """

    class SubjectKind(models.TextChoices):
        ORGANIZATION = "organization", _("社会组织")
        APPLICANT = "applicant", _("救助申请人")

    class Appeal(models.TextChoices):
        NONE = "none", _("未申诉")
        FILED = "filed", _("申诉审查中")
        UPHELD = "upheld", _("维持原决定")
        OVERTURNED = "overturned", _("撤销原决定")

    subject_kind = models.CharField(
        _("失信主体类别"),
        max_length=12,
        choices=SubjectKind.choices,
        default=SubjectKind.ORGANIZATION,
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("社会组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dishonesty_records",
    )
    # HMAC of the applicant's ID number (matching.core.crypto.blind_index).
    applicant_id_index = models.CharField(
        _("申请人身份证索引"), max_length=64, blank=True, db_index=True, editable=False
    )
    reason = models.TextField(_("失信事实"))
    evidence = models.TextField(_("证据材料"), blank=True)
    decision = models.TextField(_("处理决定"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts = models.DateField(_("生效日期"))
    ends = models.DateField(_("失效日期"))
    revoked = models.BooleanField(_("已撤销"), default=False)
    appeal_status = models.CharField(
        _("申诉状态"), max_length=12, choices=Appeal.choices, default=Appeal.NONE
    )
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appeal_filed_on = models.DateField(_("申诉日期"), null=True, blank=True)
    appeal_decision = models.TextField(_("申诉复核意见"), blank=True)
    appeal_decided_on = models.DateField(_("复核日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts"]
        verbose_name = _("失信记录")
        verbose_name_plural = _("失信记录")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(subject_kind="organization", organization__isnull=False)
                    | models.Q(subject_kind="applicant", organization__isnull=True)
                    & ~models.Q(applicant_id_index="")
                ),
                name="dishonesty_record_names_its_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(ends__gte=models.F("starts")),
                name="dishonesty_record_ends_after_start",
            ),
        ]

    def __str__(self):
        subject = self.organization if self.organization_id else self.get_subject_kind_display()
        return f"{subject} {self.starts}–{self.ends}"

    def clean(self):
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": _("失效日期不能早于生效日期。")})
        if self.subject_kind == self.SubjectKind.ORGANIZATION and not self.organization_id:
            raise ValidationError({"organization": _("请选择失信的社会组织。")})

    def is_active(self, on):
        return not self.revoked and self.starts <= on <= self.ends


class Role(models.TextChoices):
    CITY_STAFF = "city_staff", _("市级民政工作人员")
    DISTRICT_STAFF = "district_staff", _("区县民政工作人员")
    STREET_STAFF = "street_staff", _("街道(乡镇)工作人员")
    LIAISON = "liaison", _("部门联络员")
    CHARITY_ADMIN = "charity_admin", _("社会组织管理员")
    CHARITY_MEMBER = "charity_member", _("社会组织成员")
    VOLUNTEER = "volunteer", _("志愿者")
    DONOR = "donor", _("捐赠人")
    INSPECTOR = "inspector", _("监督检查人员")


# Roles that work inside the Wagtail admin; the rest use the public site.
ADMIN_ROLES = frozenset(
    {
        Role.CITY_STAFF,
        Role.DISTRICT_STAFF,
        Role.STREET_STAFF,
        Role.LIAISON,
        Role.CHARITY_ADMIN,
        Role.CHARITY_MEMBER,
        Role.INSPECTOR,
    }
)
STAFF_ROLES = frozenset({Role.CITY_STAFF, Role.DISTRICT_STAFF, Role.STREET_STAFF})


class Profile(models.Model):
    """Where a user account sits: its role, jurisdiction and affiliation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所属组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="liaison") | models.Q(department__isnull=False),
                name="liaison_has_department",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["charity_admin", "charity_member"])
                | models.Q(organization__isnull=False),
                name="charity_user_has_organization",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"

    @property
    def uses_admin(self):
        return self.role in ADMIN_ROLES


class SavedFilter(models.Model):
    """A named set of filters on one admin list, private to the user who saved it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    list_name = models.CharField(max_length=100)  # the list's index URL name
    name = models.CharField(_("名称"), max_length=60)
    query = models.CharField(max_length=1000, blank=True)  # the list's query string
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_name", "name"], name="directory_saved_filter_unique"
            )
        ]

    def __str__(self):
        return self.name
