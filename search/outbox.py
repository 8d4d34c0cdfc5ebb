"""Writes an outbox entry whenever a registered row changes.

Connected to the models' save and delete signals by ``SearchConfig.ready``:
the entry is written by the same database transaction as the change, and
the drain is enqueued only once that transaction commits. With or without
Elasticsearch, each index the row feeds gets a new version token once the
change commits (search.versions: what the in-process matcher's cache keys on).
"""

from django.conf import settings
from django.db import transaction

from . import registry, versions
from .client import is_configured
from .models import OutboxEntry
from .tasks import drain_outbox


def record_change(sender, instance, **kwargs):
    _bump_versions(sender)
    if not is_configured():
        return
    OutboxEntry.objects.bulk_create(
        [
            OutboxEntry(index=spec.name, model=sender._meta.label_lower, object_pk=str(instance.pk))
            for spec, _source in registry.sources_for_model(sender)
        ]
    )
    if settings.SEARCH_LIVE_INDEXING:
        transaction.on_commit(_enqueue_drain)


def record_changes(model, pks):
    """For bulk writes that bypass signals: record each primary key."""
    _bump_versions(model)
    if not is_configured():
        return
    OutboxEntry.objects.bulk_create(
        [
            OutboxEntry(index=spec.name, model=model._meta.label_lower, object_pk=str(pk))
            for spec, _source in registry.sources_for_model(model)
            for pk in pks
        ],
        batch_size=5000,
    )
    if settings.SEARCH_LIVE_INDEXING:
        transaction.on_commit(_enqueue_drain)


def _bump_versions(model):
    for spec in {spec.name for spec, _source in registry.sources_for_model(model)}:
        versions.changed(spec)


def _enqueue_drain():
    drain_outbox.enqueue()
