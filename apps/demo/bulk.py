"""Fast bulk writes for the demo generator: rows as tuples, no model instances.

`insert` writes rows of a model's table several times faster than bulk_create: on SQLite with
executemany (or a multi-row INSERT ... RETURNING when the new keys are needed), on PostgreSQL
with COPY (psycopg 3), taking the keys from the table's sequence first when they are needed.
`tuned` sets the connection up for a long bulk load and `analyze` gives the planner statistics
for the fresh data afterwards.
"""

import json
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

# SQLite page cache during a bulk load, in KiB: the access log's indexes stay in memory.
SQLITE_CACHE_KIB = 256 * 1024


def _default(field, now):
    if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
        return now
    if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
        return now.date()
    return field.get_default()


def _sqlite_prep(field):
    """What bulk_create would do to one value on SQLite, without its checks per value."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        if settings.USE_TZ:
            tz = connection.timezone
            return lambda value: None if value is None else str(value.astimezone(tz).replace(tzinfo=None))
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return _json_prep(field, lambda value: field.get_db_prep_value(value, connection))
    return None


def _json_prep(field, adapt):
    cache = {}  # many rows share a few values (agenda reasons); others (ratings) are all different

    def prep(value):
        if value is None:
            return None
        key = repr(value)
        hit = cache.get(key)
        if hit is None:
            hit = adapt(value)
            if len(cache) < 10_000:
                cache[key] = hit
        return hit

    return prep


def _postgres_prep(field):
    if isinstance(field, models.JSONField):
        return _json_prep(field, lambda value: json.dumps(value, cls=field.encoder))
    return None


def insert(model, fields: tuple[str, ...], rows: list[tuple], *, returning: bool = False) -> list[int] | int:
    """INSERT rows (tuples of `fields` values). Fields not named get their model default (auto_now
    fields: now). With `returning`, the new primary keys in row order; else the row count."""
    if not rows:
        return [] if returning else 0
    given = [model._meta.get_field(name) for name in fields]
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f not in given]
    columns = [*given, *rest]
    now = timezone.now()
    defaults = tuple(_default(f, now) for f in rest)
    postgres = connection.vendor == "postgresql"
    preps = [(i, p) for i, f in enumerate(columns) if (p := (_postgres_prep(f) if postgres else _sqlite_prep(f)))]

    def values(row):
        out = [*row, *defaults]
        for i, p in preps:
            out[i] = p(out[i])
        return out

    if postgres:
        return _copy(model, columns, rows, values, returning)
    return _executemany(model, columns, rows, values, returning)


def _executemany(model, columns, rows, values, returning):
    qn = connection.ops.quote_name
    # Only quoted identifiers from the model's own metadata go into the SQL; values are parameters.
    head = "INSERT INTO {} ({}) VALUES ".format(qn(model._meta.db_table), ", ".join(qn(f.column) for f in columns))  # noqa: S608  # nosec B608
    one = "({})".format(", ".join(["%s"] * len(columns)))
    with connection.cursor() as cursor:
        if not returning:
            for start in range(0, len(rows), 5000):
                cursor.executemany(head + one, [values(row) for row in rows[start : start + 5000]])
            return len(rows)
        per_statement = min(500, (connection.features.max_query_params or 100_000) // len(columns))
        tail = " RETURNING " + qn(model._meta.pk.column)
        keys: list[int] = []
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(head + ", ".join([one] * len(batch)) + tail, [v for row in batch for v in values(row)])
            keys.extend(r[0] for r in cursor.fetchall())
        return keys


def _copy(model, columns, rows, values, returning):
    qn = connection.ops.quote_name
    table = model._meta.db_table
    names = [qn(f.column) for f in columns]
    with connection.cursor() as cursor:
        keys = None
        if returning:
            pk = model._meta.pk.column
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [qn(table), pk, len(rows)])
            keys = [r[0] for r in cursor.fetchall()]
            names.insert(0, qn(pk))
        # Only quoted identifiers from the model's own metadata go into the statement.
        sql = "COPY {} ({}) FROM STDIN".format(qn(table), ", ".join(names))
        with cursor.copy(sql) as copy:
            if keys is None:
                for row in rows:
                    copy.write_row(values(row))
            else:
                for key, row in zip(keys, rows, strict=True):
                    copy.write_row([key, *values(row)])
    return keys if returning else len(rows)


@contextmanager
def tuned():
    """Inside the load's transaction: on PostgreSQL, check foreign keys as each statement ends
    rather than queueing millions of deferred checks for the commit (and so an index may be built
    on a freshly loaded table); on SQLite, a bigger page cache (restored after)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_CACHE_KIB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


class ForeignKeyViolation(RuntimeError):
    pass


@contextmanager
def sqlite_foreign_keys_off():
    """SQLite, outside any transaction: foreign keys are not enforced row by row while the load's
    transaction runs; `foreign_keys_checked_after` checks the loaded tables at its end instead.
    (Inside a transaction SQLite ignores the pragma and keeps enforcing them, which is only slower.)"""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = ON")


@contextmanager
def foreign_keys_checked_after(models_: list) -> None:
    """PostgreSQL: drop the tables' foreign keys while the load runs and add them back after, as
    PostgreSQL's manual advises for bulk loads ("Populating a Database"): adding a foreign key
    checks the whole table in one join, where a kept one costs a lookup per row (a third of the
    national load's time). The definitions are PostgreSQL's own (pg_get_constraintdef), restored
    within the same transaction, so the data is checked exactly as before and an interrupted
    run leaves the schema as it was. SQLite: `PRAGMA foreign_key_check` on each table at the
    end (see sqlite_foreign_keys_off); a violation raises, so the transaction rolls back."""
    if connection.vendor == "sqlite":
        yield
        with connection.cursor() as cursor:
            for model in models_:
                cursor.execute(f"PRAGMA foreign_key_check({connection.ops.quote_name(model._meta.db_table)})")
                if broken := cursor.fetchmany(5):
                    raise ForeignKeyViolation(f"{model._meta.db_table}: rows without their parent: {broken}")
        return
    if connection.vendor != "postgresql":
        yield
        return
    qn = connection.ops.quote_name
    dropped = []
    with connection.cursor() as cursor:
        for model in models_:
            table = qn(model._meta.db_table)
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {qn(name)}")
                dropped.append((table, name, definition))
    yield
    with connection.cursor() as cursor:
        for table, name, definition in dropped:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {qn(name)} {definition}")


def analyze() -> None:
    """Planner statistics for the fresh data (without them PostgreSQL chose plans that made a
    national page take half a minute). Call after the data is committed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        elif connection.vendor == "sqlite":
            # PRAGMA optimize alone analyses only tables this connection has queried, which left
            # the access log without statistics (SQLite then counted a person's entries through
            # the county index). analysis_limit samples each index, so this stays a few seconds.
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
