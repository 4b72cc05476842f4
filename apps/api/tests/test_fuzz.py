"""The API, fuzzed by Schemathesis from its own OpenAPI document, with every phase, against the
served app as a signed-in social worker.

Schemathesis' own command line runs against the live test server over HTTP, as it would against
a deployment, with all four phases: examples (the request bodies the document shows), coverage
(every boundary and every kind of wrong input a field can take, bodies in undeclared media types,
missing required parts), fuzzing (random valid and invalid requests) and stateful (sequences of
calls, an id from one response fed to the next where Schemathesis infers the link). Half the time
a path parameter or an id in a body names one of the world's real records (Schemathesis
dictionaries), so requests get past the 404 to the forms and services.

Nothing may answer 500, every response must be as documented (status code, content type,
headers, body schema) and invalid input must be refused.

Bounded for CI: SYSTEEMI_FUZZ_EXAMPLES (default 5) examples per operation in the fuzzing phase and
SYSTEEMI_FUZZ_STEPS (default 6) calls per stateful scenario, with a fixed seed
(SYSTEEMI_FUZZ_SEED, default 1) so a run is repeatable. The examples and coverage phases are
deterministic and not bounded: they run in full. A longer run:
SYSTEEMI_FUZZ_EXAMPLES=100 SYSTEEMI_FUZZ_STEPS=20 SYSTEEMI_FUZZ_SEED=$RANDOM pytest apps/api/tests/test_fuzz.py
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from apps.audit.models import AccessLogEntry
from apps.meetings.models import Hypothesis
from apps.organisations.models import Unit
from tests import factories

EXAMPLES = int(os.environ.get("SYSTEEMI_FUZZ_EXAMPLES", "5"))
STEPS = int(os.environ.get("SYSTEEMI_FUZZ_STEPS", "6"))
SEED = int(os.environ.get("SYSTEEMI_FUZZ_SEED", "1"))
PHASES = "examples,coverage,fuzzing,stateful"
# No 500, and every response as documented; invalid input refused. (Input valid by the schema may
# still be refused by the forms' and services' rules - a birth date in the future, an unknown
# child - so positive_data_acceptance is not asked for.)
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
)
AIM = 0.5  # how often an id names a real record rather than a generated number


def _real_ids(world) -> dict[str, int]:
    """One real record for every id a path or a body names."""
    rel = world.family.relationships.first()
    item = factories.meeting_item(world.family, world.worker)
    return {
        "team_id": world.team.pk,
        "family_id": world.family.pk,
        "person_id": rel.child_id,
        "child_id": rel.child_id,
        "rater_id": rel.child_id,
        "relationship_id": rel.pk,
        "notification_id": factories.notification(world.family, rel.child, world.worker).pk,
        "assessment_id": factories.assessment(world.family, rel.child, world.worker).pk,
        "meeting_id": item.meeting_id,
        "item_id": item.pk,
        "step_id": item.steps.first().pk,
        "revises_id": Hypothesis.objects.filter(item=item).first().pk,
        "responsible_worker_id": world.worker.pk,
        "parents_worker_id": world.second_worker.pk,
        "owner_id": world.worker.pk,
        "to_team_id": world.other_team.pk,
        "unit_id": Unit.objects.get(teams=world.team).pk,
    }


def _config(ids: dict[str, int], transferred_family: int) -> str:
    """A schemathesis.toml naming the real ids: each path parameter, query parameter and body field
    of that name takes its record's id with probability AIM. A transfer that succeeds hands its
    family over (the worker then only reads it), so the transfer is aimed at a family of its own."""
    lines = ["[dictionaries]"]
    lines += [f"{name} = {{ values = [{value}] }}" for name, value in ids.items()]
    lines += [f"transferred_family = {{ values = [{transferred_family}] }}", "", "[parameters]"]
    for name in ids:
        for where in ("path", "query", "body"):
            lines.append(f'"{where}.{name}" = {{ dictionary = "{name}", probability = {AIM} }}')
    lines += ["", "[phases.stateful]", f"max-steps = {STEPS}", ""]
    lines += [
        "[[operations]]",
        'include-path = "/api/v1/families/{family_id}/transfers"',
        'include-method = "POST"',
        f'parameters = {{ "path.family_id" = {{ dictionary = "transferred_family", probability = {AIM} }} }}',
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.django_db(transaction=True)
def test_api_fuzzed_with_every_phase_against_the_served_app(world, live_server, tmp_path):
    client = Client()
    client.force_login(world.worker)  # a session verified with the worker's own second factor
    csrf = _get_new_csrf_string()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    config = tmp_path / "schemathesis.toml"
    transferred = factories.family(world.team, "Siirrettävä", children=1, worker=world.worker)
    config.write_text(_config(_real_ids(world), transferred.pk))
    report = tmp_path / "report.json"
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run"),
        f"{live_server.url}/api/v1/openapi.json",
        *("--phases", PHASES, "--checks", ",".join(CHECKS)),
        *("--max-examples", str(EXAMPLES), "--seed", str(SEED), "--workers", "1"),
        *("--header", f"Cookie: {settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"),
        *("--header", f"X-CSRFToken: {csrf}"),
        # The session cookie is sent with every request above, so the document's cookie security
        # parameter is not generated (it would be "missing" while the header still carries it).
        *("--generation-with-security-parameters", "false"),
        *("--report", "json", "--report-json-path", str(report)),
        "--no-color",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=1800, cwd=tmp_path)  # noqa: S603 (a fixed command)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-20000:]
    summary = json.loads(report.read_text())
    assert {name: phase["status"] for name, phase in summary["phases"].items()} == dict.fromkeys(PHASES.split(","), "success")
    # The requests got past the access checks and the forms to the services: writes of many kinds
    # were made (and logged) as the worker.
    written = set(AccessLogEntry.objects.filter(actor=world.worker, action__in=["create", "edit"]).values_list("view_name", flat=True))
    assert len(written) >= 4, written
