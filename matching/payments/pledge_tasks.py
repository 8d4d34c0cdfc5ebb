"""The scheduler's pledge job: a thin task over ``pledges.pledges_expire``."""

from django_tasks import task

from .pledges import pledges_expire as expire


@task()
def pledges_expire():
    """Daily: offline pledges not paid within GIVING_PLEDGE_DAYS expire."""
    return expire()
