"""Background work of the search app: thin tasks over the indexer."""

from django_tasks import task

from .emergency import emergency_match
from .indexer import drain


@task()
def drain_outbox():
    return drain()


@task()
def match_emergency(case_id):
    """An emergency was opened: propose offers at once and tell the staff."""
    return emergency_match(case_id=case_id)


def on_emergency_opened(sender, case_id, **kwargs):
    """The signal's receiver: the match runs as a task, not inside the intake request."""
    match_emergency.enqueue(case_id)
