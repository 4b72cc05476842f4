"""Reads of families, people and relationships: each returns what its callers need in a fixed
number of queries. Pages that combine these with other apps' data are assembled in apps.pages."""

from django.db.models import Count, Q

from apps.organisations.models import TEAM_ROLE_ORDER, Membership, Team, TeamRole

from .models import ClientRelationship

CASEWORKER_ROLES = (TeamRole.CONSULTANT, TeamRole.SOCIAL_WORKER)


def open_relationships():
    return ClientRelationship.objects.filter(closed_on__isnull=True)


def team_members(team: Team) -> list[Membership]:
    members = list(Membership.objects.active().filter(team=team).select_related("user"))
    members.sort(key=lambda m: (TEAM_ROLE_ORDER.index(m.role), m.user.last_name, m.user.first_name))
    return members


def caseworkers(team: Team):
    """Users who may carry a child's case in this team (responsible social worker)."""
    from apps.accounts.models import User

    return (
        User.objects.filter(memberships__in=Membership.objects.active().filter(team=team, role__in=CASEWORKER_ROLES))
        .distinct()
        .order_by("last_name", "first_name")
    )


def children_per_worker(user_ids, county_id) -> dict[int, int]:
    """Children each worker is responsible for now, across all their teams (LsL 13 b § counts per worker)."""
    rows = (
        open_relationships()
        .filter(county_id=county_id, responsible_worker_id__in=list(user_ids))
        .values("responsible_worker_id")
        .annotate(n=Count("child_id", distinct=True))
    )
    return {r["responsible_worker_id"]: r["n"] for r in rows}


def open_cases_per_team(county_id: int, team_ids) -> dict[int, tuple[int, int]]:
    """Families with an open client relationship and open relationships (children), per team.

    Read from the county's relationships: the county index narrows the country's open
    relationships (55,000 in the national set) to the county's before the join; without it the
    planner walked all of them (17 -> 8 ms for an 84-team county on PostgreSQL, issue 8).
    """
    rows = (
        open_relationships()
        .filter(county_id=county_id, family__team_id__in=list(team_ids))
        .values("family__team_id")
        .annotate(families=Count("family_id", distinct=True), children=Count("id"))
        .order_by()
    )
    return {r["family__team_id"]: (r["families"], r["children"]) for r in rows}


def family_search(families, query: str):
    if not query:
        return families
    return families.filter(Q(name__icontains=query) | Q(members__person__last_name__icontains=query)).distinct()
