"""The research export: pseudonymised, nothing that names anyone, every export logged as a disclosure."""

import csv
import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings

from apps.accounts.models import User
from apps.audit.models import AccessLogEntry
from apps.clients.models import Family, Person
from apps.evaluation.research import Pseudonyms, write_research_export
from tests import factories as f

KEY = b"test key one"


def _data(world):
    item = f.meeting_item(world.family, world.worker)
    child = world.family.relationships.first().child
    parent = world.family.members.filter(relation="parent").first().person
    f.rating(world.family, child, 20, code="ORS")
    f.rating(world.family, parent, 31, code="SRS").__class__.objects.filter(rater=parent).update(agenda_item=item)
    f.notification(world.family, child, world.worker)
    return item, child


def _export(world, key=KEY, county=None):
    out = io.BytesIO()
    export = write_research_export(
        out, actor=world.researcher, recipient="Tutkija / Hanke", legal_basis="THL/1/2026 (toisiolaki 552/2019)", county=county, key=key
    )
    return zipfile.ZipFile(io.BytesIO(out.getvalue())), export


def _table(zf, name):
    return list(csv.DictReader(io.TextIOWrapper(zf.open(name), encoding="utf-8")))


def test_the_export_names_nobody_and_holds_no_free_text(world):
    item, _child = _data(world)
    zf, export = _export(world)
    # The data tables; codebook.csv and README.txt are fixed text (and the README names the recipient).
    text = "\n".join(zf.read(name).decode() for name in zf.namelist() if name not in ("codebook.csv", "README.txt"))
    secrets = set()
    for p in Person.objects.all():
        secrets |= {p.first_names, p.last_name, p.personal_identity_code, p.street_address, p.phone, p.email}
        if p.birth_date:
            secrets |= {p.birth_date.isoformat(), p.birth_date.strftime("%d.%m.%Y")}
    for u in User.objects.all():
        secrets |= {u.first_name, u.last_name, u.username}
    secrets |= set(Family.objects.values_list("name", flat=True))
    secrets |= {item.question, item.what_we_know, item.internal_notes, item.family_summary, item.meeting.room}
    secrets |= {h.text for h in item.hypotheses.all()} | {s.what for s in item.steps.all()} | {"äiti"}
    secrets = {s for s in secrets if s and len(s) >= 3}
    leaked = sorted(s for s in secrets if s in text)
    assert not leaked, leaked
    assert set(zf.namelist()) >= {"children.csv", "relationships.csv", "discussions.csv", "ratings.csv", "codebook.csv", "README.txt"}
    assert export.rows["ratings.csv"] == 2 and export.rows["discussions.csv"] == 1


def test_birth_year_and_months_instead_of_dates(world):
    _data(world)
    zf, _export_ = _export(world)
    children = _table(zf, "children.csv")
    assert {c["birth_year"] for c in children} == {"2012", "2013"}
    for row in _table(zf, "relationships.csv"):
        assert len(row["opened_month"]) == 7 and row["opened_month"][4] == "-"
    codebook = _table(zf, "codebook.csv")
    described = {(r["file"], r["column"]) for r in codebook}
    for name in zf.namelist():
        if name.endswith(".csv") and name != "codebook.csv":
            header = next(csv.reader(io.TextIOWrapper(zf.open(name), encoding="utf-8")))
            assert {(name, column) for column in header} <= described, name


def test_the_same_key_gives_the_same_pseudonym_and_another_key_another(world):
    _data(world)
    child = world.family.relationships.first().child
    first, _e = _export(world)
    second, _e = _export(world)
    other, _e = _export(world, key=b"another project's key")
    expected = Pseudonyms(KEY)("person", child.pk)
    assert expected in {c["child"] for c in _table(first, "children.csv")}
    assert expected in {c["child"] for c in _table(second, "children.csv")}
    assert expected not in {c["child"] for c in _table(other, "children.csv")}
    assert {c["child"] for c in _table(first, "children.csv")} == {c["child"] for c in _table(second, "children.csv")}
    assert str(child.pk) not in {c["child"] for c in _table(first, "children.csv")}


def test_every_export_logs_a_disclosure_for_each_family(world):
    _data(world)
    before = AccessLogEntry.objects.count()
    _zf, export = _export(world)
    entries = AccessLogEntry.objects.order_by("id")[before:]
    assert export.logged_families == Family.objects.count() == len(entries)
    assert {e.family_id for e in entries} == set(Family.objects.values_list("id", flat=True))
    assert {e.county_id for e in entries} == {world.county.pk, world.other_county.pk}
    entry = next(e for e in entries if e.family_id == world.family.pk)
    assert entry.kind == "disclosure" and entry.action == "export" and entry.actor_id == world.researcher.pk
    assert entry.recipient == "Tutkija / Hanke" and "552/2019" in entry.legal_basis


def test_the_researcher_downloads_their_own_countys_data(client, world):
    _data(world)
    client.force_login(world.researcher)
    assert client.get("/evaluation/research/").status_code == 200
    response = client.post("/evaluation/research/", {"project": "Vaikuttavuus", "permit": "THL/9/2026"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip" and response.streaming
    zf = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    families = {r["family"] for r in _table(zf, "relationships.csv")}
    p = Pseudonyms(__import__("apps.evaluation.research", fromlist=["research_key"]).research_key())
    assert p("family", world.family.pk) in families and p("family", world.foreign_family.pk) not in families
    logged = AccessLogEntry.objects.filter(kind="disclosure", actor=world.researcher)
    assert set(logged.values_list("county_id", flat=True)) == {world.county.pk}
    assert logged.filter(family_id=world.family.pk, legal_basis__startswith="THL/9/2026", recipient__endswith="/ Vaikuttavuus").exists()


def test_a_researcher_starts_from_the_export_page(client, world):
    client.force_login(world.researcher)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/evaluation/research/"


def test_without_a_permit_nothing_is_exported(client, world):
    client.force_login(world.researcher)
    response = client.post("/evaluation/research/", {"project": "Vaikuttavuus", "permit": ""})
    assert response.status_code == 200 and not response.streaming
    assert not AccessLogEntry.objects.filter(kind="disclosure").exists()


def test_workers_and_managers_cannot_export(client, world):
    for persona in ("worker", "consultant", "manager", "auditor", "foreigner"):
        client.force_login(getattr(world, persona))
        assert client.get("/evaluation/research/").status_code == 404, persona
        response = client.post("/evaluation/research/", {"project": "x", "permit": "y"})
        assert response.status_code == 404, persona
    assert not AccessLogEntry.objects.filter(kind="disclosure").exists()


def test_command_writes_the_zip_for_one_county(world, tmp_path):
    _data(world)
    out = tmp_path / "export.zip"
    call_command("research_export", out=str(out), county="testila", researcher="tutkija", project="Hanke", permit="THL/2/2026")
    zf = zipfile.ZipFile(out)
    assert len(_table(zf, "teams.csv")) == 2  # team A and team B of Testilä, not the other county's
    assert AccessLogEntry.objects.filter(kind="disclosure", county=world.other_county).count() == 0
    with pytest.raises(CommandError):
        call_command("research_export", out=str(out), researcher="esihenkilo", project="Hanke", permit="x")
    with pytest.raises(CommandError):
        call_command("research_export", out=str(out), county="ei-ole", researcher="tutkija", project="Hanke", permit="x")


@override_settings(DEMO=False, DEBUG=False, SYSTEEMI_RESEARCH_KEY="")
def test_production_requires_a_research_key(world):
    with pytest.raises(ImproperlyConfigured):
        write_research_export(io.BytesIO(), actor=world.researcher, recipient="x", legal_basis="y")


def test_dates_in_days_are_relative_to_the_familys_own_events(world):
    _data(world)
    zf, _e = _export(world)
    phases = _table(zf, "phases.csv")
    assert {int(r["days_from_opening"]) for r in phases} == {0, 30}
    steps = _table(zf, "plan_steps.csv")
    assert steps[0]["days_allowed"] == str((datetime.timedelta(days=10)).days)


def test_the_export_is_rows_only_and_tells_the_researcher_the_small_cell_rule(world):
    """Microdata for a permit holder: no table of counts leaves with it (one would go through
    apps/core/disclosure), and the README states the rule for what is published from it."""
    from apps.evaluation.research import TABLES

    _data(world)
    zf, export = _export(world)
    assert set(zf.namelist()) == {t.name for t in TABLES} | {"codebook.csv", "README.txt"}
    for table in TABLES:
        columns = export.columns(table)
        assert columns[0].type in ("pseudonym", "code"), table.name  # each row one unit, not a group
    readme = zf.read("README.txt").decode()
    assert "hide counts of 1-4" in readme and "total would give a hidden one back" in readme
