"""Caseload aggregates for managers: counts per worker and team, never a family."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from apps.clients.models import ClientRelationship, Family
from apps.clients.selectors import CASEWORKER_ROLES
from apps.organisations.models import Membership, Team

from .rules import statutory_cap


@dataclass
class WorkerLoad:
    name: str
    role: str
    children: int
    over_target: bool
    over_cap: bool


@dataclass
class TeamLoad:
    team: Team
    families: int
    children: int
    workers: list[WorkerLoad]

    @property
    def over_cap_count(self) -> int:
        return sum(w.over_cap for w in self.workers)


def caseload_overview(manager) -> tuple[list[TeamLoad], object]:
    """Four queries for any number of teams: teams, memberships, per-worker and per-team counts."""
    today = timezone.localdate()
    cap = statutory_cap(today)
    teams = Team.objects.filter(county_id=manager.county_id).select_related("unit").order_by("unit__name", "name")
    if manager.managed_unit_id:
        teams = teams.filter(unit_id=manager.managed_unit_id)
    teams = list(teams)
    team_ids = [t.pk for t in teams]
    members = (
        Membership.objects.active()
        .filter(team_id__in=team_ids, role__in=CASEWORKER_ROLES)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    open_rels = ClientRelationship.objects.filter(county_id=manager.county_id, closed_on__isnull=True)
    per_worker = dict(
        open_rels.filter(responsible_worker__memberships__team_id__in=team_ids)
        .values_list("responsible_worker_id")
        .annotate(n=Count("child_id", distinct=True))
    )
    per_team = {
        row["team_id"]: row
        for row in Family.objects.filter(team_id__in=team_ids)
        .values("team_id")
        .annotate(
            families=Count("id", distinct=True),
            children=Count("relationships", filter=Q(relationships__closed_on__isnull=True), distinct=True),
        )
    }
    by_team: dict[int, list[WorkerLoad]] = {t.pk: [] for t in teams}
    team_by_id = {t.pk: t for t in teams}
    for m in members:
        n = per_worker.get(m.user_id, 0)
        team = team_by_id[m.team_id]
        by_team[m.team_id].append(
            WorkerLoad(
                name=m.user.get_full_name() or m.user.username,
                role=m.get_role_display(),
                children=n,
                over_target=n > team.caseload_target_max,
                over_cap=bool(cap and n > cap.max_children),
            )
        )
    loads = [
        TeamLoad(t, per_team.get(t.pk, {}).get("families", 0), per_team.get(t.pk, {}).get("children", 0), by_team[t.pk]) for t in teams
    ]
    return loads, cap
