"""Consistent backups and restores of the whole database, with each engine's own snapshot tool.

SQLite: the online backup API copies the database under one read snapshot while the app keeps
writing (WAL lets it); the copy is a single self-contained SQLite file. PostgreSQL: `pg_dump -Fc`
dumps from one repeatable-read snapshot; restoring replays it with `pg_restore` piped into `psql`
in a single transaction, so a failed restore leaves the target as it was, and the append-only
triggers of the access log are recreated after its rows (they are post-data in the archive).

Backups hold every client record of the organisation: they are written with mode 0600 and must be
stored encrypted. The management commands `backup` and `restore` are thin wrappers over this.
"""

import contextlib
import glob
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess  # argument lists, never a shell; the programs come from fixed PostgreSQL bin directories
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""


@dataclass
class Summary:
    path: Path
    engine: str
    size: int
    sha256: str
    tables: int


def engine_of(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def backup_kind(path: Path) -> str:
    """'sqlite' or 'postgresql', read from the file's magic bytes."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        raise BackupError(f"backup file {path} does not exist") from None
    except OSError as exc:
        raise BackupError(f"cannot read backup file {path}: {exc.strerror}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither a SQLite database nor a pg_dump custom-format archive (made by `manage.py backup`)")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_names(alias: str) -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _sqlite_file(alias: str) -> Path | None:
    name = str(connections[alias].settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        return None
    return Path(name)


def _same_file(a: Path, b: Path | None) -> bool:
    try:
        return b is not None and a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _private_temp(target: Path) -> Path:
    """An empty file beside `target`, readable only by its owner (backups hold client data)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    os.chmod(name, 0o600)
    return Path(name)


def _publish(tmp: Path, target: Path) -> None:
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)
    try:
        dir_fd = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# --- backup ----------------------------------------------------------------------------------


def backup(alias: str, target: Path, *, overwrite: bool = False) -> Summary:
    engine = engine_of(alias)
    target = Path(target).absolute()
    if target.is_dir():
        raise BackupError(f"{target} is a directory; give a file name for the backup")
    if not target.parent.is_dir():
        raise BackupError(f"directory {target.parent} does not exist")
    if engine == "sqlite" and _same_file(target, _sqlite_file(alias)):
        raise BackupError(f"{target} is the database itself; write the backup somewhere else")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose a new file name or pass --force to replace it")
    if connections[alias].in_atomic_block:
        raise BackupError("cannot take a backup inside a transaction")
    tmp = _private_temp(target)
    try:
        tables = _sqlite_backup(alias, tmp) if engine == "sqlite" else _pg_backup(alias, tmp)
        _publish(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return Summary(target, engine, target.stat().st_size, sha256_of(target), tables)


def _sqlite_backup(alias: str, tmp: Path) -> int:
    connection = connections[alias]
    connection.ensure_connection()
    dest = sqlite3.connect(tmp)
    try:
        # One step (pages=-1) copies every page under a single read snapshot: consistent even
        # while other connections keep committing (WAL lets them).
        connection.connection.backup(dest, pages=-1)
        # The copy inherits WAL mode; make it a single self-contained file.
        dest.execute("PRAGMA journal_mode=DELETE")
        _sqlite_check(dest, "the new backup")
        return dest.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchone()[0]
    finally:
        dest.close()


def _sqlite_check(conn: sqlite3.Connection, what: str) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise BackupError(f"{what} fails SQLite's integrity check: {'; '.join(problems[:5])}")


# --- PostgreSQL tools ------------------------------------------------------------------------


def _tool_version(path: str) -> tuple[int, ...]:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return ()
    match = re.search(r"(\d+)(?:\.(\d+))?", out)
    return tuple(int(g) for g in match.groups() if g is not None) if match else ()


def pg_bindir(server_major: int | None = None) -> Path:
    """The directory of the newest pg_dump/pg_restore/psql trio: $SYSTEEMI_PG_BINDIR, Debian's
    /usr/lib/postgresql/<version>/bin, or PATH. pg_dump refuses servers newer than itself."""
    names = ("pg_dump", "pg_restore", "psql")
    dirs = []
    if env := os.environ.get("SYSTEEMI_PG_BINDIR"):
        dirs.append(env)
    else:
        dirs.extend(glob.glob("/usr/lib/postgresql/*/bin"))
        if found := shutil.which("pg_dump"):
            dirs.append(str(Path(found).parent))
    complete = [d for d in dict.fromkeys(dirs) if all(os.access(Path(d, n), os.X_OK) for n in names)]
    if not complete:
        raise BackupError(
            "pg_dump, pg_restore and psql were not found in /usr/lib/postgresql/*/bin or on PATH; "
            "install the PostgreSQL client (apt-get install postgresql-client) or set SYSTEEMI_PG_BINDIR"
        )
    best = max(complete, key=lambda d: _tool_version(str(Path(d, "pg_dump"))))
    version = _tool_version(str(Path(best, "pg_dump")))
    if server_major and version and version[0] < server_major:
        raise BackupError(
            f"the newest pg_dump found ({'.'.join(map(str, version))}, in {best}) is older than the server "
            f"(PostgreSQL {server_major}); install postgresql-client-{server_major} or set SYSTEEMI_PG_BINDIR"
        )
    return Path(best)


def _pg_env(alias: str) -> dict[str, str]:
    """libpq environment for the alias: the password travels in the environment, never on argv."""
    s = connections[alias].settings_dict
    env = dict(os.environ)
    for key in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE", "PGOPTIONS"):
        env.pop(key, None)
    values = {"PGHOST": s.get("HOST"), "PGPORT": s.get("PORT"), "PGUSER": s.get("USER"), "PGPASSWORD": s.get("PASSWORD")}
    values["PGDATABASE"] = s.get("NAME")
    options = s.get("OPTIONS") or {}
    for option, var in {
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
        "service": "PGSERVICE",
        "passfile": "PGPASSFILE",
    }.items():
        values[var] = options.get(option)
    env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
    env["PGAPPNAME"] = "systeemi-backup"
    return env


def _server_major(alias: str) -> int:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.pg_version // 10000


def _run(cmd: list[str], env: dict[str, str], what: str) -> str:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed ({_exit(result.returncode)}): {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def _pg_backup(alias: str, tmp: Path) -> int:
    bindir = pg_bindir(_server_major(alias))
    env = _pg_env(alias)
    # pg_dump reads everything in one repeatable-read snapshot: the app may keep writing.
    _run([str(bindir / "pg_dump"), "--format=custom", "--no-password", f"--file={tmp}"], env, "pg_dump")
    listing = _run([str(bindir / "pg_restore"), "--list", str(tmp)], env, "checking the archive with pg_restore --list")
    return sum(1 for line in listing.splitlines() if re.search(r"\bTABLE DATA\b", line))


# --- restore ---------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    engine: str
    replaced: list[str]  # tables that were in the target before (non-empty only with force)
    tables: int


def restore(alias: str, source: Path, *, force: bool = False) -> RestoreResult:
    engine = engine_of(alias)
    source = Path(source).absolute()
    kind = backup_kind(source)
    if kind != engine:
        raise BackupError(
            f"{source} is a {_ENGINE_NAMES[kind]} backup but the configured database is {_ENGINE_NAMES[engine]}; "
            "restore it into a database of the same kind (cross-engine restore is not supported)"
        )
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("cannot restore inside a transaction")
    if engine == "sqlite" and _same_file(source, _sqlite_file(alias)):
        raise BackupError(f"{source} is the configured database itself")
    if engine == "sqlite":
        _sqlite_validate(source)
    existing = table_names(alias)
    if existing and not force:
        shown = ", ".join(existing[:5]) + (", …" if len(existing) > 5 else "")
        raise BackupError(
            f"the target database is not empty ({len(existing)} tables: {shown}); restore into an empty database, "
            "or pass --force to replace everything in it with the backup"
        )
    connection.close()
    try:
        tables = _sqlite_restore(alias, source) if engine == "sqlite" else _pg_restore(alias, source, clear=bool(existing))
    finally:
        connection.close()
    return RestoreResult(engine, existing, tables)


_ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _sqlite_validate(source: Path) -> None:
    try:
        conn = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open backup {source}: {exc}") from None
    try:
        _sqlite_check(conn, f"backup {source}")
        found = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"cannot read backup {source}: {exc}") from None
    finally:
        conn.close()
    if not found:
        raise BackupError(f"{source} is a SQLite database but not a Systeemi backup (it has no django_migrations table)")


def _sqlite_restore(alias: str, source: Path) -> int:
    connection = connections[alias]
    connection.ensure_connection()
    src = sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)
    try:
        # Page-by-page copy into the live database under its write lock; triggers, indexes and
        # sqlite_sequence come with the pages. Waits for (rather than breaks) concurrent writers.
        src.backup(connection.connection, pages=-1)
    except sqlite3.Error as exc:
        raise BackupError(f"restoring into {connection.settings_dict['NAME']} failed: {exc}") from None
    finally:
        src.close()
    raw = connection.connection
    _sqlite_check(raw, "the restored database")
    return raw.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchone()[0]


def _pg_restore(alias: str, source: Path, *, clear: bool) -> int:
    bindir = pg_bindir(_server_major(alias))
    env = _pg_env(alias)
    listing = _run([str(bindir / "pg_restore"), "--list", str(source)], env, f"reading archive {source}")
    prelude = []
    if clear:
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            schema = cursor.fetchone()[0]
        if not schema:
            raise BackupError("the database user has no current schema to restore into")
        quoted = connection.ops.quote_name(schema)
        prelude = ["-c", f"DROP SCHEMA {quoted} CASCADE; CREATE SCHEMA {quoted};"]
    # pg_restore turns the archive into SQL (schema, then data, then indexes, constraints and
    # triggers); psql runs it, after the optional clearing prelude, as ONE transaction. The script
    # is relayed here rather than piped so that psql is killed (its transaction rolled back by the
    # server) instead of committing a truncated script when pg_restore fails part-way.
    with tempfile.TemporaryFile() as script_err, tempfile.TemporaryFile() as psql_err:
        script = subprocess.Popen(  # noqa: S603
            [str(bindir / "pg_restore"), "--no-owner", "--no-acl", "--exit-on-error", "--file=-", str(source)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=script_err,
        )
        psql = subprocess.Popen(  # noqa: S603
            [str(bindir / "psql"), "-X", "-q", "--no-password", "--single-transaction", "-v", "ON_ERROR_STOP=1", *prelude, "-f", "-"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_err,
        )
        try:
            try:
                while chunk := script.stdout.read(1 << 20):
                    psql.stdin.write(chunk)
            except BrokenPipeError:
                pass  # psql stopped at an error; its message is in psql_err
            if script.wait() != 0:
                psql.kill()
            else:
                with contextlib.suppress(BrokenPipeError):
                    psql.stdin.close()
            psql.wait()
        finally:
            for proc in (script, psql):
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            script.stdout.close()
            with contextlib.suppress(BrokenPipeError):
                psql.stdin.close()
        if script.returncode != 0:
            raise BackupError(f"restore failed and was rolled back (pg_restore {_exit(script.returncode)}): {_read(script_err)}")
        if psql.returncode != 0:
            raise BackupError(f"restore failed and was rolled back (psql {_exit(psql.returncode)}): {_read(psql_err)}")
    with connections[alias].cursor() as cursor:
        cursor.execute("ANALYZE")
    return sum(1 for line in listing.splitlines() if re.search(r"\bTABLE DATA\b", line))


def _read(f) -> str:
    f.seek(0)
    return f.read().decode(errors="replace").strip()


def _exit(code: int) -> str:
    if code < 0:
        return f"killed by signal {-code}; is the file damaged?"
    return f"exit {code}"
