"""Before and after, measured side by side: `python -m bench.pair --before <commit> "team page" ...`

This machine's speed drifts by up to 2x within an hour, so two `make bench` runs an hour apart
cannot show a 10 % change. Here the code at `--before` (checked out into a git worktree) and the
working tree each run in a process of their own against the same data set, and they take turns:
a batch of requests on one, then the other, for many rounds. Whatever the host does, it does to
both. Prints p50/p95 and queries per page for each side and the after/before ratio of the medians.

The data set is the benchmark's (`python -m bench --scale <scale>` made it; on PostgreSQL run this
under `tools/with_postgres.py --data-dir var/bench/pg-<scale> --durable`). Both sides use the same
database, so compare commits that did not change the schema.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker() -> None:
    """Serve `[page label, n]` requests on stdin: n timings in ms (n = 0: the query count)."""
    root = os.environ["BENCH_PAIR_ROOT"]
    sys.path.insert(0, root)
    os.chdir(root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "systeemi.settings")
    os.environ.setdefault("SYSTEEMI_DEMO", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.__main__ import key_pages, pick_world, signed_in

    settings.ALLOWED_HOSTS = ["*"]
    world = pick_world(int(os.environ.get("BENCH_TEAM_FAMILIES", "55")))
    pages = {label: (user, url) for label, user, url in key_pages(world)}
    clients = {}
    out, sys.stdout = sys.stdout, sys.stderr  # only answers go to the parent
    out.write("ready\n")
    out.flush()
    for line in sys.stdin:
        label, n = json.loads(line)
        user, url = pages[label]
        client = clients.get(label) or clients.setdefault(label, signed_in(user))
        if n == 0:
            for _ in range(5):
                client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            answer = [len(queries)]
        else:
            answer = []
            for _ in range(n):
                start = time.perf_counter()
                response = client.get(url)
                answer.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{label}: {url} answered {response.status_code}")
        out.write(json.dumps(answer) + "\n")
        out.flush()


class Side:
    def __init__(self, name: str, root: Path, env: dict):
        self.name = name
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            env=dict(env, BENCH_PAIR_ROOT=str(root)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit(f"the {name} side did not start")

    def ask(self, label: str, n: int) -> list:
        self.proc.stdin.write(json.dumps([label, n]) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"the {self.name} side stopped (see its messages above)")
        return json.loads(line)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def _figures(times: list[float]) -> str:
    times = sorted(times)
    return f"p50 {times[len(times) // 2]:6.1f} p95 {times[int(len(times) * 0.95)]:6.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", help="page labels as in the benchmark's table")
    parser.add_argument("--before", required=True, help="the commit to compare the working tree with")
    parser.add_argument("--scale", default="national")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--batch", type=int, default=5, help="requests on one side before the other's turn")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", args.before], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    tree = ROOT / "var" / "bench" / f"before-{commit}"
    if not tree.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT, check=True, capture_output=True)
    env = dict(os.environ)
    # Absolute: each side runs in its own tree.
    env["SYSTEEMI_VAR_DIR"] = str(Path(env.get("SYSTEEMI_VAR_DIR") or ROOT / "var" / "bench" / args.scale).resolve())
    sides = [Side(f"before ({commit})", tree, env), Side("after (working tree)", ROOT, env)]
    try:
        for label in args.pages:
            queries = [side.ask(label, 0)[0] for side in sides]
            times: list[list[float]] = [[], []]
            for i in range(args.rounds):
                for k in (0, 1) if i % 2 else (1, 0):  # alternate who goes first
                    times[k] += sides[k].ask(label, args.batch)
            ratio = statistics.median(times[1]) / statistics.median(times[0])
            print(
                f"{label}: before {_figures(times[0])} ({queries[0]} queries) | "
                f"after {_figures(times[1])} ({queries[1]} queries) | after/before p50 {ratio:.2f}",
                flush=True,
            )
    finally:
        for side in sides:
            side.close()


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        worker()
    else:
        main()
