"""A volunteer's own side of the platform: their sign-up (e-mail confirmed),
the consent they gave to the processing of their data, and the certificates
of service hours issued to them. The volunteer itself is ``offers.Volunteer``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.directory.models import Organization
from matching.offers.models import Volunteer


class Enrolment(models.Model):
    """How a volunteer joined through /join/volunteer/ and where that stands."""

    volunteer = models.OneToOneField(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="enrolment"
    )
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("邮箱确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("志愿者注册")
        verbose_name_plural = _("志愿者注册")

    def __str__(self):
        return f"{self.volunteer} · {self.created_at:%Y-%m-%d}"


class Consent(models.Model):
    """Consent to the processing of the volunteer's data: which text, when, and
    when it was withdrawn. Rows are never deleted (the record of consent is
    what the law asks the platform to be able to show)."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="consents"
    )
    version = models.CharField(_("文本版本"), max_length=20)
    text_digest = models.CharField(_("文本摘要"), max_length=64)
    given_at = models.DateTimeField(_("同意时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("个人信息处理同意")
        verbose_name_plural = _("个人信息处理同意")

    def __str__(self):
        return f"{self.volunteer} · {self.version}"


class Certificate(models.Model):
    """A certificate of service hours: a snapshot of the confirmed hours at issue,
    verifiable by its code on a public page."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.PROTECT, related_name="certificates"
    )
    code = models.CharField(_("验证码"), max_length=20, unique=True)
    # The volunteer's organization; blank: the platform (the civil-affairs bureau).
    issuer = models.CharField(_("出具单位"), max_length=128, blank=True)
    holder = models.CharField(_("志愿者姓名"), max_length=64)
    total_hours = models.DecimalField(_("累计服务时长"), max_digits=8, decimal_places=2)
    # {"tasks": [[match id, hours], …], "months": [["2026-11", hours], …]}, hours as
    # strings; labels are rendered in the reader's language from the match.
    lines = models.JSONField(_("明细"), default=dict)
    issued_at = models.DateTimeField(_("出具时间"), auto_now_add=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("志愿服务时长证明")
        verbose_name_plural = _("志愿服务时长证明")

    def __str__(self):
        return self.code


class TeamRequest(models.Model):
    """A volunteer asks to join a verified volunteer team; the team's admin decides."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("已谢绝")

    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("志愿者"), on_delete=models.CASCADE, related_name="team_requests"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("志愿服务队"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("加入志愿服务队申请")
        verbose_name_plural = _("加入志愿服务队申请")
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer"],
                condition=models.Q(status="pending"),
                name="one_pending_team_request",
            )
        ]

    def __str__(self):
        return f"{self.volunteer} → {self.organization}"
