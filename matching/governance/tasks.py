"""Periodic work of the governance app, as tasks the scheduler enqueues (docs/operations.md)."""

from django_tasks import task

from .services import complaints_escalate_overdue


@task()
def complaint_deadlines_sweep():
    """What ``manage.py escalate_complaints`` does: escalate complaints past their deadline."""
    return complaints_escalate_overdue()
