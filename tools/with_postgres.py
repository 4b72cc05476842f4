"""Run a command against a throw-away PostgreSQL server started just for it.

Usage: python tools/with_postgres.py <command...>

Starts Debian's PostgreSQL (initdb + pg_ctl from /usr/lib/postgresql/<ver>/bin) in a temporary
directory on a free port, as the `postgres` user when run as root, exports DATABASE_URL, runs
the command, stops the server and exits with the command's status.
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


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    bindir = _bin_dir()
    tmp = tempfile.mkdtemp(prefix="systeemi-pg-")
    data = os.path.join(tmp, "data")
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    port = _free_port()
    log = os.path.join(tmp, "server.log")
    quiet = {"stdout": subprocess.DEVNULL}
    subprocess.run(
        _as_postgres([f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True,
        **quiet,
    )
    opts = f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    subprocess.run(_as_postgres([f"{bindir}/pg_ctl", "-D", data, "-l", log, "-o", opts, "-w", "start"]), check=True, **quiet)
    try:
        env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/postgres", SYSTEEMI_DB_ENGINE="postgresql")
        print(f"PostgreSQL ({bindir.split('/')[-2]}) on 127.0.0.1:{port}", flush=True)
        return subprocess.call(argv, env=env)
    finally:
        subprocess.run(_as_postgres([f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"]), **quiet)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
