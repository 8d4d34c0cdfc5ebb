"""Periodic work of the search app, as tasks the scheduler enqueues (docs/operations.md).

Apart from ``search.tasks`` because the outbox imports those: these import the
reconciliation, which imports the outbox.
"""

from django.conf import settings
from django_tasks import task

from . import reconcile
from .indexer import prune


@task()
def outbox_prune():
    """What ``manage.py search_outbox_prune`` does: drop acknowledged outbox rows."""
    return prune()


@task()
def indexes_reconcile():
    """``manage.py search_reconcile --repair`` over every index; nothing without Elasticsearch."""
    if not settings.ELASTICSEARCH_URL:
        return None
    return {spec.name: reconcile.repair(spec).count() for spec in reconcile.specs_named([])}
