"""Managers', trainers' and researchers' views never reveal a person: every aggregate page of the
site (with its CSV where it has one) and every aggregate API answer is scanned for names,
identity codes and client counts of 1-4.

The data are made small on purpose — one family rates, one child is placed, one family is closed
and notified again — so that a count of 1-4 would be there to leak if any output let it through.
"""

import csv
import datetime
import io
import json
import re
import zipfile

import pyarrow.parquet as pq
import pytest
from django.test import Client

from apps.clients.models import Family, Person, Phase, PhaseEvent
from apps.core import marks
from tests import factories as f
from tests.finnish_leaks import pdf_text
from tests.test_access_walk import PERMITTED, TRAINER_PAGES, _fill, app_patterns

# Columns and keys that count clients (families, children, raters) in the CSVs and API answers.
CLIENT_COUNTS = {
    "child_clients",
    "placements",
    "involuntary",
    "closed",
    "cohort",
    "renotified",
    "rating_families",
    "with_change",
    "improved",
    "deteriorated",
    "significant",
    "series",
    "raters_with_change",
}
# Not here, by the rule's own terms (apps/core/disclosure): a team's or kind's open families and
# children are counts of the service's work, shown as the caseload pages show them.


@pytest.fixture
def small(world):
    child = world.family.relationships.first()
    today = datetime.date.today()
    PhaseEvent.objects.create(
        county=world.county, relationship=child, phase=Phase.EMERGENCY_PLACEMENT, started_on=today - datetime.timedelta(days=20)
    )
    parent = world.family.members.exclude(relation="child").first().person
    f.rating(world.family, parent, 12, rated_on=today - datetime.timedelta(days=60))
    f.rating(world.family, parent, 25, rated_on=today - datetime.timedelta(days=20))
    f.meeting_item(world.family, world.coordinator)
    return world


def _secrets():
    found = set()
    for p in Person.objects.all():
        found |= {p.first_names, p.last_name, p.personal_identity_code, p.phone, p.street_address}
    found |= set(Family.objects.values_list("name", flat=True))
    return {s for s in found if s and len(s) >= 4}


def _shows(text: str, secrets) -> list[str]:
    """The names and codes that appear as words ("Aino" in "Ainoassa" is not a name shown)."""
    return sorted(s for s in secrets if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text))


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _small_counts(rows: list[dict]) -> list[str]:
    return [f"{key}={value}" for row in rows for key, value in row.items() if key in CLIENT_COUNTS and value in ("1", "2", "3", "4")]


def test_no_aggregate_page_or_csv_names_a_person_or_shows_a_small_count(small):
    secrets = _secrets()
    checked = 0
    pdfs = set()
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure != marks.AGGREGATE:
            continue
        persona = PERMITTED.get(pattern.name) or ("trainer" if pattern.name in TRAINER_PAGES else "manager")
        client = _client(getattr(small, persona))
        url = _fill(route, pattern, small)
        for params in ({}, {"format": "csv"}, {"format": "pdf"}):
            response = client.get(url, params)
            assert response.status_code in (200, 403), f"{url} {params}: {response.status_code}"
            if response.status_code != 200:
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if params.get("format") == "pdf" and not body.startswith(b"%PDF"):
                continue  # a page without a PDF answers with itself, already read
            if body.startswith(b"%PDF"):
                # the report handed on: the same names and codes looked for in its text
                leaked = _shows(pdf_text(body), secrets)
                assert not leaked, f"{url} {params} shows {leaked}"
                pdfs.add(pattern.name)
                continue
            text = body.decode("utf-8-sig", errors="replace")
            leaked = _shows(text, secrets)
            assert not leaked, f"{url} {params} shows {leaked}"
            if response["Content-Type"].startswith("text/csv"):
                lines = [line for line in text.splitlines() if line and not line.startswith(("model", "latest"))]
                header = lines[0].split(";")
                rows = [dict(zip(header, line.split(";"), strict=False)) for line in lines[1:]]
                assert not _small_counts(rows), f"{url} CSV: {_small_counts(rows)}"
            checked += 1
    assert checked >= 12
    # every report and plan handed on as a PDF was read
    assert {"county-report", "unit-report", "team-report", "effectiveness", "training-plan"} <= pdfs, pdfs


def test_no_aggregate_api_answer_names_a_person_or_shows_a_small_count(small):
    secrets = _secrets()
    answers = [
        _client(small.manager).get("/api/v1/evaluation/county"),
        _client(small.manager).get("/api/v1/evaluation/effectiveness", {"months": 12}),
        _client(small.manager).get(f"/api/v1/teams/{small.team.pk}/fidelity"),
        _client(small.worker).get(f"/api/v1/teams/{small.team.pk}/fidelity"),
    ]
    for response in answers:
        assert response.status_code == 200
        text = response.content.decode()
        assert not _shows(text, secrets)
        data = json.loads(text)
        for kind in data.get("kinds", []):
            for name, cell in kind.get("cells", {}).items():
                if name in CLIENT_COUNTS and cell["value"] is not None:
                    assert not 0 < cell["value"] < 5, f"{name}={cell['value']}"
            for name, figure in kind.get("outcomes", {}).items():
                if figure["value"] is not None:
                    assert not 0 < figure["value"] < 5, f"{name}={figure['value']}"
        for team in data.get("teams", []):
            for name, figure in team["outcomes"].items():
                if figure["value"] is not None:
                    assert not 0 < figure["value"] < 5, f"{team['team']} {name}={figure['value']}"
        for row in [*data.get("teams", []), *(k for k in data.get("kinds", []) if "staffing" in k)]:
            respondents = row["staffing"]["pulse"]["respondents"]  # the wellbeing pulse: five or more
            assert respondents is None or not 0 < respondents < 5, f"{row['team']} pulse respondents={respondents}"


def test_the_research_export_holds_no_small_count_of_clients_inside_its_rows(small):
    from apps.caseload.models import CaseloadSnapshot
    from apps.evaluation.research import write_research_export

    CaseloadSnapshot.objects.create(county=small.county, worker=small.worker, month_end=datetime.date(2026, 1, 31), children=2)
    out = io.BytesIO()
    write_research_export(out, actor=small.researcher, recipient="x", legal_basis="y", county=small.county, key=b"k")
    zf = zipfile.ZipFile(out)
    for name, column in (("caseload_snapshots.csv", "children"), ("meetings.csv", "discussions")):
        values = [row[column] for row in csv.DictReader(io.TextIOWrapper(zf.open(name), encoding="utf-8"))]
        assert values and not any(v in ("1", "2", "3", "4") for v in values), (name, values)
        # the same table as Parquet, the file a researcher opens first
        parquet = pq.read_table(io.BytesIO(zf.read(f"parquet/{name.removesuffix('.csv')}.parquet"))).column(column).to_pylist()
        assert len(parquet) == len(values) and not any(v is not None and 0 < v < 5 for v in parquet), (name, parquet)
