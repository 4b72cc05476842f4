"""A manager reaches each team's ratings page from where they see the team, and only the teams
their scope covers are linked."""

import re

from tests import factories as f


def _ratings_links(body: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/teams/(\d+)/ratings/"', body)}


def _pages(client, team_ids):
    yield "caseload overview", client.get("/caseloads/").content.decode()
    yield "county report", client.get("/evaluation/county/").content.decode()
    for pk in team_ids:
        yield f"fidelity {pk}", client.get(f"/teams/{pk}/fidelity/").content.decode()
        yield f"caseload {pk}", client.get(f"/caseloads/teams/{pk}/").content.decode()


def test_the_county_manager_finds_every_teams_ratings_page(client, world):
    client.force_login(world.manager)
    teams = {world.team.pk, world.other_team.pk}
    for name, body in _pages(client, teams):
        if name in ("caseload overview", "county report"):
            assert _ratings_links(body) == teams, name
        else:
            assert _ratings_links(body) == {int(name.split()[-1])}, name
    for pk in teams:
        assert client.get(f"/teams/{pk}/ratings/").status_code == 200


def test_a_unit_manager_is_linked_only_to_the_units_teams(client, world):
    unit = f.unit(world.county, "Toinen yksikkö")
    own = f.team(world.county, unit, "Yksikön tiimi")
    world.manager.managed_unit = unit
    world.manager.save()
    client.force_login(world.manager)
    for name, body in _pages(client, [own.pk]):
        assert _ratings_links(body) == {own.pk}, name
