"""Managers see caseloads as aggregates: no family, ever; limits from the law in force."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.caseload.rules import statutory_cap
from tests import factories as f


def test_statutory_cap_by_date():
    assert statutory_cap(datetime.date(2021, 12, 31)) is None
    assert statutory_cap(datetime.date(2023, 12, 31)).max_children == 35
    assert statutory_cap(datetime.date(2024, 1, 1)).max_children == 30


def test_manager_sees_counts_without_families(client, world):
    client.force_login(world.manager)
    response = client.get("/caseloads/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Systeemitiimi A" in body and world.worker.get_full_name() in body
    for name in ("Mäkinen", "Salainen", "Aino", "Sanna"):
        assert name not in body
    assert "Vieras tiimi" not in body  # another county


def test_worker_over_the_legal_cap_is_flagged(client, world):
    f.family(world.team, "Iso", children=29, parents=0, worker=world.worker)  # 31 with world.family's 2
    client.force_login(world.manager)
    loads = client.get("/caseloads/").context["loads"]
    row = next(w for load in loads for w in load.workers if w.name == world.worker.get_full_name())
    assert row.children == 31 and row.over_cap and row.over_target


def test_manager_of_a_unit_sees_only_that_unit(client, world):
    other_unit_team = f.team(world.county, f.unit(world.county, "Toinen yksikkö"), "Muu tiimi")
    world.manager.managed_unit = world.team.unit
    world.manager.save()
    client.force_login(world.manager)
    body = client.get("/caseloads/").content.decode()
    assert "Systeemitiimi A" in body and other_unit_team.name not in body


def test_caseload_queries_constant(client, world):
    client.force_login(world.manager)
    client.get("/caseloads/")
    with CaptureQueriesContext(connection) as small:
        client.get("/caseloads/")
    for i in range(4):
        team = f.team(world.county, world.team.unit, f"Lisätiimi {i}")
        worker = f.member(team, "social_worker")
        f.family(team, f"P{i}", children=3, worker=worker)
    with CaptureQueriesContext(connection) as large:
        client.get("/caseloads/")
    assert len(small) == len(large)
