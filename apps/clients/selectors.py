"""Reads shaped for the pages: each returns everything a page needs in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Now

from apps.access.gate import Access, responsible_for_contact, visible_families
from apps.casework.models import ClientPlan, PersonalMeeting
from apps.core.subqueries import count_of
from apps.organisations.models import TEAM_ROLE_ORDER, Membership, Team, TeamRole

from .models import (
    ADULT_RELATIONS,
    ClientRelationship,
    Family,
    FamilyMember,
    PhaseEvent,
    Relation,
)

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


# The team page's rows need names only: a full user row costs two timestamp parses and ten
# more fields per worker, 275 model instances per 55-family page (issue 8; 20 -> 16.5 ms for
# the families' reads, PostgreSQL national, median of 200 interleaved).
NAME_FIELDS = ("first_name", "last_name", "username")
ROW_FAMILY_FIELDS = ("name", "municipality", "team_id", "county_id", *(f"parents_worker__{f}" for f in NAME_FIELDS))
ROW_RELATIONSHIP_FIELDS = ("family_id", "current_phase", "responsible_worker_id", "child__first_names", "child__birth_date")


def team_families(team: Team, *, viewer):
    """The team's families with open children and workers; four queries whatever their number.

    The last discussion and open plan steps are correlated subqueries (each on an
    index that starts with the family), not joins: joining members, agenda items and plan steps
    in one aggregate multiplies them per family (thousands of rows each after a year of weekly
    meetings), which made the team page the slowest page under load.
    """
    from apps.accounts.models import User
    from apps.meetings.models import AgendaItem, PlanStep

    # Workers by primary key in a query of their own: joined, PostgreSQL's default costs chose
    # to hash the whole user table (5,000 rows nationally, 1.3 ms) over 55 index probes.
    workers = Prefetch("responsible_worker", queryset=User.objects.only(*NAME_FIELDS))
    open_rels = (
        open_relationships().select_related("child").only(*ROW_RELATIONSHIP_FIELDS).prefetch_related(workers).order_by("child__birth_date")
    )
    last_discussed = (
        AgendaItem.objects.filter(family=OuterRef("pk"), meeting__starts_at__lte=Now())
        .order_by("-meeting__starts_at")
        .values("meeting__starts_at")[:1]
    )
    return (
        visible_families(viewer)
        .filter(team=team)
        .select_related("parents_worker")
        .only(*ROW_FAMILY_FIELDS)
        .prefetch_related(Prefetch("relationships", queryset=open_rels, to_attr="open_relationships"))
        .annotate(
            last_discussed=Subquery(last_discussed),
            open_steps=count_of(PlanStep.objects.filter(status=PlanStep.Status.OPEN), "family"),
        )
        .order_by("name", "id")
    )


@dataclass
class MemberRow:
    member: FamilyMember
    show_contact: bool
    relationships: list


@dataclass
class FamilyDetail:
    family: Family
    children: list[MemberRow]
    adults: list[MemberRow]
    others: list[MemberRow]
    closed_relationships: list


def family_detail(access: Access, *, viewer) -> FamilyDetail:
    family = access.family  # the gate loaded it with its team and parents' worker, and its members
    latest_plan = ClientPlan.objects.filter(relationship=OuterRef("pk")).order_by("-made_on", "-id")
    latest_meeting = PersonalMeeting.objects.filter(relationship=OuterRef("pk")).order_by("-met_on", "-id")
    rels = list(
        ClientRelationship.objects.filter(family=family)
        .select_related("responsible_worker")
        .prefetch_related(Prefetch("phases", queryset=PhaseEvent.objects.order_by("started_on", "id")))
        # The page shows the latest plan and personal meeting only: read those, not every one
        # (two queries fewer than prefetching all of them).
        .annotate(
            plan_made_on=Subquery(latest_plan.values("made_on")[:1]),
            plan_kind=Subquery(latest_plan.values("kind")[:1]),
            plan_meetings=Subquery(latest_plan.values("meetings_per_year")[:1]),
            last_met_on=Subquery(latest_meeting.values("met_on")[:1]),
        )
    )
    by_child: dict[int, list] = {}
    for rel in rels:
        rel.latest_plan = (
            ClientPlan(relationship=rel, made_on=rel.plan_made_on, kind=rel.plan_kind, meetings_per_year=rel.plan_meetings)
            if rel.plan_made_on
            else None
        )
        by_child.setdefault(rel.child_id, []).append(rel)
    children, adults, others = [], [], []
    for m in access.members:
        person_rels = by_child.get(m.person_id, [])
        worker_ids = {r.responsible_worker_id for r in person_rels if r.is_open}
        row = MemberRow(m, responsible_for_contact(viewer, m.person, family, child_worker_ids=worker_ids), person_rels)
        if m.relation == Relation.CHILD:
            children.append(row)
        elif m.relation in ADULT_RELATIONS:
            adults.append(row)
        else:
            others.append(row)
    return FamilyDetail(family, children, adults, others, [r for r in rels if not r.is_open])


def family_search(families, query: str):
    if not query:
        return families
    return families.filter(Q(name__icontains=query) | Q(members__person__last_name__icontains=query)).distinct()
