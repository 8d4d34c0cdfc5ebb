"""The audit trail's database guards: append-only on every vendor.

Installed after every ``migrate`` by ``matching.core.guards`` (see there for
why: a table rebuild on SQLite drops its triggers).
"""

from matching.core.guards import Guard

_AUDIT_TABLE = "audit_auditentry"

AUDIT_GUARDS = {
    "postgresql": (
        Guard(
            "audit_entry_is_append_only",
            _AUDIT_TABLE,
            (
                """
                CREATE OR REPLACE FUNCTION audit_entry_is_append_only() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END;
                $$ LANGUAGE plpgsql
                """,
            ),
            kind="function",
        ),
        Guard(
            "audit_entry_append_only",
            _AUDIT_TABLE,
            (
                """
                CREATE TRIGGER audit_entry_append_only
                    BEFORE UPDATE OR DELETE ON audit_auditentry
                    FOR EACH ROW EXECUTE FUNCTION audit_entry_is_append_only()
                """,
            ),
        ),
    ),
    "sqlite": tuple(
        Guard(
            f"audit_entry_no_{op.lower()}",
            _AUDIT_TABLE,
            (
                f"CREATE TRIGGER audit_entry_no_{op.lower()} BEFORE {op} ON audit_auditentry "
                f"BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: {op} refused'); END",
            ),
        )
        for op in ("UPDATE", "DELETE")
    ),
}
