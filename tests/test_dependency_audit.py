"""`make lint`'s known-vulnerability audit (tools/audit_dependencies.py) against advisory sources
run here: one that does not answer, one that answers clean, one that reports a vulnerability.

pip-audit reads an OSV endpoint (SYSTEEMI_OSV_URL) and npm audit the registry's bulk advisory
endpoint (npm_config_registry), both served by a small local server, so each outcome is real
output of the real tools over the installed packages.
"""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

# Templates, catalogues and code, not the database's behaviour: checked once, on SQLite (Makefile).
pytestmark = pytest.mark.engine_agnostic

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "audit_dependencies.py"


def _osv_vulnerability(name):
    return {
        "id": "TEST-2026-0001",
        "summary": f"A test advisory for {name}",
        "affected": [
            {
                "package": {"name": name, "ecosystem": "PyPI"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "999.0"}]}],
            }
        ],
    }


NPM_ADVISORY = {
    "id": 1,
    "url": "https://advisories.invalid/1",
    "title": "A test advisory for htmx",
    "severity": "high",
    "vulnerable_versions": "<999.0.0",
    "cwe": [],
    "cvss": {"score": 7.5, "vectorString": None},
}


class AdvisoryServer(BaseHTTPRequestHandler):
    """mode: "down" answers 503 to every advisory query; "clean" knows no advisory; "vulnerable"
    has one for Django and one for htmx.org."""

    mode = "clean"

    def log_message(self, *args):
        pass

    def _json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        query = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.mode == "down":
            return self._json(503, {"error": "unavailable"})
        if self.path.startswith("/v1/query"):
            name = json.loads(query)["package"]["name"]
            return self._json(200, {"vulns": [_osv_vulnerability(name)]} if self.mode == "vulnerable" and name == "django" else {})
        if self.path.startswith("/-/npm/v1/security/advisories/bulk"):
            return self._json(200, {"htmx.org": [NPM_ADVISORY]} if self.mode == "vulnerable" else {})
        return self._json(404, {})

    def do_GET(self):
        self._json(404, {"error": "not found"})


@pytest.fixture(scope="module")
def advisories():
    server = ThreadingHTTPServer(("127.0.0.1", 0), AdvisoryServer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def audit(server, mode, **env):
    AdvisoryServer.mode = mode
    base = f"http://127.0.0.1:{server.server_address[1]}"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SYSTEEMI_AUDIT", "npm_config_"))}
    environment.update(SYSTEEMI_OSV_URL=f"{base}/v1/query", npm_config_registry=f"{base}/", **env)
    return subprocess.run([sys.executable, SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)


def test_no_advisory_source_is_reported_as_not_audited_never_as_clean(advisories):
    done = audit(advisories, "down")
    assert "pip-audit: NOT AUDITED" in done.stdout, done.stdout + done.stderr
    assert "npm audit: NOT AUDITED" in done.stdout, done.stdout + done.stderr
    assert "No known vulnerabilities found" not in done.stdout + done.stderr
    assert "no known vulnerabilities" not in done.stdout
    assert done.returncode == 0  # lint stays usable on a machine that reaches only package mirrors

    required = audit(advisories, "down", SYSTEEMI_AUDIT_REQUIRED="1")
    assert required.returncode == 1 and "NOT AUDITED" in required.stdout


def test_a_source_that_answers_audits_every_package(advisories):
    done = audit(advisories, "clean")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pip-audit: AUDITED against OSV" in done.stdout
    assert "npm audit: AUDITED" in done.stdout
    assert "NOT AUDITED" not in done.stdout


def test_a_known_vulnerability_fails_the_audit(advisories):
    done = audit(advisories, "vulnerable")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "TEST-2026-0001" in done.stdout and "django" in done.stdout.lower()
    assert "pip-audit: FAILED" in done.stdout
    assert "htmx.org (high): A test advisory for htmx" in done.stdout
    assert "npm audit: FAILED" in done.stdout


def test_make_lint_runs_the_honest_audit():
    plan = subprocess.run(["make", "-n", "lint"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "tools/audit_dependencies.py" in plan
    assert not any(line.lstrip().startswith((".venv/bin/pip-audit", "pip-audit")) for line in plan.splitlines())
