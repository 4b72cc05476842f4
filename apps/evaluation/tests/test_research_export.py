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


FIXED = ("codebook.csv", "value_labels.csv", "README.txt")  # fixed text, not data


def _parquet(zf, name):
    import pyarrow.parquet as pq

    return pq.read_table(io.BytesIO(zf.read(name)))


def test_the_export_names_nobody_and_holds_no_free_text(world):
    item, _child = _data(world)
    zf, export = _export(world)
    # The data tables; codebook.csv and README.txt are fixed text (and the README names the recipient).
    text = "\n".join(zf.read(name).decode() for name in zf.namelist() if name.endswith(".csv") and name not in FIXED)
    text += "\n".join(str(_parquet(zf, name)) for name in zf.namelist() if name.endswith(".parquet"))
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
        if name.endswith(".csv") and name not in FIXED:
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


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task, as in production
def test_the_researcher_asks_a_background_task_writes_and_the_download_is_a_disclosure(client, world):
    from apps.evaluation.models import ResearchExportJob
    from apps.evaluation.research import research_key

    _data(world)
    client.force_login(world.researcher)
    assert client.get("/evaluation/research/").status_code == 200
    data = {"project": "Vaikuttavuus", "purpose": "Mallin vaikuttavuuden arviointi", "permit": "THL/9/2026"}
    before = AccessLogEntry.objects.count()
    assert client.post("/evaluation/research/", data).status_code == 302
    job = ResearchExportJob.objects.get()
    assert job.status == "queued" and AccessLogEntry.objects.count() == before  # asking hands nothing out
    assert "jonossa" in client.get("/evaluation/research/").content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)  # the worker, inline
    job.refresh_from_db()
    assert job.status == "done" and job.percent == 100 and job.rows_written > 0
    page = client.get("/evaluation/research/").content.decode()
    assert f"/evaluation/research/{job.pk}/download/" in page
    assert AccessLogEntry.objects.count() == before  # a written file is not a disclosure either
    response = client.get(f"/evaluation/research/{job.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    families = {r["family"] for r in _table(zf, "relationships.csv")}
    p = Pseudonyms(research_key(world.county))
    assert p("family", world.family.pk) in families and p("family", world.foreign_family.pk) not in families
    logged = AccessLogEntry.objects.filter(kind="disclosure", actor=world.researcher)
    assert set(logged.values_list("county_id", flat=True)) == {world.county.pk}
    entry = logged.get(family_id=world.family.pk)
    assert (
        entry.legal_basis.startswith("THL/9/2026") and "Vaikuttavuus" in entry.recipient and "vaikuttavuuden arviointi" in entry.recipient
    )
    assert entry.view_name == "research-download"


def test_only_the_researcher_who_asked_downloads(client, world):
    from apps.evaluation.models import ResearchExportJob
    from apps.evaluation.tasks import run_export_job

    job = ResearchExportJob.objects.create(county=world.county, requested_by=world.researcher, project="P", purpose="T", permit="L")
    run_export_job(job.pk)
    other = f.researcher(world.county, "toinen_tutkija")
    for user in (other, world.manager, world.worker):
        client.force_login(user)
        assert client.get(f"/evaluation/research/{job.pk}/download/").status_code == 404
    assert not AccessLogEntry.objects.filter(kind="disclosure").exists()


def test_a_researcher_starts_from_the_export_page(client, world):
    client.force_login(world.researcher)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/evaluation/research/"


def test_without_a_permit_nothing_is_exported(client, world):
    client.force_login(world.researcher)
    from apps.evaluation.models import ResearchExportJob

    response = client.post("/evaluation/research/", {"project": "Vaikuttavuus", "purpose": "Arviointi", "permit": ""})
    assert response.status_code == 200 and not ResearchExportJob.objects.exists()
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
    parquet = {f"parquet/{t.name.removesuffix('.csv')}.parquet" for t in TABLES}
    assert set(zf.namelist()) == {t.name for t in TABLES} | parquet | {"codebook.csv", "value_labels.csv", "README.txt"}
    for table in TABLES:
        columns = export.columns(table)
        assert columns[0].type in ("pseudonym", "code"), table.name  # each row one unit, not a group
    readme = zf.read("README.txt").decode()
    assert "hide counts of 1-4" in readme and "total would give a hidden one back" in readme


def test_counts_of_clients_inside_rows_leave_empty_when_small(world):
    """A worker's children at month end and the families of a meeting are aggregates that leave the
    team: 1-4 never leaves, not only as advice in the codebook."""
    from apps.caseload.models import CaseloadSnapshot

    CaseloadSnapshot.objects.create(county=world.county, worker=world.worker, month_end=datetime.date(2026, 1, 31), children=3)
    CaseloadSnapshot.objects.create(county=world.county, worker=world.second_worker, month_end=datetime.date(2026, 1, 31), children=12)
    f.meeting_item(world.family, world.coordinator)  # one family discussed
    out = io.BytesIO()
    write_research_export(out, actor=world.researcher, recipient="x", legal_basis="y", county=world.county, key=b"k")
    zf = zipfile.ZipFile(out)
    assert sorted(r["children"] for r in _table(zf, "caseload_snapshots.csv")) == ["", "12"]
    assert {r["discussions"] for r in _table(zf, "meetings.csv")} == {""}
    assert "1-4: empty" in zf.read("codebook.csv").decode()


def test_parquet_beside_csv_with_the_codebooks_types_and_value_labels(world):
    import pyarrow as pa

    _data(world)
    zf, export = _export(world)
    for table in ("relationships", "ratings", "meetings"):
        rows = _table(zf, f"{table}.csv")
        parquet = _parquet(zf, f"parquet/{table}.parquet")
        assert parquet.num_rows == len(rows) == export.rows[f"{table}.csv"]
        assert parquet.column_names == list(rows[0]) if rows else True
    ratings = _parquet(zf, "parquet/ratings.parquet")
    assert ratings.schema.field("total").type == pa.float64() and ratings.schema.field("rater_age").type == pa.int64()
    assert ratings.column("total").to_pylist() == [float(r["total"]) for r in _table(zf, "ratings.csv")]
    codebook = {(r["file"], r["column"]): r for r in _table(zf, "codebook.csv")}
    assert codebook[("ratings.csv", "total")]["parquet_type"] == "double"
    labels = {(r["file"], r["column"], r["value"]): (r["label_fi"], r["label_en"]) for r in _table(zf, "value_labels.csv")}
    assert labels[("phases.csv", "phase", "care_order")] == ("huostaanotto", "taking into care")
    assert labels[("teams.csv", "kind", "comparison")][0] == "vertailutiimi"


def test_each_county_has_its_own_pseudonym_key(world, settings):
    from apps.evaluation.research import Pseudonyms, research_key

    settings.SYSTEEMI_RESEARCH_KEY = "base key of the installation"
    settings.SYSTEEMI_RESEARCH_KEYS = {world.other_county.code: "the other county's own key"}
    assert research_key(world.county) != research_key(world.other_county) != research_key()
    assert research_key(world.other_county) == b"the other county's own key"
    out = io.BytesIO()
    write_research_export(out, actor=world.researcher, recipient="x", legal_basis="y")  # national: both counties
    zf = zipfile.ZipFile(out)
    families = {r["family"] for r in _table(zf, "relationships.csv")}
    assert Pseudonyms(research_key(world.county))("family", world.family.pk) in families
    assert Pseudonyms(research_key(world.county))("family", world.foreign_family.pk) not in families
    assert Pseudonyms(research_key(world.other_county))("family", world.foreign_family.pk) in families


def test_the_downloaded_file_is_named_by_the_day_the_researcher_asked_in_finland(client, world, time_machine):
    """Asked at 01.30 Finnish time on 8.12. (23.30 UTC on 7.12.): the file says 8.12., as the page does."""
    from apps.evaluation.models import ResearchExportJob
    from apps.evaluation.tasks import run_export_job

    time_machine.move_to(datetime.datetime(2026, 12, 7, 23, 30, tzinfo=datetime.UTC))
    job = ResearchExportJob.objects.create(county=world.county, requested_by=world.researcher, project="P", purpose="T", permit="L")
    run_export_job(job.pk)
    client.force_login(world.researcher)
    assert "8.12.2026" in client.get("/evaluation/research/").content.decode()
    response = client.get(f"/evaluation/research/{job.pk}/download/")
    assert response["Content-Disposition"].endswith(f'-{world.county.code}-2026-12-08.zip"')
