from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One job at one scheduled minute, enqueued once.

    The unique key (job, tick) is the lock between schedulers: the row is
    inserted in the same transaction as the task, so a second scheduler
    ticking the same minute fails to insert it and enqueues nothing.
    """

    job = models.CharField(_("任务"), max_length=100)
    tick = models.DateTimeField(_("计划时间"))
    enqueued_at = models.DateTimeField(_("入队时间"), auto_now_add=True)
    task_result_id = models.CharField(_("任务结果编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")
        constraints = [
            models.UniqueConstraint(fields=["job", "tick"], name="scheduler_run_once_per_tick")
        ]
        indexes = [models.Index(fields=["job", "-tick"])]

    def __str__(self):
        return f"{self.job} @ {self.tick:%Y-%m-%d %H:%M}"
