"""Periodic work of the inspections app, as tasks the scheduler enqueues."""

from django_tasks import task

from .services import findings_escalate_overdue


@task()
def rectification_deadlines_sweep():
    """Escalate, once, every rectification past its deadline."""
    return findings_escalate_overdue()
