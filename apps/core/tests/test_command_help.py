"""Every management command explains itself without the production secrets: an operator reads
`manage.py backup --help` before anything is configured. What serves or changes data still refuses
to start without SECRET_KEY (apps/core/checks.py, apps/core/tests/test_deploy_checks.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OUR_COMMANDS = {"backup", "restore", "demo", "demo_two_factor", "flush", "verify_access_log", "snapshot_caseloads", "research_export"}

# Runs in the child: Django's own command-line entry (what manage.py calls) once to list the
# commands, then once per command with --help; reports each exit status and output as JSON.
EVERY_HELP = """
import contextlib, io, json, sys
from django.core.management import ManagementUtility

def run(*argv):
    out, err, code = io.StringIO(), io.StringIO(), 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            ManagementUtility(["manage.py", *argv]).execute()
        except SystemExit as exit:
            code = exit.code or 0
        except Exception as error:
            code, _ = 1, err.write(repr(error))
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}

listing = run("help", "--commands")
names = listing["out"].split()
print(json.dumps({"listing": listing, "help": {name: run(name, "--help") for name in names}}))
"""


def clean_environment():
    """Nothing of this machine's configuration: no SECRET_KEY, no SYSTEEMI_DEMO, no DATABASE_URL."""
    return {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "systeemi.settings"}


def test_backup_help_prints_its_help_without_any_secret():
    done = subprocess.run(
        [sys.executable, "manage.py", "backup", "--help"], cwd=ROOT, env=clean_environment(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: manage.py backup")
    assert "Traceback" not in done.stderr


def test_every_command_prints_its_help_without_any_secret():
    done = subprocess.run(
        [sys.executable, "-c", EVERY_HELP], cwd=ROOT, env=clean_environment(), capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    names = set(report["help"])
    assert "only Django core commands are listed" not in report["listing"]["out"] + report["listing"]["err"]
    assert names >= OUR_COMMANDS, OUR_COMMANDS - names
    failed = {name: r["err"][-500:] for name, r in report["help"].items() if r["code"] != 0 or f"usage: manage.py {name}" not in r["out"]}
    assert not failed, failed


def test_the_server_refuses_to_start_without_a_secret_key():
    done = subprocess.run(
        [sys.executable, "-c", "import systeemi.wsgi"], cwd=ROOT, env=clean_environment(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "SECRET_KEY must be set outside demo and debug mode." in done.stderr
