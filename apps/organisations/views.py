"""The team page: who is in the team, the team's families, and each worker's caseload."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from apps.access import gate
from apps.access.permissions import Perm
from apps.clients import selectors
from apps.clients.rows import family_rows
from apps.core.marks import personal_data


@personal_data
@login_required
def team_detail(request, team_id):
    team, perms, role = gate.get_team(request.user, team_id)
    query = request.GET.get("q", "").strip()
    families = list(selectors.family_search(selectors.team_families(team, viewer=request.user), query))
    gate.log_family_list(request.user, families, role=role, view_name="team-detail")
    members = selectors.team_members(team)
    loads = selectors.children_per_worker({m.user_id for m in members}, team.county_id)
    caseload = [
        {"user": m.user, "role": m.get_role_display(), "children": loads.get(m.user_id, 0)}
        for m in members
        if m.role in selectors.CASEWORKER_ROLES
    ]
    return render(
        request,
        "organisations/team_detail.html",
        {
            "team": team,
            "members": members,
            "families": families,
            "family_rows": family_rows(families),
            "caseload": caseload,
            "query": query,
            "can_edit": Perm.FAMILY_EDIT in perms,
            "other_teams": gate.visible_teams(request.user).exclude(pk=team.pk).order_by("name"),
        },
    )
