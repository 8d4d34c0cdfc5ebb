"""Append-only audit and ledger, balanced ledger: on a fresh database of each vendor.

SQLite: a database made by one ``manage.py migrate`` in a subprocess (what
``make demo`` does), checked with plain sqlite3. PostgreSQL: the test
database, made by the same migrations. Both lost nothing to the later
migrations that rebuild tables.
"""

import sqlite3
from contextlib import closing

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from matching.audit.guards import AUDIT_GUARDS
from matching.audit.models import AuditEntry
from matching.audit.services import audit_record_for
from matching.core.guards import guards_install, guards_missing
from matching.ledger.guards import LEDGER_GUARDS
from matching.ledger.models import Account, Entry
from matching.ledger.services import account_open, transaction_post
from tests.fresh_sqlite import fresh_sqlite_database, manage, sqlite_connect


@pytest.fixture
def sqlite_db(tmp_path):
    database = sqlite_connect(fresh_sqlite_database(tmp_path))
    yield database
    database.close()


def _insert_audit_entry(database):
    database.execute(
        "INSERT INTO audit_auditentry (at, actor_label, action, object_type, object_id, "
        "summary, jurisdiction_path) VALUES ('2026-12-01 10:00', 'system', 'create', "
        "'directory.jurisdiction', '220100', 'original', '220100')"
    )
    return database.execute("SELECT max(id) FROM audit_auditentry").fetchone()[0]


def _insert_ledger_transaction(database, key, amounts):
    """One transaction with entries of ``amounts``, in one database transaction."""
    database.execute("BEGIN")
    try:
        for code in ("clearing", "need"):
            database.execute(
                "INSERT OR IGNORE INTO ledger_account (code, kind, name, category, currency, "
                "created_at) VALUES (?, 'need', '', '', 'cny', '2026-12-01 10:00')",
                [code],
            )
        database.execute(
            "INSERT INTO ledger_transaction (kind, memo, idempotency_key, created_at) "
            "VALUES ('donation', '', ?, '2026-12-01 10:00')",
            [key],
        )
        txn = database.execute("SELECT max(id) FROM ledger_transaction").fetchone()[0]
        for code, amount in zip(("clearing", "need"), amounts, strict=False):
            database.execute(
                "INSERT INTO ledger_entry (transaction_id, account_id, amount_minor) "
                "SELECT ?, id, ? FROM ledger_account WHERE code = ?",
                [txn, amount, code],
            )
        database.execute("COMMIT")
    except sqlite3.DatabaseError:
        database.execute("ROLLBACK")
        raise
    return txn


# SQLite ---------------------------------------------------------------------


def test_sqlite_refuses_update_and_delete_of_an_audit_entry(sqlite_db):
    entry = _insert_audit_entry(sqlite_db)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        sqlite_db.execute("UPDATE audit_auditentry SET summary = 'rewritten' WHERE id = ?", [entry])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        sqlite_db.execute("DELETE FROM audit_auditentry WHERE id = ?", [entry])
    assert sqlite_db.execute(
        "SELECT summary FROM audit_auditentry WHERE id = ?", [entry]
    ).fetchall() == [("original",)]


def test_sqlite_refuses_update_and_delete_of_ledger_rows(sqlite_db):
    txn = _insert_ledger_transaction(sqlite_db, "k1", [-500, 500])
    for statement in (
        "UPDATE ledger_entry SET amount_minor = 1 WHERE transaction_id = ?",
        "DELETE FROM ledger_entry WHERE transaction_id = ?",
        "UPDATE ledger_transaction SET memo = 'x' WHERE id = ?",
        "DELETE FROM ledger_transaction WHERE id = ?",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            sqlite_db.execute(statement, [txn])
    assert sqlite_db.execute(
        "SELECT amount_minor FROM ledger_entry WHERE transaction_id = ? ORDER BY id", [txn]
    ).fetchall() == [(-500,), (500,)]


@pytest.mark.parametrize(
    "amounts", [[-500, 400], [500], []], ids=["not-summing-to-zero", "one-entry", "no-entry"]
)
def test_sqlite_refuses_to_commit_an_unbalanced_transaction(sqlite_db, amounts):
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        _insert_ledger_transaction(sqlite_db, "unbalanced", amounts)
    assert sqlite_db.execute("SELECT count(*) FROM ledger_transaction").fetchone() == (0,)


def test_sqlite_refuses_an_entry_added_to_a_posted_transaction(sqlite_db):
    txn = _insert_ledger_transaction(sqlite_db, "k1", [-500, 500])
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        sqlite_db.execute(
            "INSERT INTO ledger_entry (transaction_id, account_id, amount_minor) "
            "SELECT ?, id, 100 FROM ledger_account WHERE code = 'need'",
            [txn],
        )
    assert sqlite_db.execute("SELECT count(*) FROM ledger_entry").fetchone() == (2,)


def test_sqlite_accepts_a_balanced_transaction(sqlite_db):
    _insert_ledger_transaction(sqlite_db, "k1", [-500, 500])
    assert sqlite_db.execute("SELECT count(*) FROM ledger_entry").fetchone() == (2,)


_REBUILD = """
from django.db import connection
from matching.audit.models import AuditEntry
from matching.ledger.models import Entry, Transaction
for model in (AuditEntry, Transaction, Entry):
    with connection.schema_editor() as editor:
        editor._remake_table(model)
"""


def test_sqlite_tables_rebuilt_by_a_later_migration_get_their_guards_back(tmp_path):
    """What a future AddField/AlterField does on SQLite: copy each table into a
    new one and drop the old, triggers and all. The rebuild itself must work
    (no guard may name a table that is momentarily gone), and the next
    migrate puts every guard back."""
    database = fresh_sqlite_database(tmp_path)
    with closing(sqlite_connect(database)) as db:
        txn = _insert_ledger_transaction(db, "before", [-500, 500])
    manage(database, "shell", "-c", _REBUILD)
    with closing(sqlite_connect(database)) as db:
        # The rebuild dropped the guards (this is what used to stay broken).
        db.execute("UPDATE ledger_transaction SET memo = 'rebuilt' WHERE id = ?", [txn])
    manage(database, "migrate", "--no-input", "-v", "0")
    with closing(sqlite_connect(database)) as db:
        entry = _insert_audit_entry(db)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE audit_auditentry SET summary = 'x' WHERE id = ?", [entry])
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM ledger_transaction WHERE id = ?", [txn])
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            _insert_ledger_transaction(db, "unbalanced", [-500, 400])
        _insert_ledger_transaction(db, "balanced", [-300, 300])


# PostgreSQL -----------------------------------------------------------------


def _refused(sql, params):
    with (
        pytest.raises(DatabaseError) as refused,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)
    return str(refused.value)


@pytest.mark.django_db
@pytest.mark.postgres
def test_postgresql_after_migrate_has_every_guard():
    assert guards_missing(connection=connection, guards_by_vendor=AUDIT_GUARDS) == []
    assert guards_missing(connection=connection, guards_by_vendor=LEDGER_GUARDS) == []


@pytest.mark.django_db
@pytest.mark.postgres
def test_postgresql_refuses_update_delete_and_unbalanced_after_migrate():
    entry = audit_record_for(
        actor=None, action=AuditEntry.Action.CREATE, object_type="x.y", object_id=1
    )
    assert "append-only" in _refused(
        "UPDATE audit_auditentry SET summary = 'x' WHERE id = %s", [entry.pk]
    )
    assert "append-only" in _refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    clearing = account_open(code="stripe:clearing", kind=Account.Kind.CLEARING)
    need = account_open(code="need:1", kind=Account.Kind.NEED, category="medical")
    posted, _ = transaction_post(
        kind="donation", idempotency_key="k", lines=[(clearing, -500), (need, 500)]
    )
    for sql in (
        "UPDATE ledger_entry SET amount_minor = 1 WHERE transaction_id = %s",
        "DELETE FROM ledger_entry WHERE transaction_id = %s",
        "UPDATE ledger_transaction SET memo = 'x' WHERE id = %s",
        "DELETE FROM ledger_transaction WHERE id = %s",
    ):
        assert "append-only" in _refused(sql, [posted.pk])
    with pytest.raises(IntegrityError, match="unbalanced"), transaction.atomic():
        Entry.objects.create(transaction=posted, account=need, amount_minor=100)
        with connection.cursor() as cursor:
            # The test's outer transaction never commits; this runs the
            # deferred check now, as COMMIT would.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.django_db
@pytest.mark.postgres
def test_postgresql_a_lost_trigger_is_reinstalled_after_migrate():
    """What a table rebuild in a future migration would do: the guard comes back.
    (Inside the test's transaction: PostgreSQL rolls the DROP back afterwards.)"""
    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER audit_entry_append_only ON audit_auditentry")
        cursor.execute("DROP TRIGGER ledger_entry_balanced ON ledger_entry")
    assert guards_missing(connection=connection, guards_by_vendor=AUDIT_GUARDS) == [
        "audit_entry_append_only"
    ]
    call_command("migrate", verbosity=0)
    assert guards_missing(connection=connection, guards_by_vendor=AUDIT_GUARDS) == []
    assert guards_missing(connection=connection, guards_by_vendor=LEDGER_GUARDS) == []
    assert guards_install(connection=connection, guards_by_vendor=LEDGER_GUARDS) == []
