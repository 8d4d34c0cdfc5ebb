"""Database-level guards: posted rows never change, transactions balance.

The posting service already refuses unbalanced input; these triggers make
the same promise hold for any writer (a shell, a raw SQL fix, a bug).
TRUNCATE is deliberately not blocked: test databases are flushed with it,
and production revokes TRUNCATE from the application role instead.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation',
                  HINT = 'post a reversing transaction instead';
    END
    $$
    """,
    """
    CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()
    """,
    """
    CREATE TRIGGER ledger_transaction_append_only BEFORE UPDATE OR DELETE ON ledger_transaction
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()
    """,
    """
    CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        txn_id bigint;
        entry_count integer;
        total bigint;
    BEGIN
        IF TG_TABLE_NAME = 'ledger_entry' THEN
            txn_id := NEW.transaction_id;
        ELSE
            txn_id := NEW.id;
        END IF;
        SELECT count(*), coalesce(sum(amount_minor), 0) INTO entry_count, total
            FROM ledger_entry WHERE transaction_id = txn_id;
        IF entry_count < 2 OR total <> 0 THEN
            RAISE EXCEPTION 'ledger transaction % is unbalanced: % entries summing to %',
                txn_id, entry_count, total USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END
    $$
    """,
    # Deferred to commit: entries of one transaction are inserted one by one,
    # so the sum is only meaningful once they are all in.
    """
    CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()
    """,
    """
    CREATE CONSTRAINT TRIGGER ledger_transaction_balanced AFTER INSERT ON ledger_transaction
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()
    """,
]

POSTGRES_BACKWARD = [
    "DROP TRIGGER ledger_transaction_balanced ON ledger_transaction",
    "DROP TRIGGER ledger_entry_balanced ON ledger_entry",
    "DROP FUNCTION ledger_check_balanced()",
    "DROP TRIGGER ledger_transaction_append_only ON ledger_transaction",
    "DROP TRIGGER ledger_entry_append_only ON ledger_entry",
    "DROP FUNCTION ledger_refuse_change()",
]

# SQLite (the embedded demo) has no deferred triggers; the posting service
# guards balance there, and these keep posted rows immutable.
_SQLITE_GUARDS = [
    (f"ledger_{table}_no_{op.lower()}", table, op)
    for table in ("entry", "transaction")
    for op in ("UPDATE", "DELETE")
]
SQLITE_FORWARD = [
    f"CREATE TRIGGER {name} BEFORE {op} ON ledger_{table} "
    f"BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END"
    for name, table, op in _SQLITE_GUARDS
]
SQLITE_BACKWARD = [f"DROP TRIGGER {name}" for name, _table, _op in _SQLITE_GUARDS]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            # params=None: the % in RAISE formats must reach PostgreSQL as is.
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
