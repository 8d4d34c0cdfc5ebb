"""Joint-meeting tasks due or overdue (``matching/core/workqueue.py``)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.core.workqueue import queue_register
from matching.directory.selectors import profile_get

from .selectors import TASK_READERS, task_list

DUE_WITHIN = timedelta(days=2)


def meeting_tasks_due(*, user):
    """Open tasks overdue or due within two days: the liaison's own, or in staff's scope."""
    profile = profile_get(user=user)
    if profile is None or profile.role not in TASK_READERS:
        return None
    rows = task_list(user=user, open_only=True)
    return rows.filter(due_at__lt=timezone.now() + DUE_WITHIN)


queue_register(
    key="meeting_tasks_due",
    label=_("联席会议任务到期/逾期"),
    rows=meeting_tasks_due,
    index_url_name="coordination_tasks",
    order=85,
    deadline="due_at",
    unit_field="item__meeting__body__jurisdiction__path",
    icon="group",
)
