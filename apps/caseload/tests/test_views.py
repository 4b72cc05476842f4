"""The caseload pages by who asks: a team's members and the managers whose scope covers the team see
its months; nobody sees a family."""

from apps.organisations.models import TeamRole, Unit
from tests import factories as f


def test_a_team_caseload_for_its_members_and_managers_in_scope(client, world):
    url = f"/teams/{world.team.pk}/caseload/"
    for user, status in (
        (world.worker, 200),
        (world.therapist, 200),
        (world.manager, 200),
        (world.unit_manager, 200),
        (world.other_unit_manager, 404),
        (world.stranger, 404),
        (world.auditor, 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, user.username
        assert "Mäkinen" not in response.content.decode()


def test_the_unit_manager_drills_into_their_own_units_teams_only(client, world):
    other_unit = Unit.objects.get(pk=world.other_unit_manager.managed_unit_id)
    their_team = f.team(world.county, other_unit, "Perhesosiaalityö A")
    f.member(their_team, TeamRole.SOCIAL_WORKER, "pst_tyontekija", first="Pirjo", last="Perhetyö")
    client.force_login(world.other_unit_manager)
    overview = client.get("/caseloads/").content.decode()
    assert "Perhesosiaalityö A" in overview and world.team.name not in overview
    assert client.get(f"/caseloads/teams/{their_team.pk}/").status_code == 200
    assert client.get(f"/caseloads/teams/{world.team.pk}/").status_code == 404
    # A team's members use their own page; the manager's drill-down is not theirs.
    client.force_login(world.worker)
    assert client.get(f"/caseloads/teams/{world.team.pk}/").status_code == 404
