"""The append-only audit log: who read or changed what, and when.

The database itself refuses UPDATE and DELETE on this table (a trigger, see
migration 0002), so an entry once written cannot be rewritten by the
application, by the Django admin, or by a stray SQL console.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        READ_PERSONAL_DATA = "read_personal", _("查看个人信息")
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        TRANSITION = "transition", _("状态变更")
        EXPORT = "export", _("导出")
        DELETE = "delete", _("删除")
        APPROVAL = "approval", _("审批")
        RECUSAL = "recusal", _("回避")
        ADMIN = "admin", _("后台其他操作")

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    # Kept beside the foreign key so the entry still names its author after
    # the account is gone: the row is never updated, so the key may dangle.
    actor_label = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    # The path of the jurisdiction the object belongs to ("220100/220104/..."),
    # so that inspectors can filter by area with a prefix match; blank when
    # the object has none (accounts, settings).
    jurisdiction_path = models.CharField(_("辖区"), max_length=255, blank=True, db_index=True)
    summary = models.CharField(_("摘要"), max_length=255, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()}"
