"""Each index's version token: changed once a change to one of its rows commits.

The outbox (search.outbox) records changes for Elasticsearch only when it is
configured; the token is written always, by the same save and delete signals
and by ``record_changes`` for bulk writes, so that every process holding an
index's documents in memory (search.offer_cache) sees any process's change at
its next read of the token: one primary-key lookup.

Why after the commit, and why a random token:

* Written inside the change's transaction, the token row would be locked
  until that transaction ends, making every transaction that changes an offer
  wait for the others (and deadlock when two change two offers in opposite
  orders). Written after the commit it is one short autocommit statement.
  A reader that sees the new rows but the old token caches them under the old
  token and reloads once the new one appears: one wasted load, never a stale
  answer. A reader never sees the new token with the old rows.
* A counter could come back: a transaction that bumps it and rolls back, or a
  table emptied and refilled (the tests' flush), would let another change
  reach the same number with other rows. A random 63-bit token does not
  repeat in practice; a missing row means "unknown": nothing is cached.

While a transaction has uncommitted changes to an index, its own connection
must see them, so the cache is bypassed (``pending``) until it commits.
"""

import secrets

from django.db import connection, transaction

# IndexVersion's table (a test checks the name), written and read as plain
# SQL: building an ORM query costs more than running it (docs/performance.md).
_UPSERT = (
    "INSERT INTO assist_search_indexversion (name, token) VALUES (%s, %s) "
    "ON CONFLICT (name) DO UPDATE SET token = excluded.token"
)
_SELECT = "SELECT token FROM assist_search_indexversion WHERE name = %s"


def _bumper(index):
    """One function object per index, so a transaction's pending bump can be
    recognised among its on-commit callbacks (and registered only once)."""
    if index not in _BUMPERS:

        def bump_after_commit():
            bump(index)

        _BUMPERS[index] = bump_after_commit
    return _BUMPERS[index]


_BUMPERS = {}


def bump(index):
    """A new token for ``index``, now (autocommit, or in the caller's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [index, secrets.randbits(63)])


def changed(index):
    """A row of ``index`` changed: a new token once the transaction commits
    (at once outside a transaction)."""
    bumper = _bumper(index)
    if _registered(bumper):
        return
    transaction.on_commit(bumper, robust=True)
    if connection.in_atomic_block:
        callbacks = connection.run_on_commit
        _remember(bumper, callbacks, len(callbacks) - 1)


def pending(index):
    """Whether this connection's open transaction has changed ``index``."""
    bumper = _BUMPERS.get(index)
    return bool(bumper and _registered(bumper))


def _registered(bumper):
    """Whether ``bumper`` waits among this transaction's on-commit callbacks.
    O(1) in a loop of saves: where it was appended is remembered (Django only
    appends to the list, and builds a new one when a savepoint rolls back or
    the transaction ends), so the list -- which grows with every save -- is
    walked only when that memory is out of date."""
    if not connection.in_atomic_block:
        return False
    callbacks = connection.run_on_commit
    memo = connection.__dict__.get("_search_version_bumps", {}).get(bumper)
    if memo and memo[0] is callbacks and _at(callbacks, memo[1]) is memo[2]:
        return True
    for position, entry in enumerate(callbacks):
        if entry[1] is bumper:
            _remember(bumper, callbacks, position)
            return True
    return False


def _at(items, position):
    return items[position] if position < len(items) else None


def _remember(bumper, callbacks, position):
    memos = connection.__dict__.setdefault("_search_version_bumps", {})
    memos[bumper] = (callbacks, position, callbacks[position])


def token(index):
    """The committed token of ``index``, or None if no change was ever recorded."""
    with connection.cursor() as cursor:
        cursor.execute(_SELECT, [index])
        row = cursor.fetchone()
    return row[0] if row else None
