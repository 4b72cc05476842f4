"""Run a command against a PostgreSQL server started just for it.

Usage: python tools/with_postgres.py [--data-dir DIR] [--durable] <command...>

Starts Debian's PostgreSQL (initdb + pg_ctl from /usr/lib/postgresql/<ver>/bin) on a free port,
as the `postgres` user when run as root, exports DATABASE_URL, runs the command, stops the server
and exits with the command's status.

By default the cluster lives in a temporary directory and is thrown away, with fsync and
synchronous commit off: tests want speed, not durability. Benchmarks pass `--data-dir` to keep
the cluster (and the national data set in it) between runs, and `--durable` to measure with the
settings production runs with (fsync, synchronous commit and full-page writes on): every page
appends to the access log, so commit latency is part of what a user waits for.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile


def _bin_dir() -> str:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not candidates:
        sys.exit("PostgreSQL is not installed (apt-get install postgresql); see tools/system_packages.sh")
    return candidates[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _options(argv: list[str]) -> tuple[str | None, bool, list[str]]:
    data_dir, durable = None, False
    while argv and argv[0].startswith("--"):
        if argv[0] == "--durable":
            durable, argv = True, argv[1:]
        elif argv[0] == "--data-dir" and len(argv) > 1:
            data_dir, argv = os.path.abspath(argv[1]), argv[2:]
        else:
            sys.exit(__doc__)
    return data_dir, durable, argv


def main(argv: list[str]) -> int:
    data_dir, durable, argv = _options(argv)
    if not argv:
        sys.exit(__doc__)
    bindir = _bin_dir()
    keep = data_dir is not None
    tmp = data_dir or tempfile.mkdtemp(prefix="systeemi-pg-")
    os.makedirs(tmp, exist_ok=True)
    data = os.path.join(tmp, "data")
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    port = _free_port()
    log = os.path.join(tmp, "server.log")
    quiet = {"stdout": subprocess.DEVNULL}
    if not os.path.exists(os.path.join(data, "PG_VERSION")):
        subprocess.run(
            _as_postgres([f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
            check=True,
            **quiet,
        )
    opts = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c max_connections=200"
    if durable:
        opts += " -c shared_buffers=512MB -c work_mem=32MB -c effective_cache_size=4GB"
    else:
        opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    subprocess.run(_as_postgres([f"{bindir}/pg_ctl", "-D", data, "-l", log, "-o", opts, "-w", "start"]), check=True, **quiet)
    try:
        env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/postgres", SYSTEEMI_DB_ENGINE="postgresql")
        mode = "durable" if durable else "fsync off"
        print(f"PostgreSQL ({bindir.split('/')[-2]}, {mode}) on 127.0.0.1:{port}, data in {data}", flush=True)
        return subprocess.call(argv, env=env)
    finally:
        subprocess.run(_as_postgres([f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]), **quiet)
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
