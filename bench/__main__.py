"""`make bench`: latency, queries and memory of the key pages and the heavy jobs on the demo data.

Times each page in-process through Django's full request stack (middleware, sessions, gate,
access-log writes, templates), all pages taking turns in rounds, and reports p50/p95 in
milliseconds, queries per request, peak Python memory of one request, and each page's p95 as a
ratio to the trivial `/healthz` measured in the same rounds, so figures compare across machines. The heavy jobs (demo generation, the
national research export, the county report, a client's whole "who has seen my data" report) are
timed once each; the two that run as commands run in a child process so their peak memory is the
process's real peak (ru_maxrss). Writes bench/results/bench-<engine>-<scale>.json and .md;
`python -m bench.report` compares scales and engines against issue 8's targets.

    python -m bench [--scale team|county|national] [--seed 1] [--requests 200]
    python tools/with_postgres.py --data-dir var/bench/pg-national --durable python -m bench --scale national

The SQLite database lives in var/bench/<scale>/ and the data set is generated once and reused.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results"


def _percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run_measured(cmd: list[str]) -> dict:
    """Run a command in a child process: wall seconds and the child's peak resident memory."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=os.environ.copy())
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with status {os.waitstatus_to_exitcode(status)}")
    return {"seconds": round(wall, 1), "peak_mib": round(usage.ru_maxrss / 1024)}


def generate(scale: str, seed: int) -> dict:
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)
    probe = "from apps.demo.generate import existing_dataset; print(int(existing_dataset()[0] is not None))"
    exists = subprocess.run(
        [*manage, "shell", "-v", "0", "-c", probe], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()[-1:]
    measured = run_measured([*manage, "demo", "--scale", scale, "--seed", str(seed), "--reuse", "--quiet"])
    if exists == "1":  # reused: the time says nothing about generation (bench.report leaves it unjudged)
        return {"reused": True}
    return measured


def probe_page(client, url: str) -> dict:
    """Warm a page up, then count its queries and its peak Python memory in separate requests, so
    neither tool slows the timed ones."""
    from django.db import connection

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    tracemalloc.start()
    client.get(url)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"url": url, "queries": len(executed), "peak_kib": round(peak / 1024)}


def time_pages(pages: list[tuple[str, object, str]], requests: int, rounds: int = 20) -> list[dict]:
    """p50/p95 of every page over `requests` requests, taken in `rounds` turns through all the pages.

    The host's speed drifts (up to 2x within an hour on the benchmark machine): pages timed one
    after another each met a different host, and a page's ratio to /healthz compared two moments.
    Taking turns spreads every page's requests over the whole run, so drift hits all alike.
    """
    clients = [signed_in(user) for _label, user, _url in pages]
    rows = [{"page": label, **probe_page(client, url)} for (label, _user, url), client in zip(pages, clients, strict=True)]
    timings: list[list[float]] = [[] for _ in pages]
    per_round = max(1, requests // rounds)
    for _ in range(rounds):
        for (_label, _user, url), client, own in zip(pages, clients, timings, strict=True):
            for _ in range(per_round):
                t0 = time.perf_counter()
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                own.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200, (url, response.status_code)
    for row, own in zip(rows, timings, strict=True):
        row.update(p50_ms=round(statistics.median(own), 2), p95_ms=round(_percentile(own, 95), 2))
    return rows


def signed_in(user):
    from django.test import Client

    from apps.accounts.testing import verify_client_session

    client = Client()
    if user is not None:
        client.force_login(user)
        verify_client_session(client, user)  # as after the second factor
    return client


SIGNED_IN_FLOOR = "healthz, signed in"


def key_pages(world) -> list[tuple[str, object, str]]:
    from django.urls import NoReverseMatch, reverse

    team, family, worker, manager, auditor = world["team"], world["family"], world["worker"], world["manager"], world["auditor"]
    pages = [
        ("healthz", None, "/healthz"),
        # The same trivial page for a signed-in user: the floor every page stands on (session, user
        # and second-factor device reads); a host-speed reference for comparing runs.
        (SIGNED_IN_FLOOR, worker, "/healthz"),
        ("team page", worker, f"/teams/{team.pk}/"),
        ("family page", worker, f"/families/{family.pk}/"),
        ("API family", worker, f"/api/v1/families/{family.pk}"),
        ("API family list", worker, f"/api/v1/families?team_id={team.pk}"),
        ("my deadlines", worker, "/deadlines/"),
        ("team deadlines", worker, f"/teams/{team.pk}/deadlines/"),
        ("team caseload by month", worker, f"/teams/{team.pk}/caseload/"),
        # A county manager's overview covers the whole county, so its cost follows the county's size:
        # measured for the measured team's county (85 teams nationally, 9 in the county set) and for
        # the smallest county (10 teams nationally): the like-for-like comparison across scales.
        ("unit caseload (manager, the team's county)", manager, "/caseloads/"),
        ("unit caseload (manager, smallest county)", world["small_county_manager"], "/caseloads/"),
        ("a team's caseload months (manager)", manager, f"/caseloads/teams/{team.pk}/"),
        ("client's access log (auditor)", auditor, f"/audit/people/{world['person_id']}/"),
        ("family ratings (charts)", worker, f"/families/{family.pk}/ratings/"),
        ("API family ratings", worker, f"/api/v1/families/{family.pk}/ratings"),
        ("team ratings (outcomes)", worker, f"/teams/{team.pk}/ratings/"),
        ("team meetings", worker, f"/teams/{team.pk}/meetings/"),
        # The family drawn: the family page above carries the genogram's thumbnail; the full drawing,
        # its SVG and the latest ecomap (layouts are kept per process: the first request draws).
        ("genogram", worker, f"/families/{family.pk}/genogram/"),
        ("genogram SVG", worker, f"/families/{family.pk}/genogram.svg"),
    ]
    ecomap = family.ecomaps.order_by("-drawn_on").first()
    if ecomap is not None:
        pages.append(("ecomap", worker, f"/families/{family.pk}/ecomaps/{ecomap.pk}/"))
    if world.get("plan") is not None:  # the demo's consents and shared plans (apps/demo/partnership.py)
        plan = world["plan"]
        pages.append(("shared plan (team)", world["plan_worker"], f"/families/{plan.family_id}/plan/"))
        pages.append(("shared plan (partner's view)", world["partner"], f"/partner/plans/{plan.pk}/"))
        pages.append(("partner's home", world["partner"], "/partner/"))
        pages.append(("API shared plan (partner's view)", world["partner"], f"/api/v1/partner/plans/{plan.pk}"))
        if world.get("ecomap_consent") is not None:
            shared = world["ecomap_consent"]
            pages.append(("ecomap (partner's view)", shared.partner, f"/partner/families/{shared.family_id}/ecomap/"))
        if world.get("joint") is not None:
            joint = world["joint"]
            pages.append(("joint assessment (team)", world["plan_worker"], f"/families/{joint.family_id}/joint-assessments/{joint.pk}/"))
    if world["meeting"] is not None:  # systemic teams' demo history has weekly meetings
        pages.append(("meeting page", worker, f"/meetings/{world['meeting'].pk}/"))
        if world["item"] is not None:
            pages.append(("meeting record (live)", worker, f"/meetings/{world['meeting'].pk}/items/{world['item'].pk}/"))
    for label, user, name, kwargs in (
        ("team fidelity", worker, "team-fidelity", {"team_id": team.pk}),
        ("county report (manager; cached up to 10 min)", manager, "county-report", {}),
    ):
        try:
            pages.append((label, user, reverse(name, kwargs=kwargs)))
        except NoReverseMatch:  # the evaluation app is not in this checkout
            print(f"(no page {name}: skipped)", file=sys.stderr)
    return pages


def pick_world(team_families: int):
    """A social worker of a systemic team, one of its families and the county's org roles."""
    from django.db.models import Count, F, Func

    from apps.accounts.models import OrgRole, User
    from apps.audit.models import AccessLogEntry
    from apps.clients.models import Family, FamilyMember
    from apps.meetings.models import AgendaItem, Meeting
    from apps.organisations.models import Membership, Team, TeamRole

    # A systemic team of the same size at every scale (national teams are larger on average than the
    # county demo's), so county and national runs compare the same work on more surrounding data.
    sized = (
        Team.objects.filter(kind="systemic")
        .annotate(n=Count("families"))
        .annotate(off=Func(F("n") - team_families, function="ABS"))
        .order_by("off", "id")
    )
    team = sized.first()
    membership = Membership.objects.filter(role=TeamRole.SOCIAL_WORKER, team=team).select_related("user").order_by("id").first()
    # The team's family with the longest rating history: the family pages' worst case, and the
    # same kind of family at every scale (the first family by id had 0 ratings in one set, 124 in another).
    family = Family.objects.filter(team=team).annotate(r=Count("ratings")).order_by("-r", "id").first()
    # The auditor reads the log of someone in another team's family: every run of this benchmark
    # opens `family`'s pages and lists the team's families hundreds of times, which made the logs
    # of the team's members grow from run to run (a "typical" child's log: 17,000 entries, then
    # 22,000 a few runs later).
    county_families = Family.objects.filter(county_id=team.county_id)
    elsewhere = county_families.exclude(team=team).order_by("id").first() or family
    person_id = FamilyMember.objects.filter(family=elsewhere).values_list("person_id", flat=True).first()
    # The child with the longest log outside the measured team: the family whose members' reads
    # and whose listings (a team page lists every family on every view) are the most numerous.
    busiest_family = (
        AccessLogEntry.objects.filter(county_id=team.county_id, family_id__in=county_families.exclude(team=team).values("id"))
        .values("family_id")
        .annotate(n=Count("id"))
        .order_by("-n", "family_id")
        .first()
    )
    busiest = FamilyMember.objects.filter(family_id=busiest_family["family_id"]).values("person_id").first() if busiest_family else None
    meeting = Meeting.objects.filter(team=team).order_by("-starts_at").first()
    teams_per_county = dict(Team.objects.values_list("county_id").annotate(n=Count("id")).order_by())
    managed = User.objects.filter(org_role=OrgRole.MANAGER, managed_unit__isnull=True, county_id__in=teams_per_county)
    small_county_manager = min(managed.order_by("id"), key=lambda m: teams_per_county[m.county_id])
    return {
        "team": team,
        "team_families": team.n,
        "family": family,
        "worker": membership.user,
        "person_id": person_id,
        "busiest_person_id": busiest["person_id"] if busiest else person_id,
        "manager": User.objects.filter(org_role=OrgRole.MANAGER, county_id=team.county_id).first(),
        "county_teams": teams_per_county[team.county_id],
        "small_county_manager": small_county_manager,
        "small_county_teams": teams_per_county[small_county_manager.county_id],
        "auditor": User.objects.filter(org_role=OrgRole.AUDITOR, county_id=team.county_id).first(),
        "researcher": User.objects.filter(org_role=OrgRole.RESEARCHER).first(),
        "meeting": meeting,
        "item": AgendaItem.objects.filter(meeting=meeting).order_by("position").first() if meeting else None,
        **_shared_plan_world(team.county_id),
    }


def _shared_plan_world(county_id) -> dict:
    """A shared plan of the measured county with the most steps, a worker of its family's team, and
    a partner whose consent to it is in force (the demo's consents sit in each county's first team)."""
    from django.db.models import Count

    from apps.organisations.models import Membership, TeamRole
    from apps.partnership.models import Consent, SharedPlan

    consent = (
        Consent.objects.active()
        .filter(county_id=county_id)
        .annotate(steps=Count("family__shared_plan__steps"))
        .order_by("-steps", "id")
        .select_related("partner", "family")
        .first()
    )
    if consent is None:
        return {"plan": None}
    worker = Membership.objects.active().filter(team_id=consent.family.team_id, role=TeamRole.SOCIAL_WORKER).order_by("id").first()
    from apps.partnership.models import JointAssessment

    joint = JointAssessment.objects.filter(family__team_id=consent.family.team_id).order_by("-created_at", "id").first()
    # A consent that lets its partner see the family's ecomap, for the partner's view of the map.
    with_ecomap = Consent.objects.active().filter(county_id=county_id, ecomap=True, family__ecomaps__isnull=False).order_by("id").first()
    return {
        "plan": SharedPlan.objects.get(family=consent.family),
        "plan_worker": worker.user,
        "partner": consent.partner,
        "joint": joint,
        "ecomap_consent": with_ecomap,
    }


def heavy_jobs(world, generation: dict) -> list[dict]:
    from django.core.management import get_commands
    from django.urls import NoReverseMatch, reverse

    from apps.audit.models import AccessLogEntry

    jobs = [{"job": "demo data set reused (generated by an earlier run)" if generation.get("reused") else "demo generation", **generation}]
    if "research_export" in get_commands():
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "export.zip"
            command = [sys.executable, "manage.py", "research_export", "--out", str(out), "--researcher", world["researcher"].username]
            measured = run_measured([*command, "--project", "Systeemi benchmark", "--permit", "bench (synthetic data)"])
            jobs.append({"job": "research export (whole installation)", **measured, "output_mib": round(out.stat().st_size / 2**20, 1)})
    try:
        county_url = reverse("county-report")
    except NoReverseMatch:
        county_url = None
    if county_url:
        client = signed_in(world["manager"])
        # Computed afresh (refresh=1), not read from the report's ten-minute cache.
        for label, url in (
            ("county report (page)", county_url + "?refresh=1"),
            ("county report (CSV)", county_url + "?format=csv&refresh=1"),
            ("effectiveness, the manager's county (page, mixed model)", "/evaluation/effectiveness/?refresh=1"),
            ("effectiveness, national (page, mixed model)", "/evaluation/effectiveness/?scope=national&refresh=1"),
        ):
            t0 = time.perf_counter()
            response = client.get(url)
            content = b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
            assert response.status_code == 200, (url, response.status_code)
            jobs.append({"job": label, "seconds": round(time.perf_counter() - t0, 2), "output_kib": round(len(content) / 1024)})
    client = signed_in(world["auditor"])
    for label, person_id in (
        ("a child of another team", world["person_id"]),
        ("a child of the most-logged family", world["busiest_person_id"]),
    ):
        url = f"/audit/people/{person_id}/export/"
        data = {"recipient": "Asiakas itse (tarkastusoikeus)", "legal_basis": "Asiakastietolaki 703/2023"}
        response = client.post(url, data)  # warm up: the first request also loads code and caches
        assert response.status_code == 200, (url, response.status_code, response.content[:500])
        rows = response.content.decode("utf-8-sig").count("\n") - 1
        timings = []
        for _ in range(5):
            t0 = time.perf_counter()
            client.post(url, data)
            timings.append(time.perf_counter() - t0)
        tracemalloc.start()
        client.post(url, data)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        jobs.append(
            {
                "job": f"who has seen my data, whole 2-year CSV ({label}; slowest of 5)",
                "seconds": round(max(timings), 2),
                "peak_mib": round(peak / 2**20, 1),
                "rows": rows,
            }
        )
    jobs.append(genogram_drawing())
    jobs.append({"job": "access-log entries in the database", "rows": AccessLogEntry.objects.count()})
    return jobs


def genogram_drawing() -> dict:
    """A 40-person, four-generation genogram laid out by Graphviz and drawn as SVG, with nothing
    kept from an earlier layout: the slowest of 20."""
    from apps.network.layout import forget_layouts, render_svg
    from apps.network.tests.families import random_family

    tree = random_family(7, 40, 4)
    timings = []
    for _ in range(20):
        forget_layouts()
        t0 = time.perf_counter()
        render_svg(tree, title="bench")
        timings.append(time.perf_counter() - t0)
    return {"job": "a 40-person genogram laid out and drawn (no cached layout; slowest of 20)", "seconds": round(max(timings), 3)}


def markdown(meta: dict, pages: list[dict], jobs: list[dict]) -> str:
    lines = [
        f"# Benchmark — {meta['engine']}, scale {meta['scale']}, {meta['requests']} requests per page",
        "",
        f"{meta['families']} families in the database; the measured team has {meta['team_families']}; its county has "
        f"{meta.get('county_teams', '?')} teams, the smallest county {meta.get('small_county_teams', '?')}.",
        "",
        "| page | p50 ms | p95 ms | p95 / healthz | p95 / healthz signed in | queries | peak KiB |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['page']} | {r['p50_ms']} | {r['p95_ms']} | {r['p95_ratio_to_healthz']} | {r['p95_ratio_to_signed_in']} "
        f"| {r['queries']} | {r['peak_kib']} |"
        for r in pages
    ]
    lines += ["", "| job | seconds | peak MiB | rows |", "|---|---:|---:|---:|"]
    lines += [f"| {j['job']} | {j.get('seconds', '')} | {j.get('peak_mib', '')} | {j.get('rows', '')} |" for j in jobs]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="county")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--team-families", type=int, default=55, help="measure a systemic team of about this many families")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "systeemi.settings")
    os.environ.setdefault("SYSTEEMI_DEMO", "1")
    os.environ.setdefault("SYSTEEMI_VAR_DIR", str(ROOT / "var" / "bench" / args.scale))
    generation = generate(args.scale, args.seed)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from apps.clients.models import Family

    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor == "postgresql":
        # Where autovacuum keeps the log in a running system (audit migration 0004): the entries
        # appended since generation or the last run marked all-visible, so index-only counts stay so.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) audit_accesslogentry")
    world = pick_world(args.team_families)
    pages = time_pages(key_pages(world), args.requests)
    base = pages[0]["p95_ms"]
    floor = next(r["p95_ms"] for r in pages if r["page"] == SIGNED_IN_FLOOR)
    for r in pages:
        r["p95_ratio_to_healthz"] = round(r["p95_ms"] / base, 1)
        r["p95_ratio_to_signed_in"] = round(r["p95_ms"] / floor, 1)
    jobs = heavy_jobs(world, generation)

    engine = connection.vendor
    RESULTS.mkdir(exist_ok=True)
    meta = {
        "engine": engine,
        "scale": args.scale,
        "seed": args.seed,
        "requests": args.requests,
        "cpus": os.cpu_count(),
        "team_families": world["team_families"],
        "county_teams": world["county_teams"],
        "small_county_teams": world["small_county_teams"],
        "families": Family.objects.count(),
    }
    (RESULTS / f"bench-{engine}-{args.scale}.json").write_text(json.dumps({"meta": meta, "pages": pages, "jobs": jobs}, indent=2))
    text = markdown(meta, pages, jobs)
    (RESULTS / f"bench-{engine}-{args.scale}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
