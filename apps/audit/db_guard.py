"""Database triggers that refuse UPDATE, DELETE (and TRUNCATE) on the access log.

Model and queryset guards stop honest code; these stop raw SQL and other clients. The hash
chain is what makes tampering *evident* even to someone who drops the triggers.
"""

from contextlib import contextmanager

TABLE = "audit_accesslogentry"

_INSTALL = {
    "sqlite": [
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;",
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
        "BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION systeemi_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'access log is append-only'; END; $$ LANGUAGE plpgsql;",
        f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
        f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION systeemi_append_only();",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};",
        f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION systeemi_append_only();",
    ],
}
_REMOVE = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {TABLE}_no_update;", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;"],
    "postgresql": [f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};", f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};"],
}


def _execute(connection, statements):
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def install(connection) -> None:
    _execute(connection, _INSTALL)


def remove(connection) -> None:
    _execute(connection, _REMOVE)


@contextmanager
def suspended(connection):
    """Only for wiping a whole test database (see the `flush` command)."""
    remove(connection)
    try:
        yield
    finally:
        install(connection)
