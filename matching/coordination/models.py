"""Joint meetings (联席会议, seed §2.3/§3.3): the body at city, district or
development-zone level with its member departments, its sessions, the hard
cases put on a session's agenda, the decision on each and the tasks it gives
to departments under working-day deadlines."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.cases.models import Case
from matching.directory.models import Department, Jurisdiction


class JointMeetingBody(models.Model):
    """One joint-meeting system per city, district or development zone."""

    jurisdiction = models.OneToOneField(
        Jurisdiction, verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=80)
    convenor = models.ForeignKey(
        Department,
        verbose_name=_("牵头部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    members = models.ManyToManyField(
        Department, verbose_name=_("成员单位"), related_name="joint_meeting_bodies"
    )

    class Meta:
        ordering = ["jurisdiction_id"]
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")

    def __str__(self):
        return self.name


class JointMeeting(models.Model):
    """One session of a joint-meeting body."""

    body = models.ForeignKey(
        JointMeetingBody,
        verbose_name=_("联席会议"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(_("会议名称"), max_length=120)
    held_at = models.DateTimeField(_("会议时间"))
    place = models.CharField(_("会议地点"), max_length=120)
    chair = models.CharField(_("主持人"), max_length=60)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("召集人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_at", "-pk"]
        verbose_name = _("联席会议会次")
        verbose_name_plural = _("联席会议会次")

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    """A hard case put on a session's agenda, with the question put to it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待议")
        DECIDED = "decided", _("已议定")

    class Outcome(models.TextChoices):
        ASSIGNED = "assigned", _("分工办理")
        RESOLVED = "resolved", _("当场议定解决")
        DEFERRED = "deferred", _("下次会议再议")

    meeting = models.ForeignKey(
        JointMeeting, verbose_name=_("会次"), on_delete=models.PROTECT, related_name="items"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("救助申请"), on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("提请会议研究的问题"), max_length=1000)
    reason = models.TextField(_("提交理由"), max_length=1000)
    put_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    put_at = models.DateTimeField(_("提交时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    outcome = models.CharField(_("议定结果"), max_length=10, choices=Outcome.choices, blank=True)
    decision = models.TextField(_("会议决定"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(_("议定时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="coordination_case_once")
        ]
        verbose_name = _("议题")
        verbose_name_plural = _("议题")

    def __str__(self):
        return self.case.receipt_number


class MeetingTask(models.Model):
    """A piece of work a decision gives one department, under a working-day deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("办理中")
        DONE = "done", _("已办结")

    item = models.ForeignKey(
        AgendaItem, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="tasks"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("承办部门"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("任务内容"), max_length=1000)
    working_days = models.PositiveSmallIntegerField(
        _("办理时限(工作日)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    assigned_at = models.DateTimeField(_("交办时间"))
    due_at = models.DateTimeField(_("办理时限"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    result = models.TextField(_("办理结果"), max_length=2000, blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("督办层级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("会议交办任务")
        verbose_name_plural = _("会议交办任务")

    def __str__(self):
        return f"{self.department} · {self.item}"
