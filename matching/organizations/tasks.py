from django_tasks import task

from . import services


@task()
def verifications_expire():
    """Daily: remind before a verification ends, unverify on its end."""
    reminded, expired = services.verifications_expire()
    return len(reminded), len(expired)


@task()
def reporting_duty_sweep():
    """Daily: open the periodic reports owed, mark the late ones overdue."""
    opened, overdue = services.reporting_duty_sweep()
    return len(opened), len(overdue)
