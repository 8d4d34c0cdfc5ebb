"""Background work of the search app: thin tasks over the indexer."""

from django_tasks import task

from .indexer import drain


@task()
def drain_outbox():
    return drain()
