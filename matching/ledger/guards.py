"""The ledger's database guards, (re)installed after every ``migrate``.

Posted rows never change, on PostgreSQL and SQLite alike; and a transaction
whose entries do not sum to zero (or has fewer than two) cannot be
committed:

- PostgreSQL: deferred constraint triggers sum the entries at COMMIT (as
  ``0002_append_only_and_balanced`` created them).
- SQLite has no deferred triggers, but it has deferred foreign keys, which
  it checks at COMMIT. Inserting a transaction records it in
  ``ledger_unbalanced``, whose ``never_id`` column references a table that is
  always empty; each entry inserted re-evaluates its transaction and removes
  the record once the entries number at least two and sum to zero. A record
  still there at COMMIT is an outstanding foreign-key violation, and SQLite
  refuses the commit ("FOREIGN KEY constraint failed"). Like every foreign
  key on SQLite this needs ``PRAGMA foreign_keys = ON``, which Django sets on
  every connection it opens. ``ledger_unbalanced`` is kept by the triggers
  alone; deleting its rows by hand defeats the check as dropping a trigger
  would. No trigger on one table names another ledger table it could lose:
  SQLite re-reads every trigger when Django renames a rebuilt table, and a
  trigger naming a table that is momentarily gone fails the migration.

See ``matching/core/guards.py`` for why these are installed after every
migrate and not only by the migration.
"""

from matching.core.guards import Guard

_SUM_IS_ZERO = """
    (SELECT count(*) FROM ledger_entry WHERE transaction_id = {txn}) >= 2
    AND (SELECT sum(amount_minor) FROM ledger_entry WHERE transaction_id = {txn}) = 0
"""

_POSTGRES_REFUSE = """
    CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ledger is append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation',
                  HINT = 'post a reversing transaction instead';
    END
    $$
"""
_POSTGRES_BALANCED = """
    CREATE OR REPLACE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
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
"""


def _postgres_guards():
    guards = [
        Guard("ledger_refuse_change", "ledger_entry", (_POSTGRES_REFUSE,), kind="function"),
        Guard("ledger_check_balanced", "ledger_entry", (_POSTGRES_BALANCED,), kind="function"),
    ]
    for table in ("entry", "transaction"):
        guards.append(
            Guard(
                f"ledger_{table}_append_only",
                f"ledger_{table}",
                (
                    f"CREATE TRIGGER ledger_{table}_append_only BEFORE UPDATE OR DELETE "
                    f"ON ledger_{table} FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
                ),
            )
        )
        # Deferred to commit: entries of one transaction are inserted one by
        # one, so the sum is only meaningful once they are all in.
        guards.append(
            Guard(
                f"ledger_{table}_balanced",
                f"ledger_{table}",
                (
                    f"CREATE CONSTRAINT TRIGGER ledger_{table}_balanced AFTER INSERT "
                    f"ON ledger_{table} DEFERRABLE INITIALLY DEFERRED "
                    "FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()",
                ),
            )
        )
    return tuple(guards)


def _sqlite_guards():
    guards = [
        Guard(
            f"ledger_{table}_no_{op.lower()}",
            f"ledger_{table}",
            (
                f"CREATE TRIGGER ledger_{table}_no_{op.lower()} BEFORE {op} ON ledger_{table} "
                "BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END",
            ),
        )
        for table in ("entry", "transaction")
        for op in ("UPDATE", "DELETE")
    ]
    guards += [
        Guard(
            "ledger_balance_never",
            "ledger_entry",
            ("CREATE TABLE ledger_balance_never (id integer NOT NULL PRIMARY KEY)",),
            kind="table",
        ),
        Guard(
            "ledger_balance_never_stays_empty",
            "ledger_balance_never",
            (
                "CREATE TRIGGER ledger_balance_never_stays_empty BEFORE INSERT "
                "ON ledger_balance_never "
                "BEGIN SELECT RAISE(ABORT, 'ledger_balance_never stays empty'); END",
            ),
        ),
        Guard(
            "ledger_unbalanced",
            "ledger_entry",
            (
                "CREATE TABLE ledger_unbalanced ("
                "transaction_id integer NOT NULL PRIMARY KEY, "
                "never_id integer NOT NULL REFERENCES ledger_balance_never (id) "
                "DEFERRABLE INITIALLY DEFERRED)",
            ),
            kind="table",
        ),
        Guard(
            "ledger_unbalanced_no_update",
            "ledger_unbalanced",
            (
                "CREATE TRIGGER ledger_unbalanced_no_update BEFORE UPDATE ON ledger_unbalanced "
                "BEGIN SELECT RAISE(ABORT, 'ledger_unbalanced is kept by triggers'); END",
            ),
        ),
        Guard(
            "ledger_transaction_opens",
            "ledger_transaction",
            (
                "CREATE TRIGGER ledger_transaction_opens AFTER INSERT ON ledger_transaction "
                "BEGIN INSERT INTO ledger_unbalanced (transaction_id, never_id) "
                "VALUES (NEW.id, NEW.id); END",
            ),
        ),
        Guard(
            "ledger_entry_rebalances",
            "ledger_entry",
            (
                "CREATE TRIGGER ledger_entry_rebalances AFTER INSERT ON ledger_entry BEGIN "  # noqa: S608
                "INSERT OR IGNORE INTO ledger_unbalanced (transaction_id, never_id) "
                "VALUES (NEW.transaction_id, NEW.transaction_id); "
                "DELETE FROM ledger_unbalanced WHERE transaction_id = NEW.transaction_id AND "
                + _SUM_IS_ZERO.format(txn="NEW.transaction_id")
                + "; END",
            ),
        ),
    ]
    return tuple(guards)


LEDGER_GUARDS = {"postgresql": _postgres_guards(), "sqlite": _sqlite_guards()}
