from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from apps.access import gate
from apps.access.permissions import Perm
from apps.core.marks import aggregate
from apps.organisations.models import Team

from .selectors import caseload_overview, manager_overview, over_cap_workers

TEAMS_PER_PAGE = 25


@aggregate
@login_required
def overview(request):
    """Units, workers over the cap and a page of teams as they stand today; each team links to its months."""
    gate.open_organisation(request.user, Perm.CASELOAD_AGGREGATE)
    data = manager_overview(request.user)
    units = data.units()
    unit_id = request.GET.get("unit", "")
    teams = [load for load in data.teams if str(load.team.unit_id) == unit_id] if unit_id.isdigit() else data.teams
    page = Paginator(teams, TEAMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "overview": data,
        "units": units,
        "unit_id": int(unit_id) if unit_id.isdigit() else None,
        "unit_query": f"&unit={unit_id}" if unit_id.isdigit() else "",
        "page": page,
        "over_cap": over_cap_workers(data),
    }
    return render(request, "caseload/manager_overview.html", context)


@aggregate
@login_required
def manager_team(request, team_id):
    """One overseen team's twelve months, worker by worker (counts only, no family)."""
    team = gate.open_team(request.user, team_id, need=Perm.CASELOAD_AGGREGATE).team
    data = caseload_overview(team.county_id, Team.objects.filter(pk=team.pk))
    return render(request, "caseload/overview.html", {"overview": data, "team": team, "from_overview": True})


@aggregate
@login_required
def team_caseload(request, team_id):
    """A team's caseload history: for its members and the managers whose scope covers the team."""
    team = gate.open_team(request.user, team_id, need=Perm.TEAM_AGGREGATE).team
    data = caseload_overview(team.county_id, Team.objects.filter(pk=team.pk))
    return render(request, "caseload/overview.html", {"overview": data, "team": team})
