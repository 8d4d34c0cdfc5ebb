"""Periodic work of joint meetings, as tasks the scheduler enqueues (docs/operations.md)."""

from django_tasks import task

from .services import meeting_tasks_escalate_overdue


@task()
def meeting_tasks_sweep():
    """Escalate every overdue joint-meeting task, once each."""
    return {"escalated": meeting_tasks_escalate_overdue()}
