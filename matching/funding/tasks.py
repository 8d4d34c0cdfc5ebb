from django_tasks import task

from . import services


@task()
def confirmations_flag_overdue():
    """Daily: flag deliveries the household has not confirmed by the deadline."""
    return len(services.confirmations_flag_overdue())
