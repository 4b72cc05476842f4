"""`make load`: 100 professionals working a team day against a real server, on the demo data set.

Generates or reuses the demo data set (SQLite in var/bench/load-<scale>/, or the PostgreSQL of
DATABASE_URL), starts the production server (gunicorn, gthread workers, on a free port of
127.0.0.1) and drives it with locust for the given time: every virtual user is a different demo
professional of a systemic team (when the data set has enough of them), signs in with the
password and the second factor, and works through team page, families, family pages, deadlines,
meetings, live records, ratings and the JSON API, writing now and then (record autosave with
optimistic locking, plan steps, paper ratings) — see bench/locustfile.py. A share of the users
(`--scribes`, in threes per team) sit in their team's meeting and keep its live record together:
each loads the record, types for a few seconds and saves with the version it loaded, so saves
cross and the conflict path (409, merge, save again) runs under load too.

Reports per page: requests, failures, throughput, p50/p95/p99 latency; the server's CPU and
memory; anything the server logged as an error. Writes bench/results/load-<engine>-<scale>.json
and .md. Exits non-zero on any failed request, any error in the server log, or an unclean stop.

    python -m bench.load [--scale county|national] [--users 100] [--minutes 5] [--engine sqlite|postgres]

`--engine postgres` without DATABASE_URL runs itself under tools/with_postgres.py --durable, with
the cluster kept in var/bench/pg-load-<scale>/ (the data set is generated once and reused): fsync,
synchronous commit and full-page writes on, as production runs, so every access-log append pays
its commit flush. With DATABASE_URL the report says whether that server is durable.
"""

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A brisk working pace: a click every 10 s on average, while reading a family page or typing a
# record takes a person longer. `--think 1,5` is a stress pace (about three times the requests).
DEFAULT_THINK = "5,15"
# The meeting's scribes: a save every few seconds each, after typing for a few seconds; three per
# team keep one record together (the coordinator and two workers, say).
DEFAULT_SCRIBE_SHARE = 0.15
SCRIBES_PER_TEAM = 3
TYPING_S = (2.0, 6.0)
BIN = Path(sys.executable).parent
RESULTS = Path(__file__).resolve().parent / "results"

# Request names in the order the report lists them (others follow by name).
PAGE_ORDER = [
    "login: form",
    "login: password",
    "login: second factor form",
    "login: second factor",
    "team page",
    "API family list",
    "family page",
    "API family",
    "my deadlines",
    "my plan steps",
    "team deadlines",
    "team meetings",
    "meeting page",
    "meeting record",
    "API meeting record",
    "API record autosave (PATCH)",
    "API live record: load",
    "API live record: save (PATCH)",
    "API add plan step",
    "family ratings",
    "API family ratings",
    "team ratings",
    "team caseload",
    "API paper rating",
]

SENTENCES = [
    "Äiti kertoi, että aamut ovat sujuneet rauhallisemmin, kun koulureppu pakataan illalla yhdessä.",
    "Lapsi toivoo, että isän luona vietettäisiin enemmän aikaa viikonloppuisin.",
    "Tiimi pohti, mitä perheen isoäidin sairastuminen on merkinnyt arjen rytmille.",
    "Koulu on ollut yhteydessä poissaoloista; perhe kertoo, että aamuisin on ollut vatsakipuja.",
    "Vanhemmat ovat eri mieltä kotiintuloajoista; molemmat haluavat lapsen olevan turvassa.",
    "Perheterapeutti nosti esiin, miten sisarusten välinen vastuunjako on muuttunut muuton jälkeen.",
]
STEPS = [
    "Soitto koululle ja sopimus yhteisestä palaverista",
    "Verkostotapaaminen isovanhempien kanssa",
    "Kotikäynti ja lapsen oma tapaaminen",
    "Ohjaus perheneuvolaan ja ajan varaaminen yhdessä",
    "Asiakassuunnitelman päivitys perheen kanssa",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * p // 100))  # ceil(n·p/100)
    return sorted_values[int(rank) - 1]


def _interleave_by_county(teams):
    """Teams in turn from each county, so a national run's users spread over counties."""
    by_county: dict[int, list] = {}
    for team in teams:
        by_county.setdefault(team.county_id, []).append(team)
    queues = [by_county[c] for c in sorted(by_county)]
    out = []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out


def build_plan(users: int, think: tuple[float, float], scribes: int = 0) -> dict:
    """Who the virtual users are and what of their team's data they open, read from the database."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from apps.access.permissions import TEAM_ROLE_PERMISSIONS, Perm
    from apps.accounts import two_factor as tf
    from apps.clients.models import ADULT_RELATIONS, Family, FamilyMember
    from apps.meetings.models import AgendaItem, Meeting
    from apps.organisations.models import Membership, Team, TeamRole
    from apps.ratings.models import Instrument

    today = timezone.localdate()
    role_order = {r.value: i for i, r in enumerate(TeamRole)}
    chosen, teams = [], {}
    for team in _interleave_by_county(Team.objects.filter(kind="systemic").order_by("county_id", "id")):
        if len(chosen) >= users:
            break
        members = list(Membership.objects.active().filter(team=team, user__is_active=True).select_related("user"))
        if not members:
            continue
        members.sort(key=lambda m: (role_order.get(m.role, 99), m.user.username))
        families = list(Family.objects.filter(team=team).order_by("id").values_list("id", flat=True)[:300])
        adults: dict[int, int] = {}
        for family_id, person_id in (
            FamilyMember.objects.filter(family_id__in=families, relation__in=ADULT_RELATIONS)
            .order_by("id")
            .values_list("family_id", "person_id")
        ):
            adults.setdefault(family_id, person_id)
        planned = list(Meeting.objects.filter(team=team, status=Meeting.Status.PLANNED).order_by("starts_at")[:2])
        approved = list(Meeting.objects.filter(team=team, status=Meeting.Status.APPROVED).order_by("-starts_at")[:4])

        def items(meetings, *, open_):
            out = []
            for item in AgendaItem.objects.filter(meeting__in=meetings).select_related("meeting").order_by("meeting_id", "position"):
                entry = {"meeting": item.meeting_id, "id": item.pk}
                if open_:  # a plan step's due date may not be before the meeting
                    entry["due_on"] = (max(item.meeting.starts_at.date(), today) + datetime.timedelta(days=14)).isoformat()
                out.append(entry)
            return out

        teams[str(team.pk)] = {
            "families": [{"id": f, "adult": adults.get(f)} for f in families],
            "meetings": [m.pk for m in planned + approved],
            "open_items": items(planned, open_=True),
            "past_items": items(approved[:2], open_=False),
            "member_ids": [m.user_id for m in members],
        }
        for m in members:
            if len(chosen) >= users:
                break
            perms = TEAM_ROLE_PERMISSIONS.get(m.role, frozenset())
            chosen.append(
                {
                    "username": m.user.username,
                    "role": m.role,
                    "team_id": team.pk,
                    "writes": Perm.MEETING_RECORD in perms and Perm.FAMILY_EDIT in perms,
                }
            )
    if not chosen:
        raise SystemExit("The data set has no professional in a systemic team.")
    paper = None
    for instrument in Instrument.objects.filter(active=True, kind="outcome").order_by("code", "-version"):
        if instrument.spec.audience == "adult":
            paper = {"code": instrument.code, "items": [item.key for item in instrument.spec.items]}
            break
    random.Random(1).shuffle(chosen)  # roles and teams mixed through the ramp-up
    return {
        "users": chosen,
        "scribes": _scribes(chosen, teams, scribes),
        "teams": teams,
        "password": settings.SYSTEEMI_DEMO_PASSWORD,
        "totp_secret": tf.DEMO_TOTP_SECRET,
        "today": today.isoformat(),
        "paper_instrument": paper,
        "sentences": SENTENCES,
        "steps": STEPS,
        "think_s": list(think),
    }


def _scribes(chosen: list[dict], teams: dict, count: int) -> list[dict]:
    """`count` of the planned professionals who write, in threes per team, each three on their
    team's live record: the first agenda item of the team's next planned meeting."""
    by_team: dict[int, list[dict]] = {}
    for user in chosen:
        if user["writes"] and teams[str(user["team_id"])]["open_items"]:
            by_team.setdefault(user["team_id"], []).append(user)
    out = []
    for team_id, writers in sorted(by_team.items(), key=lambda kv: -len(kv[1])):
        if len(out) >= count:
            break
        item = teams[str(team_id)]["open_items"][0]
        group = writers[: min(SCRIBES_PER_TEAM, count - len(out))]
        if len(group) < 2:  # one person alone cannot conflict with anyone
            continue
        out += [dict(user, live_item={"meeting": item["meeting"], "id": item["id"]}) for user in group]
    return out


def postgres_durability() -> dict | None:
    """fsync and synchronous_commit of the server measured (None on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        out = {}
        for name in ("fsync", "synchronous_commit", "full_page_writes"):
            cursor.execute(f"SHOW {name}")
            out[name] = cursor.fetchone()[0]
    out["durable"] = out["fsync"] == "on" and out["synchronous_commit"] != "off"
    return out


def prepare(scale: str, seed: int) -> dict:
    """Migrate, generate or reuse the demo data, give demo users their authenticator app."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from apps.demo.generate import existing_dataset

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", scale=scale, seed=seed, reuse=True, verbosity=0)
    generation_s = time.perf_counter() - started
    existing, _codes = existing_dataset()
    if existing is not None and existing.scale != scale:
        raise SystemExit(f"The database holds the {existing.scale} data set, not {scale}: use another SYSTEEMI_VAR_DIR or database.")
    call_command("demo_two_factor", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    if connection.vendor == "postgresql":
        # Planner statistics for the freshly loaded tables, as autovacuum gathers them within
        # minutes in any running deployment. Without them, right after generation, plans are
        # guesses and the team page took seconds (national scale).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"engine": connection.vendor, "generation_s": round(generation_s, 1), "postgres": postgres_durability()}


def _counts() -> dict:
    from apps.accounts.models import User
    from apps.audit.models import AccessLogEntry
    from apps.clients.models import Family, Person
    from apps.organisations.models import Team

    return {
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "families": Family.objects.count(),
        "persons": Person.objects.count(),
        "access_log_entries": AccessLogEntry.objects.count(),
    }


class ServerMonitor(threading.Thread):
    """Samples the server's CPU and memory (master and workers) once a second."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil

        self.root = psutil.Process(pid)
        self.cpu, self.rss, self.host_cpu, self.stop = [], [], [], threading.Event()

    def run(self):
        import psutil

        procs: dict[int, psutil.Process] = {}
        psutil.cpu_percent(None)
        while not self.stop.wait(1.0):
            self.host_cpu.append(psutil.cpu_percent(None) * (os.cpu_count() or 1))
            try:
                current = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            cpu = rss = 0.0
            for p in current:
                p = procs.setdefault(p.pid, p)
                try:
                    cpu += p.cpu_percent(None)
                    rss += p.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
            self.cpu.append(cpu)
            self.rss.append(rss)


def start_server(port: int, workers: int, threads: int, env: dict, log: Path) -> subprocess.Popen:
    cmd = [
        str(BIN / "gunicorn"),
        "systeemi.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        "--timeout=60",
        "--graceful-timeout=30",
        "--keep-alive=75",  # longer than any think time, as a browser's proxy would keep it
        f"--error-logfile={log}",
        "--log-level=warning",
        "--capture-output",
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {log}")
    # Warm-up, as a deployed server is: each worker imports its views and compiles its templates
    # on its first requests. New connections spread over the workers.
    for _ in range(10 * workers):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=30) as r:
            r.read()
    return server


def stop_server(server: subprocess.Popen) -> bool:
    """SIGTERM: gunicorn finishes the requests in flight and stops its workers. True if clean."""
    if server.poll() is not None:
        return False
    server.send_signal(signal.SIGTERM)
    try:
        return server.wait(timeout=40) == 0
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
        return False


SERVER_ERROR_MARKS = ("Traceback", "ERROR", "CRITICAL", "WORKER TIMEOUT", "database is locked", "deadlock")


def server_errors(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [line.rstrip() for line in log.read_text(errors="replace").splitlines() if any(m in line for m in SERVER_ERROR_MARKS)]


def _row(name: str, timings: list[float], failures: int, duration: float) -> dict:
    timings = sorted(timings)
    return {
        "page": name,
        "requests": len(timings),
        "failures": failures,
        "rps": round(len(timings) / duration, 2),
        "p50_ms": round(_percentile(timings, 50), 1),
        "p95_ms": round(_percentile(timings, 95), 1),
        "p99_ms": round(_percentile(timings, 99), 1),
        "max_ms": round(timings[-1], 1) if timings else 0.0,
    }


def summarise(raw: dict, since: float | None = None) -> tuple[list[dict], dict]:
    """Per page and in all, over the whole run or over the requests started at `since` or later."""
    start = since or raw["started"] or time.time()
    duration = max(1e-9, (raw["stopped"] or time.time()) - start)
    names = [n for n in PAGE_ORDER if n in raw["timings_ms"]] + sorted(set(raw["timings_ms"]) - set(PAGE_ORDER))
    pages, everything = [], []
    for name in names:
        timings = [ms for started, ms in raw["timings_ms"][name] if since is None or started >= since]
        if not timings:
            continue
        everything.extend(timings)
        row = _row(name, timings, 0 if since else raw["failures"].get(name, 0), duration)
        if since is None:
            row["statuses"] = raw["statuses"].get(name, {})
        pages.append(row)
    total = _row("all requests", everything, 0 if since else sum(raw["failures"].values()), duration)
    total["duration_s"] = round(duration, 1)
    return pages, total


def _table(pages: list[dict], total: dict) -> list[str]:
    lines = ["| page | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in [*pages, total]:
        name = f"**{r['page']}**" if r is total else r["page"]
        lines.append(
            f"| {name} | {r['requests']} | {r['failures']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} |"
        )
    return lines


def _database_line(meta: dict) -> str:
    pg = meta.get("postgres")
    if not pg:
        return "Database: SQLite (WAL), the file on this machine's disk."
    flush = (
        "durable: every commit flushed to disk" if pg["durable"] else "NOT DURABLE: commits are not flushed, figures leave out the flush"
    )
    return f"Database: PostgreSQL, {flush} (fsync {pg['fsync']}, synchronous_commit {pg['synchronous_commit']}, full_page_writes {pg['full_page_writes']})."


def _conflict_line(meta: dict) -> str:
    c = meta["record_conflicts"]
    return (
        f"Record conflicts: {c['live_saves']} saves of live records by {meta['scribes']} scribes ({meta['scribe_teams']} teams, "
        f"typing {TYPING_S[0]:g}–{TYPING_S[1]:g} s before saving), {c['live_merged']} answered 409 and were merged and saved again; "
        f"{c['autosave_merged']} autosave conflicts merged besides; {c['gave_up']} saves still refused after five tries."
    )


def markdown(meta: dict, whole: tuple[list[dict], dict], steady: tuple[list[dict], dict] | None) -> str:
    s = meta["server"]
    lines = [
        f"# Load test — {meta['engine']}, scale {meta['scale']}: {meta['users']} users for {meta['minutes']} min",
        "",
        f"{meta['distinct_professionals']} distinct professionals of {meta['teams_used']} systemic teams; think time "
        f"{meta['think_s'][0]}–{meta['think_s'][1]} s; users started over {meta['ramp_up_s']} s; gunicorn {s['workers']} workers × "
        f"{s['threads']} threads (gthread) on {meta['cpus']} cores; server CPU mean {s['cpu_mean_pct']} % (peak {s['cpu_peak_pct']} %, "
        f"100 % = one core), memory peak {s['rss_peak_mib']} MiB; whole machine CPU mean {meta['host']['cpu_mean_pct']} %, load average "
        f"{meta['host']['load_avg_1min_before']} before, {meta['host']['load_avg_1min_after']} after; "
        f"server errors logged: {len(meta['server_errors'])}; clean stop: {'yes' if s['clean_stop'] else 'NO'}.",
        "",
        _database_line(meta),
        "",
        _conflict_line(meta),
        "",
    ]
    if steady is not None:
        lines += [
            f"## Steady state: every user signed in and working ({steady[1]['duration_s']} s)",
            "",
            *_table(*steady),
            "",
        ]
    lines += [f"## Whole run, sign-ins and ramp-up included ({whole[1]['duration_s']} s)", "", *_table(*whole)]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="county", choices=["team", "county", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], help="default: postgres when DATABASE_URL is set, else sqlite")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument(
        "--think", default=DEFAULT_THINK, help=f"seconds a user reads or types between steps, min,max (default {DEFAULT_THINK})"
    )
    parser.add_argument("--spawn-rate", type=float, help="users started per second (default: all within 60 s)")
    parser.add_argument(
        "--scribes",
        type=int,
        help=f"users who keep their team's live record together, {SCRIBES_PER_TEAM} per team "
        f"(default {DEFAULT_SCRIBE_SHARE:.0%} of --users, at least {SCRIBES_PER_TEAM}; 0: none)",
    )
    args = parser.parse_args(argv)

    engine = args.engine or ("postgres" if os.environ.get("DATABASE_URL") else "sqlite")
    if engine == "postgres" and not os.environ.get("DATABASE_URL"):
        forwarded = [a for a in (argv if argv is not None else sys.argv[1:])]
        cluster = ROOT / "var" / "bench" / f"pg-load-{args.scale}"
        return subprocess.call(
            [
                sys.executable,
                str(ROOT / "tools" / "with_postgres.py"),
                "--durable",
                "--data-dir",
                str(cluster),
                sys.executable,
                "-m",
                "bench.load",
                *forwarded,
            ],
            cwd=ROOT,
        )
    if engine == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("SYSTEEMI_VAR_DIR", str(ROOT / "var" / "bench" / f"load-{args.scale}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "systeemi.settings")
    os.environ["SYSTEEMI_DEMO"] = "1"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    think = tuple(float(x) for x in args.think.split(","))

    print(f"Preparing the {args.scale} data set on {engine} …", flush=True)
    prepared = prepare(args.scale, args.seed)
    scribes = args.scribes if args.scribes is not None else max(SCRIBES_PER_TEAM, round(args.users * DEFAULT_SCRIBE_SHARE))
    plan = build_plan(args.users, think, min(scribes, args.users))
    plan["virtual_users"] = args.users
    plan["typing_s"] = list(TYPING_S)
    counts_before = _counts()
    from django.db import connections

    connections.close_all()

    RESULTS.mkdir(exist_ok=True)
    stem = f"load-{prepared['engine']}-{args.scale}" + ("" if args.think == DEFAULT_THINK else f"-think{args.think.replace(',', '-')}")
    work = Path(tempfile.mkdtemp(prefix="systeemi-load-"))
    plan_file, raw_file = work / "plan.json", work / "raw.json"
    plan_file.write_text(json.dumps(plan))
    server_log, locust_log = RESULTS / f"{stem}.server.log", RESULTS / f"{stem}.locust.log"
    server_log.unlink(missing_ok=True)

    port = _free_port()
    load_before = round(os.getloadavg()[0], 2)
    env = dict(os.environ)
    server = start_server(port, args.workers, args.threads, env, server_log)
    monitor = ServerMonitor(server.pid)
    monitor.start()
    # A team's morning: sign-ins spread over a minute, not all in one second (each is an Argon2 hash).
    spawn_rate = args.spawn_rate or max(1.0, args.users / 60)
    seconds = max(10, round(args.minutes * 60))
    print(
        f"gunicorn on 127.0.0.1:{port} ({args.workers} workers × {args.threads} threads); {args.users} users "
        f"({len({u['username'] for u in plan['users']})} professionals) for {seconds} s …",
        flush=True,
    )
    clean = False
    try:
        with open(locust_log, "w") as log:
            locust_rc = subprocess.call(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    f"--users={args.users}",
                    f"--spawn-rate={spawn_rate}",
                    f"--run-time={seconds}s",
                    f"--host=http://127.0.0.1:{port}",
                    "--stop-timeout=30",
                    "--only-summary",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=dict(env, LOAD_PLAN=str(plan_file), LOAD_OUT=str(raw_file)),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
    finally:
        monitor.stop.set()
        clean = stop_server(server)
    if not raw_file.exists():
        print(f"locust wrote no results (exit {locust_rc}); see {locust_log}", file=sys.stderr)
        return 1
    raw = json.loads(raw_file.read_text())
    pages, total = summarise(raw)
    steady = summarise(raw, since=raw["all_signed_in"]) if raw.get("all_signed_in") else None
    errors = server_errors(server_log)

    import django.db

    counts_after = _counts()
    django.db.connections.close_all()
    cpu = monitor.cpu[2:] or monitor.cpu  # the first samples have no CPU baseline yet
    meta = {
        "engine": prepared["engine"],
        "scale": args.scale,
        "seed": args.seed,
        "users": args.users,
        "minutes": args.minutes,
        "think_s": list(think),
        "spawn_rate": spawn_rate,
        "ramp_up_s": round(args.users / spawn_rate),
        "distinct_professionals": len({u["username"] for u in plan["users"]}),
        "teams_used": len({u["team_id"] for u in plan["users"]}),
        "writers": sum(1 for u in plan["users"] if u["writes"]),
        "cpus": os.cpu_count(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "generation_s": prepared["generation_s"],
        "data_before": counts_before,
        "data_after": counts_after,
        "server": {
            "software": "gunicorn",
            "worker_class": "gthread",
            "workers": args.workers,
            "threads": args.threads,
            "cpu_mean_pct": round(sum(cpu) / len(cpu)) if cpu else None,
            "cpu_peak_pct": round(max(cpu)) if cpu else None,
            "rss_peak_mib": round(max(monitor.rss) / 2**20) if monitor.rss else None,
            "clean_stop": clean,
        },
        # Everything on the machine (server, locust, and whatever else runs): the figures are only
        # as quiet as the machine was.
        "host": {
            "cpu_mean_pct": round(sum(monitor.host_cpu) / len(monitor.host_cpu)) if monitor.host_cpu else None,
            "load_avg_1min_before": load_before,
            "load_avg_1min_after": round(os.getloadavg()[0], 2),
        },
        "locust_exit": locust_rc,
        "postgres": prepared["postgres"],
        "scribes": len(plan["scribes"]),
        "scribe_teams": len({u["team_id"] for u in plan["scribes"]}),
        "record_conflicts": raw["record_conflicts"],
        "failure_examples": raw.get("failure_examples", {}),
        "server_errors": errors[:50],
    }
    result = {"meta": meta, "pages": pages, "total": total}
    if steady is not None:
        result["steady_state"] = {"since_start_s": round(raw["all_signed_in"] - raw["started"], 1), "pages": steady[0], "total": steady[1]}
    (RESULTS / f"{stem}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    text = markdown(meta, (pages, total), steady)
    (RESULTS / f"{stem}.md").write_text(text)
    print(text)
    problems = []
    if total["failures"]:
        problems.append(f"{total['failures']} failed requests: {json.dumps(meta['failure_examples'], ensure_ascii=False)[:2000]}")
    if errors:
        problems.append(f"{len(errors)} error lines in {server_log}, e.g. {errors[:5]}")
    if not clean:
        problems.append("the server did not stop cleanly")
    if locust_rc != 0 and not total["failures"]:
        problems.append(f"locust exited with {locust_rc}; see {locust_log}")
    for p in problems:
        print(f"FAIL: {p}", file=sys.stderr)
    if plan["scribes"] and not raw["record_conflicts"]["live_merged"]:
        print("NOTE: no record conflict happened: the conflict path was not under load in this run", file=sys.stderr)
    if meta["postgres"] and not meta["postgres"]["durable"]:
        print("NOTE: the PostgreSQL measured does not flush commits: the figures leave out what production pays", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
