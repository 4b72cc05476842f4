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
    assert "Systeemitiimi A" in body and f'href="/caseloads/teams/{world.team.pk}/"' in body
    assert "Omat määräajat" not in body and "Omat askeleet" not in body  # a manager carries no families
    team_page = client.get(f"/caseloads/teams/{world.team.pk}/").content.decode()
    assert world.worker.get_full_name() in team_page  # the team's workers month by month
    for name in ("Mäkinen", "Salainen", "Aino", "Sanna"):
        assert name not in body and name not in team_page
    assert "Vieras tiimi" not in body  # another county
    assert client.get(f"/caseloads/teams/{world.foreign_family.team_id}/").status_code == 404  # another county


def test_worker_over_the_legal_cap_is_flagged(client, world):
    f.family(world.team, "Iso", children=29, parents=0, worker=world.worker)  # 31 with world.family's 2
    client.force_login(world.manager)
    response = client.get("/caseloads/")
    loads = response.context["overview"].teams
    row = next(w for load in loads for w in load.workers if w.name == world.worker.get_full_name())
    assert row.children == 31 and row.over_cap and row.over_target
    over_cap = response.content.decode().split('id="overcap-h"')[1].split("</section>")[0]
    assert world.worker.get_full_name() in over_cap and '<td class="num">31</td>' in over_cap
    assert world.second_worker.get_full_name() not in over_cap


def test_overview_pages_through_teams_and_filters_by_unit(client, world):
    other_unit = f.unit(world.county, "Toinen yksikkö")
    for i in range(30):
        f.team(world.county, other_unit, f"Lisätiimi {i:02d}")
    client.force_login(world.manager)
    first = client.get("/caseloads/")
    assert len(first.context["page"]) == 25 and "Sivu 1 / 2" in first.content.decode()
    second = client.get("/caseloads/?page=2").context["page"]
    assert len(second) == first.context["page"].paginator.count - 25
    by_unit = client.get(f"/caseloads/?unit={other_unit.pk}")
    names = [load.team.name for load in by_unit.context["page"].paginator.object_list]
    assert len(names) == 30 and all(n.startswith("Lisätiimi") for n in names)
    assert client.get("/caseloads/?unit=x&page=99").status_code == 200  # bad input shows a page, not an error


def test_manager_of_a_unit_sees_only_that_unit(client, world):
    other_unit_team = f.team(world.county, f.unit(world.county, "Toinen yksikkö"), "Muu tiimi")
    world.manager.managed_unit = world.team.unit
    world.manager.save()
    client.force_login(world.manager)
    body = client.get("/caseloads/").content.decode()
    assert "Systeemitiimi A" in body and other_unit_team.name not in body
    assert client.get(f"/caseloads/teams/{other_unit_team.pk}/").status_code == 404


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


def test_history_stays_exact_after_reassignment(client, world):
    from apps.caseload.history import month_ends

    client.force_login(world.worker)
    rel = world.family.relationships.first()
    client.post(f"/families/{world.family.pk}/relationships/{rel.pk}/worker/", {"responsible_worker": world.second_worker.pk})
    client.force_login(world.manager)
    overview = client.get(f"/caseloads/teams/{world.team.pk}/").context["overview"]
    rows = {w.name: [c.children for c in w.months] for t in overview.teams for w in t.workers}
    assert rows[world.worker.get_full_name()][-1] == 1 and rows[world.second_worker.get_full_name()][-1] == 1
    # last month (the family opened 60 days ago) the worker still had both children
    assert rows[world.worker.get_full_name()][-2] == 2 and rows[world.second_worker.get_full_name()][-2] == 0
    assert len(overview.months) == 12 and overview.months[-1].end == month_ends(datetime.date.today())[-1]


def test_team_page_and_history_agree(client, world):
    client.force_login(world.worker)
    team_rows = {r["user"].pk: r["children"] for r in client.get(f"/teams/{world.team.pk}/").context["caseload"]}
    history = client.get(f"/teams/{world.team.pk}/caseload/").context["overview"].teams[0]
    assert {w.name: w.children for w in history.workers}[world.worker.get_full_name()] == team_rows[world.worker.pk] == 2


def test_snapshot_freezes_a_closed_month(world):
    from django.core.management import call_command

    from apps.caseload.history import history, month_ends
    from apps.caseload.models import CaseloadSnapshot
    from apps.clients.models import ResponsibilityPeriod

    call_command("snapshot_caseloads")
    ends = month_ends(datetime.date.today(), 2)
    assert CaseloadSnapshot.objects.get(worker=world.worker, month_end=ends[0]).children == 2
    call_command("snapshot_caseloads")  # idempotent
    assert CaseloadSnapshot.objects.filter(worker=world.worker).count() == 1
    # a later correction of the periods does not rewrite the closed month
    ResponsibilityPeriod.objects.filter(worker=world.worker).delete()
    assert history(world.county.pk, [world.worker.pk], ends, datetime.date.today())[world.worker.pk] == [2, 0]


def test_the_cap_in_force_on_each_month_end():
    from apps.caseload.selectors import caseload_overview
    from apps.organisations.models import Team

    overview = caseload_overview(0, Team.objects.none(), today=datetime.date(2024, 3, 10), months=4)
    assert [m.cap.max_children for m in overview.months] == [35, 30, 30, 30]


def test_snapshot_command_refuses_unfinished_month(db):
    import pytest
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("snapshot_caseloads", month=datetime.date.today().strftime("%Y-%m"))
    with pytest.raises(CommandError):
        call_command("snapshot_caseloads", month="syyskuu")


def test_team_rows_count_open_cases_only(client, world):
    """A closed case is history: the team's row counts families and children with an open relationship."""

    def team_row():
        loads = client.get("/caseloads/").context["overview"].teams
        load = next(load for load in loads if load.team == world.team)
        return load.families, load.children

    client.force_login(world.manager)
    families, children = team_row()
    closed = f.family(world.team, "Päättynyt", children=2, parents=0, worker=world.worker)
    closed.relationships.update(closed_on=datetime.date.today())
    assert team_row() == (families, children)
    f.family(world.team, "Uusi", children=2, parents=0, worker=world.worker)
    assert team_row() == (families + 1, children + 2)


def test_a_median_of_whole_children_is_shown_without_a_decimal():
    from apps.caseload.selectors import median_children

    assert (median_children([9, 11, 13]), median_children([10, 12]), median_children([13, 14])) == (11, 11, 13.5)
    assert str(median_children([10, 12])) == "11" and median_children([]) is None
