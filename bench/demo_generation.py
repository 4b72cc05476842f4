"""How long demo generation takes, scale by scale, and how many rows it writes.

Runs in a throw-away SQLite database in a temporary directory unless DATABASE_URL is set (so it
never touches var/systeemi.sqlite3); for PostgreSQL run it under tools/with_postgres.py. For each
scale: generate, fingerprint (digest), delete. Writes bench/results/demo-<engine>.json and .md.

    python -m bench.demo_generation [--scales team,county,national] [--seed 1]
    python tools/with_postgres.py python -m bench.demo_generation --scales national
"""

import argparse
import atexit
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "systeemi.settings")
os.environ.setdefault("SYSTEEMI_DEMO", "1")
if "DATABASE_URL" not in os.environ:
    os.environ["SYSTEEMI_VAR_DIR"] = tempfile.mkdtemp(prefix="systeemi-demo-bench-")
    atexit.register(shutil.rmtree, os.environ["SYSTEEMI_VAR_DIR"], ignore_errors=True)

ROWS = (
    "counties",
    "teams",
    "users",
    "families",
    "persons",
    "children",
    "relationships",
    "open_relationships",
    "phase_events",
    "responsibility_periods",
    "consents",
    "notifications",
    "notifier_replies_owed",
    "assessments",
    "client_plans",
    "personal_meetings",
    "meetings",
    "attendance",
    "agenda_items",
    "hypotheses",
    "plan_steps",
    "ratings",
    "access_log",
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="team,county,national")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from apps.demo.dataset import delete_demo_data, digest
    from apps.demo.generate import existing_dataset, generate

    call_command("migrate", verbosity=0)
    if any(existing_dataset()):
        raise SystemExit("This database already holds demo data; run against an empty database.")
    results = []
    for scale in args.scales.split(","):
        t0 = time.perf_counter()
        result = generate(scale, args.seed)
        t1 = time.perf_counter()
        fingerprint = digest()
        t2 = time.perf_counter()
        delete_demo_data()
        t3 = time.perf_counter()
        row = {"scale": scale, "generate_s": round(t1 - t0, 1), "digest_s": round(t2 - t1, 1), "delete_s": round(t3 - t2, 1)}
        row.update({k: result.counts[k] for k in ROWS})
        row["digest"] = fingerprint[:16]
        results.append(row)
        print(json.dumps(row), flush=True)

    engine = connection.vendor
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / f"demo-{engine}.json").write_text(json.dumps({"engine": engine, "seed": args.seed, "scales": results}, indent=2))
    cols = ["scale", "generate_s", "delete_s", *ROWS, "digest"]
    lines = [f"# Demo generation — {engine}, seed {args.seed}", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in results]
    text = "\n".join(lines) + "\n"
    (out / f"demo-{engine}.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
