"""`make bench`: latency, queries and memory of the key pages on the demo data set.

Times each page in-process through Django's full request stack (middleware, sessions, gate,
access-log writes, templates) and reports p50/p95 in milliseconds, queries per request, and each
page's p95 as a ratio to the trivial `/healthz` measured in the same run, so figures compare
across machines. Writes bench/results/pages-<engine>-<scale>.json and .md.

    python -m bench [--scale team|county|national] [--seed 1] [--requests 200]
"""

import argparse
import json
import os
import statistics
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "systeemi.settings")
os.environ.setdefault("SYSTEEMI_DEMO", "1")
os.environ.setdefault("SYSTEEMI_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "bench"))


def _percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="county")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from apps.accounts.models import OrgRole, User
    from apps.accounts.testing import verify_client_session
    from apps.clients.models import Family, FamilyMember
    from apps.organisations.models import Membership, TeamRole

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", scale=args.scale, seed=args.seed, reuse=True, verbosity=0)
    generation_s = time.perf_counter() - started

    membership = (
        Membership.objects.filter(role=TeamRole.SOCIAL_WORKER, team__kind="systemic").select_related("team", "user").order_by("id").first()
    )
    worker, team = membership.user, membership.team
    family = Family.objects.filter(team=team).order_by("id").first()
    person_id = FamilyMember.objects.filter(family=family).values_list("person_id", flat=True).first()
    manager = User.objects.filter(org_role=OrgRole.MANAGER, county_id=team.county_id).first()
    auditor = User.objects.filter(org_role=OrgRole.AUDITOR, county_id=team.county_id).first()

    pages = [
        ("healthz", None, "/healthz"),
        ("team page", worker, f"/teams/{team.pk}/"),
        ("family page", worker, f"/families/{family.pk}/"),
        ("API family", worker, f"/api/v1/families/{family.pk}"),
        ("API family list", worker, f"/api/v1/families?team_id={team.pk}"),
        ("my deadlines", worker, "/deadlines/"),
        ("team deadlines", worker, f"/teams/{team.pk}/deadlines/"),
        ("team caseload by month", worker, f"/teams/{team.pk}/caseload/"),
        ("unit caseload (manager)", manager, "/caseloads/"),
        ("client's access log (auditor)", auditor, f"/audit/people/{person_id}/"),
        ("family ratings (charts)", worker, f"/families/{family.pk}/ratings/"),
        ("API family ratings", worker, f"/api/v1/families/{family.pk}/ratings"),
        ("team ratings (outcomes)", worker, f"/teams/{team.pk}/ratings/"),
        ("team meetings", worker, f"/teams/{team.pk}/meetings/"),
    ]
    from apps.meetings.models import AgendaItem, Meeting

    meeting = Meeting.objects.filter(team=team).order_by("-starts_at").first()
    if meeting is not None:  # systemic teams' demo history has weekly meetings
        pages.append(("meeting page", worker, f"/meetings/{meeting.pk}/"))
        item = AgendaItem.objects.filter(meeting=meeting).order_by("position").first()
        if item is not None:
            pages.append(("meeting record (live)", worker, f"/meetings/{meeting.pk}/items/{item.pk}/"))
    results = []
    for label, user, url in pages:
        client = Client()
        if user is not None:
            client.force_login(user)
            verify_client_session(client, user)  # as after the second factor
        assert client.get(url).status_code == 200, url  # warm up
        # Queries and peak memory from separate requests, so neither tool slows the timed ones.
        executed: list[str] = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(url)
        tracemalloc.start()
        client.get(url)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        timings = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        results.append(
            {
                "page": label,
                "url": url,
                "p50_ms": round(statistics.median(timings), 2),
                "p95_ms": round(_percentile(timings, 95), 2),
                "queries": len(executed),
                "peak_kib": round(peak / 1024),
            }
        )
    base = results[0]["p95_ms"]
    for r in results:
        r["p95_ratio_to_healthz"] = round(r["p95_ms"] / base, 1)

    engine = connection.vendor
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    meta = {"engine": engine, "scale": args.scale, "seed": args.seed, "requests": args.requests, "generation_s": round(generation_s, 1)}
    (out / f"pages-{engine}-{args.scale}.json").write_text(json.dumps({"meta": meta, "pages": results}, indent=2))
    lines = [
        f"# Page benchmark — {engine}, scale {args.scale}, {args.requests} requests each",
        "",
        "| page | p50 ms | p95 ms | p95 / healthz | queries | peak KiB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['page']} | {r['p50_ms']} | {r['p95_ms']} | {r['p95_ratio_to_healthz']} | {r['queries']} | {r['peak_kib']} |" for r in results
    ]
    text = "\n".join(lines) + "\n"
    (out / f"pages-{engine}-{args.scale}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
