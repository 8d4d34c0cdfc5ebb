"""Background work of the search app: thin tasks over the indexer."""

from django_tasks import task

from .indexer import drain


@task()
def drain_outbox():
    return drain()


@task()
def match_emergency(case_id):
    """An emergency was opened: propose offers at once and tell the staff."""
    from .emergency import emergency_match

    return emergency_match(case_id=case_id)
