"""Database guards that must exist after every ``migrate``, on every vendor.

Append-only tables (the audit trail, the ledger) and the ledger's balance
rule are enforced by triggers, first created by data migrations
(``audit/0002_append_only``, ``ledger/0002_append_only_and_balanced``). On
SQLite a later schema change that Django carries out by rebuilding the table
(``AddField`` of a NOT NULL column, most ``AlterField``) drops the table's
triggers with it, silently. So each app declares its guards here and a
``post_migrate`` receiver (re)installs the missing ones after every
``migrate`` (and every test flush): a rebuild in any future migration cannot
lose them. ``guards_missing`` says what is absent, for checks and tests.

Each guard is a named database object with the statements that create it;
installing is idempotent (a guard already present is left alone).
"""

from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class Guard:
    """One trigger (or helper object) on ``table``; ``create`` builds it."""

    name: str
    table: str
    create: tuple[str, ...]
    kind: str = "trigger"  # "trigger", "function" or "table"


def _present(connection, guard):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if guard.kind == "function":
                cursor.execute("SELECT 1 FROM pg_proc WHERE proname = %s", [guard.name])
            elif guard.kind == "table":
                cursor.execute("SELECT to_regclass(%s)", [guard.name])
                return cursor.fetchone()[0] is not None
            else:
                cursor.execute(
                    "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = to_regclass(%s)",
                    [guard.name, guard.table],
                )
        else:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = %s AND name = %s",
                [guard.kind, guard.name],
            )
        return cursor.fetchone() is not None


def _tables_exist(connection, guards):
    """Whether the tables the guards protect exist (not those they create)."""
    tables = set(connection.introspection.table_names())
    created = {guard.name for guard in guards if guard.kind == "table"}
    return all(guard.table in tables for guard in guards if guard.table not in created)


def guards_missing(*, connection, guards_by_vendor):
    """Names of the guards for ``connection``'s vendor that the database lacks."""
    guards = guards_by_vendor.get(connection.vendor, ())
    return [guard.name for guard in guards if not _present(connection, guard)]


def guards_install(*, connection, guards_by_vendor):
    """Create the missing guards; returns their names. Does nothing before the
    guarded tables exist (a migrate to an earlier state)."""
    guards = guards_by_vendor.get(connection.vendor, ())
    if not guards or not _tables_exist(connection, guards):
        return []
    installed = []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for guard in guards:
            if _present(connection, guard):
                continue
            for statement in guard.create:
                # No parameters: the % in RAISE formats must reach PostgreSQL as is.
                cursor.execute(statement)
            installed.append(guard.name)
    return installed


def post_migrate_installer(guards_by_vendor):
    """A ``post_migrate`` receiver installing ``guards_by_vendor`` on the migrated database."""

    def receiver(sender, using="default", **kwargs):
        from django.db import connections

        guards_install(connection=connections[using], guards_by_vendor=guards_by_vendor)

    return receiver


# The audit trail ------------------------------------------------------------
