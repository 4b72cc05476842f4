from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from apps.access import gate
from apps.access.permissions import Perm
from apps.core.marks import aggregate
from apps.organisations.models import Team

from .selectors import caseload_overview, manager_overview


@aggregate
@login_required
def overview(request):
    gate.require_org_perm(request.user, Perm.CASELOAD_AGGREGATE)
    return render(request, "caseload/overview.html", {"overview": manager_overview(request.user), "show_units": True})


@aggregate
@login_required
def team_caseload(request, team_id):
    """A team's own caseload history: for its members (managers use the overview)."""
    team, _perms, _role = gate.get_team(request.user, team_id)
    data = caseload_overview(team.county_id, Team.objects.filter(pk=team.pk))
    return render(request, "caseload/overview.html", {"overview": data, "team": team})
