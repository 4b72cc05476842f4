#!/usr/bin/env python3
"""Known-vulnerability audit of the Python and npm packages, honest about what it could check.

`make lint` runs this. Each audit first finds out whether an advisory source answers:

- Python (pip-audit over the installed environment): PyPI's per-release JSON, which carries the
  release's advisories; else the OSV database. `SYSTEEMI_OSV_URL` names an OSV query endpoint of
  your own (a mirror inside the organisation) and then only that one is asked.
- npm (`npm audit` over package-lock.json): the registry's bulk advisory endpoint.

Where a source answers, the audit runs in full and strictly (pip-audit `--strict`: a package that
could not be looked up fails the audit, as a vulnerability does). Where none answers — a machine
that reaches only package mirrors, as CI here — nothing was audited, and the script says so in a
line of its own: "NOT AUDITED". That is not a pass: it exits 0 so that lint stays useful on such
machines, unless `SYSTEEMI_AUDIT_REQUIRED=1` (or `--required`), where it exits 1.

Exit status: 0 audited and clean, or not audited (not required); 1 vulnerabilities found, a
package left unaudited while the source answered, an audit that broke, or not audited when
required.
"""

import argparse
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_OSV = "https://api.osv.dev/v1/query"
TIMEOUT = 15
# npm's own codes for "the advisory endpoint could not be reached".
NPM_UNREACHABLE = {"ENOTFOUND", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"}

NOT_AUDITED, AUDITED, FAILED = "not audited", "audited", "failed"


def _answers(request):
    """(True, "") when the URL answers with a JSON object; else (False, why not)."""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (https, or the operator's http(s) OSV)
            body = json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return False, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError) as error:
        return False, str(getattr(error, "reason", error))
    except ValueError:
        return False, "not JSON"
    return isinstance(body, dict), "" if isinstance(body, dict) else "not a JSON object"


def pypi_answers():
    """PyPI's JSON for one release carries its advisories under "vulnerabilities" (what pip-audit
    reads); a package mirror answers the package index but not this."""
    version = metadata.version("pip-audit")
    url = f"https://pypi.org/pypi/pip-audit/{version}/json"
    ok, why = _answers(urllib.request.Request(url, headers={"Accept": "application/json"}))
    return ok, f"PyPI's advisory JSON: {why}"


def osv_answers(url):
    if not url.startswith(("https://", "http://")):
        return False, f"OSV at {url}: not an http(s) URL"
    query = {"package": {"name": "pip-audit", "ecosystem": "PyPI"}, "version": metadata.version("pip-audit")}
    request = urllib.request.Request(url, data=json.dumps(query).encode(), headers={"Content-Type": "application/json"})  # noqa: S310 (scheme checked above)
    ok, why = _answers(request)
    return ok, f"OSV at {url}: {why}"


def python_audit(osv_url=None):
    if osv_url:
        sources = [("osv", osv_url)]
    else:
        sources = [("pypi", None), ("osv", PUBLIC_OSV)]
    reasons = []
    for service, url in sources:
        ok, why = pypi_answers() if service == "pypi" else osv_answers(url)
        if not ok:
            reasons.append(why)
            continue
        command = [sys.executable, "-m", "pip_audit", "--strict", "--progress-spinner", "off", "--vulnerability-service", service]
        if url:
            command += ["--osv-url", url]
        done = subprocess.run(command, cwd=ROOT, check=False)
        where = "PyPI's advisories" if service == "pypi" else f"OSV ({url})"
        if done.returncode == 0:
            print(f"pip-audit: AUDITED against {where}: every installed package checked, no known vulnerabilities")
            return AUDITED
        print(f"pip-audit: FAILED against {where} (see above: a known vulnerability, or a package it could not check)")
        return FAILED
    print(f"pip-audit: NOT AUDITED — no advisory source reachable ({'; '.join(reasons)}); no package was checked")
    return NOT_AUDITED


def npm_audit():
    if not (ROOT / "package-lock.json").exists():
        print("npm audit: FAILED — package-lock.json is missing")
        return FAILED
    try:
        done = subprocess.run(["npm", "audit", "--json"], cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    except FileNotFoundError:
        print("npm audit: FAILED — npm is not installed")
        return FAILED
    try:
        report = json.loads(done.stdout)
    except ValueError:
        print(f"npm audit: FAILED — unreadable answer (exit {done.returncode}): {(done.stdout + done.stderr)[-1000:]}")
        return FAILED
    if "metadata" in report and "vulnerabilities" in report:
        found = report["metadata"]["vulnerabilities"]
        packages = report["metadata"].get("dependencies", {}).get("total", "?")
        if found.get("total", 0) == 0:
            print(f"npm audit: AUDITED against the registry's advisories: {packages} package(s), no known vulnerabilities")
            return AUDITED
        for name, entry in report["vulnerabilities"].items():
            titles = "; ".join(v.get("title", "") for v in entry.get("via", []) if isinstance(v, dict))
            print(f"  {name} ({entry.get('severity')}): {titles or 'through ' + ', '.join(map(str, entry.get('via', [])))}")
        counts = ", ".join(f"{n} {level}" for level, n in found.items() if level != "total" and n)
        print(f"npm audit: FAILED — known vulnerabilities: {counts}")
        return FAILED
    error = report.get("error", {}) if isinstance(report.get("error"), dict) else {}
    code = str(error.get("code") or report.get("code") or "")
    status = report.get("statusCode")
    if code in NPM_UNREACHABLE or (isinstance(status, int) and status >= 400):
        why = report.get("message") or error.get("summary") or code
        print(f"npm audit: NOT AUDITED — the registry's advisory endpoint did not answer ({why}); no package was checked")
        return NOT_AUDITED
    print(f"npm audit: FAILED — {report.get('message') or error.get('summary') or done.stderr[-1000:]}")
    return FAILED


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--required", action="store_true", help="fail when no advisory source answers (also SYSTEEMI_AUDIT_REQUIRED=1)")
    parser.add_argument(
        "--osv-url", default=os.environ.get("SYSTEEMI_OSV_URL"), help="an OSV query endpoint to use instead of PyPI and the public OSV"
    )
    parser.add_argument("--skip-npm", action="store_true", help="audit the Python packages only")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # our lines in order with pip-audit's own output
    required = args.required or os.environ.get("SYSTEEMI_AUDIT_REQUIRED") == "1"

    results = [python_audit(args.osv_url)]
    if not args.skip_npm:
        results.append(npm_audit())
    if FAILED in results:
        return 1
    if NOT_AUDITED in results:
        if required:
            print("dependency audit: FAILED — an audit was required (SYSTEEMI_AUDIT_REQUIRED) and could not run")
            return 1
        print("dependency audit: incomplete — what is marked NOT AUDITED above was not checked for known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
