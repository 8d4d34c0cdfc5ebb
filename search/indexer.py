"""Drains the outbox into Elasticsearch.

Each outbox entry names an index, a model and a primary key. The indexer
loads the row as it is *now*, and writes it (or deletes it, when the row is
gone or no longer belongs in the index) with the entry's id as the external
version: Elasticsearch then refuses any older write, so concurrent workers
and retries can never put a stale document back.
"""

import logging
from collections import defaultdict
from contextlib import ExitStack, contextmanager, suppress
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Lookup, Max, Q
from django.utils import timezone
from elasticsearch import exceptions as es_exceptions

from . import indices, registry
from .client import SearchUnavailable, get_client
from .indices import VERSION_TYPE
from .memory import gc_paused
from .models import OutboxEntry

log = logging.getLogger(__name__)

UNAVAILABLE = (
    es_exceptions.ConnectionError,
    es_exceptions.TransportError,
    SearchUnavailable,
    indices.BulkRefused,
)

BATCH_SIZE = 2000


def _claim(batch_size):
    """Lock a batch of pending entries; other workers skip them (PostgreSQL).
    Plain (id, index, model, object_pk) tuples: a backlog drain claims
    thousands, and model instances cost more than the rest of the claim."""
    pending = OutboxEntry.objects.filter(processed_at__isnull=True).order_by("id")
    if connection.features.has_select_for_update_skip_locked:
        pending = pending.select_for_update(skip_locked=True)
    return list(pending.values_list("id", "index", "model", "object_pk")[:batch_size])


def _latest_versions(entries):
    """(index, model, pk) -> the highest entry id among ``entries``."""
    latest = {}
    for entry_id, index, model, pk in entries:
        key = (index, model, pk)
        latest[key] = max(latest.get(key, 0), entry_id)
    return latest


def _with_pks(queryset, pks):
    """``queryset.filter(pk__in=pks)``; on PostgreSQL as ``= ANY(array)``: one
    parameter instead of thousands (Django and psycopg spend longer building
    and splitting a 5,000-placeholder statement than the database runs it)."""
    if connection.vendor != "postgresql":
        return queryset.filter(pk__in=pks)
    pk = queryset.model._meta.pk
    return queryset.filter(_AnyOf(F("pk"), [pk.to_python(value) for value in pks]))


class _AnyOf(Lookup):
    """``column = ANY(%s)`` with the list as one array parameter (PostgreSQL)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def _targets_ensuring(name):
    """Write targets, creating the index first: a change is never dropped for want of one."""
    targets = indices.write_targets(name)
    if not targets:
        indices.ensure(registry.spec(name))
        targets = indices.write_targets(name)
    return targets


def actions_for(latest, targets_of):
    """Index or delete actions reflecting the database now, one per target."""
    by_source = defaultdict(dict)
    for (index, model_label, pk), version in latest.items():
        spec = registry.spec(index)
        source = spec.source_for(apps.get_model(model_label))
        by_source[(spec, source)][pk] = version
    for (spec, source), versions in by_source.items():
        rows = {
            str(source.row_key(row)): row for row in _with_pks(source.queryset(), list(versions))
        }
        targets = targets_of(spec.name)
        for pk, version in versions.items():
            row = rows.get(pk)
            for target in targets:
                yield _action(source, target, pk, row, version)


def _action(source, target, pk, row, version):
    action = {
        "_index": target,
        "_id": source.doc_id(pk),
        "version": version,
        "version_type": VERSION_TYPE,
    }
    if row is None:
        return {**action, "_op_type": "delete"}
    return {**action, "_op_type": "index", "_source": source.prepare(row)}


# A batch loads and prepares thousands of rows into short-lived dicts; with
# collections paused it takes about half the CPU (search.memory).
PAUSE_GC = True


def drain_once(batch_size=BATCH_SIZE):
    """Process one batch: the number of entries acknowledged, or None when
    Elasticsearch did not take them (they stay pending, attempts counted)."""
    with gc_paused(PAUSE_GC), transaction.atomic():
        entries = _claim(batch_size)
        ids = [entry[0] for entry in entries]
        if not ids:
            return 0
        claimed = _with_pks(OutboxEntry.objects.all(), ids)
        try:
            indices.send(actions_for(_latest_versions(entries), _targets_ensuring))
        except UNAVAILABLE as error:
            claimed.update(attempts=F("attempts") + 1)
            # The error type only: a message could quote a document's content.
            log.warning(
                "search outbox: %d changes wait for Elasticsearch (%s)",
                len(ids),
                type(error).__name__,
            )
            return None
        claimed.update(processed_at=timezone.now())
    return len(ids)


# A backlog at least this long is drained with periodic refresh off
# (indices.bulk_loading): ~30 % faster, searchable when the drain ends; and in
# batches of BACKLOG_BATCH_SIZE: fewer pauses while a batch commits.
BACKLOG = 20_000
BACKLOG_BATCH_SIZE = 5000


def drain(batch_size=BATCH_SIZE):
    """Drain until nothing is pending; returns the number of entries processed.

    When Elasticsearch is unreachable the entries stay pending and this
    returns what it managed; the next drain picks them up.
    """
    total = drain_once(batch_size) or 0
    if total < batch_size:
        return total
    with _backlog_mode() as backlog:
        return total + _drain_all(max(batch_size, BACKLOG_BATCH_SIZE) if backlog else batch_size)


@contextmanager
def _backlog_mode():
    """Yields whether the pending backlog is long enough for bulk loading."""
    pending = OutboxEntry.objects.filter(processed_at__isnull=True)
    if pending.count() < BACKLOG:
        yield False
        return
    names = sorted(set(pending.values_list("index", flat=True).distinct()))
    with ExitStack() as stack:
        with suppress(*UNAVAILABLE):  # the drain itself will find Elasticsearch down
            stack.enter_context(indices.bulk_loading(names))
        yield True


def _drain_all(batch_size):
    total = 0
    while True:
        done = drain_once(batch_size)
        if not done:
            return total
        total += done


def prune(*, now=None, batch_size=10_000):
    """Delete entries Elasticsearch acknowledged more than
    ``SEARCH_OUTBOX_RETENTION_DAYS`` ago; returns how many. Pending entries are
    never deleted, however old. Kept that long only for ``replay_since`` (a
    rebuild replays what was processed while it ran, minutes). Versions stay
    increasing after a prune: ids are never reused (a PostgreSQL sequence,
    SQLite's AUTOINCREMENT)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SEARCH_OUTBOX_RETENTION_DAYS)
    old = OutboxEntry.objects.filter(processed_at__lt=cutoff).order_by("id")
    total = 0
    while ids := list(old.values_list("id", flat=True)[:batch_size]):
        total += OutboxEntry.objects.filter(id__in=ids).delete()[0]
    return total


def replay_since(spec, marker, started, *, targets):
    """Re-send every object of ``spec`` changed after ``marker`` (used by rebuild)."""
    recent = (
        OutboxEntry.objects.filter(index=spec.name)
        .filter(Q(id__gt=marker) | Q(processed_at__gte=started) | Q(processed_at__isnull=True))
        .values("index", "model", "object_pk")
        .annotate(version=Max("id"))
    )
    latest = {(r["index"], r["model"], r["object_pk"]): r["version"] for r in recent}
    indices.send(actions_for(latest, lambda name: targets))


def rebuild(spec, *, chunk_size=1000):
    """Rebuild ``spec`` into a fresh index with no search downtime and no lost change."""
    client = get_client()
    indices.ensure(spec)
    old = indices.read_target(spec.name)
    started = timezone.now()
    marker = OutboxEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    new = indices.create_concrete(spec)
    indices.aliases_update({"add": {"index": new, "alias": indices.write_alias(spec.name)}})
    rows = ((source, source.queryset().iterator(chunk_size=chunk_size)) for source in spec.sources)
    indices.send(
        indices.bulk_actions(spec, rows, [new], lambda source, row: indices.REBUILD_VERSION),
        chunk_size=chunk_size,
    )
    replay_since(spec, marker, started, targets=[new])
    client.indices.refresh(index=new)
    indices.aliases_update(
        {"remove": {"index": old, "alias": indices.read_alias(spec.name)}},
        {"add": {"index": new, "alias": indices.read_alias(spec.name)}},
        {"remove": {"index": old, "alias": indices.write_alias(spec.name)}},
    )
    client.indices.delete(index=old, ignore_unavailable=True)
    log.info("rebuilt index %s into %s", spec.name, new)
    return new
