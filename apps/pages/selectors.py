"""Reads for the pages that draw from several apps: the team page's family table and the family
page. Each returns everything its page needs in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Now

from apps.access.gate import Access
from apps.accounts.models import User
from apps.audit.selectors import person_log_entries
from apps.casework.models import ClientPlan, PersonalMeeting
from apps.clients.access import responsible_for_contact, visible_families
from apps.clients.models import ADULT_RELATIONS, ClientRelationship, Family, FamilyMember, Person, PhaseEvent, Relation
from apps.clients.selectors import open_relationships
from apps.core.subqueries import count_of
from apps.meetings.models import AgendaItem, PlanStep
from apps.organisations.models import Team

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


def person_search(county_id: int, query: str, limit: int = 50):
    """The auditor's search: by identity code (typed in lower case too) or by every part of the name."""
    query = (query or "").strip()
    if not query:
        return Person.objects.none()
    people = Person.objects.filter(county_id=county_id)
    if len(query) == 11 and query[6].upper() in "+-YXWVUABCDEF":
        return people.filter(personal_identity_code=query.upper())[:limit]
    for part in query.split():
        people = people.filter(Q(first_names__icontains=part) | Q(last_name__icontains=part))
    return people.order_by("last_name", "first_names")[:limit]


def person_log(person: Person, *, include_older: bool = False):
    """Who has seen this person's data: entries naming them, and list entries of their families."""
    family_ids = list(FamilyMember.objects.filter(person=person).values_list("family_id", flat=True))
    return person_log_entries(county_id=person.county_id, person_id=person.pk, family_ids=family_ids, include_older=include_older)
