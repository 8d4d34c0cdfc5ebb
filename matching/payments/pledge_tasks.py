"""The scheduler's daily giving jobs: thin tasks over ``pledges.pledges_expire`` and
``recurring.recurring_gifts_stop_for_closed_targets``."""

from django_tasks import task

from .pledges import pledges_expire as expire
from .recurring import recurring_gifts_stop_for_closed_targets


@task()
def pledges_expire():
    """Daily: offline pledges not paid within GIVING_PLEDGE_DAYS expire."""
    return expire()


@task()
def recurring_gifts_closed_targets():
    """Daily: monthly gifts to a project that closed or a fund switched off stop."""
    return len(recurring_gifts_stop_for_closed_targets())
