"""Issue 8's targets against the latest benchmark results: `python -m bench.report`.

Reads bench/results/bench-<engine>-<scale>.json (written by `python -m bench`) and writes
bench/results/summary.md and summary.json: per engine, each page's p95 at county and national
scale, the national/county ratio (target at most 1.5: cost grows with the team, not the
country), the national p95 as a ratio to /healthz (target at most 3; also to /healthz requested
by a signed-in user, the floor under every page) and in milliseconds (target under 50), whether the query count stayed the same, and the heavy jobs against their limits.
A target is "—" when the run it needs is missing. Exits 0: this reports, it does not gate.
"""

import json
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
PAGE_MS = 50
PAGE_RATIO = 3
GROWTH = 1.5
JOB_LIMITS = {  # job name prefix -> (seconds, MiB) at national scale
    "demo generation": (600, None),
    "research export": (120, 1024),
    "who has seen my data": (1, None),
    "county report": (2, None),
}


def _load(engine: str, scale: str) -> dict | None:
    path = RESULTS / f"bench-{engine}-{scale}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _mark(ok: bool | None) -> str:
    return "—" if ok is None else ("ok" if ok else "MISSED")


def compare(engine: str) -> tuple[list[str], list[dict]]:
    county, national = _load(engine, "county"), _load(engine, "national")
    if not county and not national:
        return [], []
    by_page = {}
    for scale, data in (("county", county), ("national", national)):
        for row in (data or {}).get("pages", []):
            by_page.setdefault(row["page"], {})[scale] = row
    rows = []
    for page, runs in by_page.items():
        c, n = runs.get("county"), runs.get("national")
        growth = round(n["p95_ms"] / c["p95_ms"], 2) if c and n else None
        rows.append(
            {
                "page": page,
                "county_p95_ms": c and c["p95_ms"],
                "national_p95_ms": n and n["p95_ms"],
                "national_over_county": growth,
                "national_over_healthz": n and n["p95_ratio_to_healthz"],
                "national_over_signed_in": n and n.get("p95_ratio_to_signed_in"),
                "queries": f"{c['queries'] if c else '?'} → {n['queries'] if n else '?'}",
                "under_50ms": None if not n else n["p95_ms"] < PAGE_MS,
                "within_3x_healthz": None if not n else n["p95_ratio_to_healthz"] <= PAGE_RATIO,
                "growth_ok": None if growth is None else growth <= GROWTH,
                "queries_constant": None if not (c and n) else c["queries"] == n["queries"],
            }
        )
    lines = [
        f"## {engine}",
        "",
        "| page | county p95 ms | national p95 ms | national / county | national / healthz | national / healthz signed in "
        "| queries county → national | < 50 ms | ≤ 3× healthz | ≤ 1.5× county | same queries |",
        "|---|---:|---:|---:|---:|---:|---|---|---|---|---|",
    ]
    for r in rows:
        if r["page"] == "healthz":
            continue
        lines.append(
            f"| {r['page']} | {r['county_p95_ms'] or '—'} | {r['national_p95_ms'] or '—'} | {r['national_over_county'] or '—'} "
            f"| {r['national_over_healthz'] or '—'} | {r['national_over_signed_in'] or '—'} | {r['queries']} | {_mark(r['under_50ms'])} | {_mark(r['within_3x_healthz'])} "
            f"| {_mark(r['growth_ok'])} | {_mark(r['queries_constant'])} |"
        )
    floor = next((r for r in rows if r["page"] == "healthz, signed in" and r["national_over_healthz"]), None)
    if floor and floor["national_over_healthz"] > PAGE_RATIO:
        lines += [
            "",
            f"≤ {PAGE_RATIO}× healthz cannot be met by a page for a signed-in user: `/healthz` requested by one "
            f"(session, user and second-factor device reads, nothing else) is already {floor['national_over_healthz']}× "
            'the anonymous one. The column "national / healthz signed in" compares with that floor.',
        ]
    if county and national and "county_teams" in national["meta"]:
        c, n = county["meta"], national["meta"]
        lines += [
            "",
            f"A county manager's overview covers a whole county: the measured team's county has {c.get('county_teams', '?')} "
            f"teams in the county set and {n['county_teams']} nationally; the smallest county {c.get('small_county_teams', '?')} "
            f"and {n['small_county_teams']}. The smallest county's row compares the same work on more surrounding data.",
        ]
    if national:
        lines += ["", "| job (national) | seconds | peak MiB | rows | target |", "|---|---:|---:|---:|---|"]
        for job in national.get("jobs", []):
            limit = next((v for k, v in JOB_LIMITS.items() if job["job"].startswith(k)), None)
            verdict = ""
            if limit and "seconds" in job:
                seconds, mib = limit
                ok = job["seconds"] < seconds and (mib is None or job.get("peak_mib", 0) < mib)
                verdict = f"< {seconds} s" + (f", < {mib} MiB" if mib else "") + f": {_mark(ok)}"
            lines.append(f"| {job['job']} | {job.get('seconds', '')} | {job.get('peak_mib', '')} | {job.get('rows', '')} | {verdict} |")
    return lines + [""], rows


def main():
    out = ["# Benchmark summary against issue 8's targets", ""]
    summary = {}
    for engine in ("postgresql", "sqlite"):
        lines, rows = compare(engine)
        out += lines
        if rows:
            summary[engine] = rows
    text = "\n".join(out) + "\n"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "summary.md").write_text(text)
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2))
    print(text)


if __name__ == "__main__":
    main()
