"""Index names, aliases and zero-downtime rebuilds.

Each registered index is reached through two aliases: ``<prefix>-<name>``
(read: what queries use) and ``<prefix>-<name>-write`` (what the indexer
writes to). A rebuild creates a new concrete index, adds it to the write
alias so live changes reach old and new alike, loads every row, replays the
changes made meanwhile, then swaps the read alias in one atomic call.
"""

import logging
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone
from elasticsearch import exceptions as es_exceptions
from elasticsearch.helpers import streaming_bulk

from . import registry
from .client import get_client, index_name

log = logging.getLogger(__name__)

# Versions are outbox ids, so a write may carry the version already stored
# (the same change replayed, or a document deleted by hand, which bumps it
# by one): "external_gte" takes those, and still refuses anything older.
VERSION_TYPE = "external_gte"

# Rebuilt documents carry the lowest external version, so any live change
# (whose version is its outbox id, >= 1) wins over them whatever the order.
REBUILD_VERSION = 1


def read_alias(name):
    return index_name(name)


def write_alias(name):
    return index_name(f"{name}-write")


def _concrete_name(name):
    return index_name(f"{name}-{timezone.now():%Y%m%d%H%M%S%f}")


def create_concrete(spec):
    concrete = _concrete_name(spec.name)
    index = spec.document._index.clone(name=concrete)
    index.settings(
        number_of_shards=settings.ELASTICSEARCH_SHARDS,
        number_of_replicas=settings.ELASTICSEARCH_REPLICAS,
    )
    index.create(using=get_client())
    return concrete


def write_targets(name):
    """The concrete indices behind the write alias (two during a rebuild)."""
    client = get_client()
    alias = write_alias(name)
    if not client.indices.exists_alias(name=alias):
        return []
    return sorted(client.indices.get_alias(name=alias))


def read_target(name):
    client = get_client()
    alias = read_alias(name)
    if not client.indices.exists_alias(name=alias):
        return None
    return next(iter(client.indices.get_alias(name=alias)))


def aliases_update(*actions):
    """Apply alias actions in one atomic call."""
    get_client().indices.update_aliases(body={"actions": list(actions)})


def ensure(spec):
    """Create the index and both aliases if the index does not exist yet."""
    if read_target(spec.name):
        return False
    concrete = create_concrete(spec)
    aliases_update(
        {"add": {"index": concrete, "alias": read_alias(spec.name)}},
        {"add": {"index": concrete, "alias": write_alias(spec.name)}},
    )
    return True


def bulk_actions(spec, rows_by_source, targets, version_for):
    """Index actions for rows, to every target, with external versions."""
    for source, rows in rows_by_source:
        for row in rows:
            body = source.prepare(row)
            for target in targets:
                yield {
                    "_op_type": "index",
                    "_index": target,
                    "_id": source.doc_id(source.row_key(row)),
                    "version": version_for(source, row),
                    "version_type": VERSION_TYPE,
                    "_source": body,
                }


class BulkRefused(RuntimeError):
    """Elasticsearch answered, but refused some actions (not a version conflict)."""


# Two bulk requests in flight: while Elasticsearch indexes one chunk, this
# thread loads and prepares the next (the database stays in this thread; only
# the HTTP requests run in the pool). bench/matching.py measures the gain.
SEND_THREADS = 2


def _chunks(actions, size):
    chunk = []
    for action in actions:
        chunk.append(action)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_META = ("_index", "_id", "version", "version_type")


def _expand(action):
    """The bulk metadata and body of one action: ``helpers.expand_action`` for
    the keys this app writes (the helper's walks twenty optional keys and
    copies the action, a quarter of the sending threads' CPU)."""
    meta = {key: action[key] for key in _META if key in action}
    op_type = action.get("_op_type", "index")
    return {op_type: meta}, (None if op_type == "delete" else action["_source"])


def _send_chunk(chunk):
    failures = []
    for ok, item in streaming_bulk(
        get_client(),
        chunk,
        chunk_size=len(chunk),
        expand_action_callback=_expand,
        raise_on_error=False,
        raise_on_exception=True,
        max_retries=0,
    ):
        if not ok:
            result = next(iter(item.values()))
            if result.get("status") not in (404, 409):
                failures.append(result)
    return failures


# Actions per bulk request (each request ends with a translog fsync).
CHUNK_SIZE = 1000


def send(actions, *, chunk_size=None):
    """Send actions; a version conflict means a newer change is already there.

    Order does not matter: every write carries its external version."""
    failures = []
    with ThreadPoolExecutor(SEND_THREADS) as pool:
        in_flight = deque()
        for chunk in _chunks(actions, chunk_size or CHUNK_SIZE):
            in_flight.append(pool.submit(_send_chunk, chunk))
            if len(in_flight) >= SEND_THREADS:
                failures += in_flight.popleft().result()
        while in_flight:
            failures += in_flight.popleft().result()
    if failures:
        raise BulkRefused(
            f"Elasticsearch refused {len(failures)} actions: "
            f"{failures[0].get('error', {}).get('type')}"
        )


def _refresh_interval(spec):
    return spec.document._index._settings.get("refresh_interval", "1s")


@contextmanager
def bulk_loading(names):
    """No periodic refresh on ``names``' write targets while a big backlog
    loads (each refresh makes a segment to merge later), then the mapping's
    interval back and one refresh. If the process dies in between, the next
    ``bulk_loading`` or ``rebuild`` restores it."""
    targets = [(registry.spec(name), t) for name in names for t in write_targets(name)]
    client = get_client()
    for _spec, target in targets:
        client.indices.put_settings(index=target, body={"index": {"refresh_interval": "-1"}})
    try:
        yield
    finally:
        for spec, target in targets:
            try:
                client.indices.put_settings(
                    index=target, body={"index": {"refresh_interval": _refresh_interval(spec)}}
                )
                client.indices.refresh(index=target)
            except es_exceptions.NotFoundError:
                pass  # swapped out by a rebuild meanwhile
