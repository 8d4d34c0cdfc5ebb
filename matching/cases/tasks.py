"""Periodic work of the case app, as tasks the scheduler enqueues (docs/operations.md)."""

from django_tasks import task

from .services import economic_refresh_overdue, referrals_escalate_overdue, referrals_remind


@task()
def referral_deadlines_sweep():
    """What ``manage.py escalate_overdue`` does: remind before, escalate after a deadline."""
    return {"reminded": referrals_remind(), "escalated": referrals_escalate_overdue()}


@task()
def economic_refresh_overdue_sweep():
    """Daily: tell departments overdue for their economic-data refresh, once per period."""
    return len(economic_refresh_overdue())
