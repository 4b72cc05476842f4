"""Reads for meetings: agenda proposals, the family timeline, "my steps this week"."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Prefetch, Q
from django.utils import timezone

from apps.accounts.models import User
from apps.casework.deadlines import deadlines
from apps.clients.access import visible_families
from apps.organisations.models import Membership, TeamRole

from .models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep, ProposalReason
from .proposals import raised_by_sources

NEW_RELATIONSHIP_DAYS = 30

# A member's role in the meeting follows their role in the team (the chair can be changed per meeting).
MEETING_ROLE = {
    TeamRole.CONSULTANT: Attendance.Role.CHAIR,
    TeamRole.FAMILY_THERAPIST: Attendance.Role.THERAPIST,
    TeamRole.COORDINATOR: Attendance.Role.COORDINATOR,
    TeamRole.SOCIAL_WORKER: Attendance.Role.WORKER,
    TeamRole.SOCIAL_INSTRUCTOR: Attendance.Role.WORKER,
}
ROLE_ORDER = {r: n for n, r in enumerate(Attendance.Role.values)}


@dataclass
class RosterRow:
    """One team member on the attendance list: their team role(s), the role they would have in the
    meeting, and the role they were recorded in (None: not recorded as present)."""

    user: object
    team_roles: list[str]
    default_role: str
    attended_role: str | None = None

    @property
    def role(self) -> str:
        return self.attended_role or self.default_role

    @property
    def team_role_labels(self) -> str:
        return ", ".join(str(TeamRole(r).label) for r in self.team_roles)

    @property
    def role_label(self) -> str:
        return str(Attendance.Role(self.role).label)


@dataclass
class Proposal:
    family: object
    reasons: list[str] = field(default_factory=list)
    last_discussed: datetime.datetime | None = None

    def reason_labels(self) -> list[str]:
        return [str(ProposalReason(r).label) for r in self.reasons]


def families_with_meeting_facts(families, *, today=None):
    """Annotate families with when they were last discussed and their open and overdue steps."""
    today = today or timezone.localdate()
    return families.annotate(
        last_discussed=Max("agenda_items__meeting__starts_at", filter=Q(agenda_items__meeting__starts_at__lte=timezone.now())),
        open_steps=Count("plan_steps", filter=Q(plan_steps__status=PlanStep.Status.OPEN), distinct=True),
        overdue_steps=Count("plan_steps", filter=Q(plan_steps__status=PlanStep.Status.OPEN, plan_steps__due_on__lt=today), distinct=True),
        newest_opened=Max("relationships__opened_on", filter=Q(relationships__closed_on__isnull=True)),
    )


def agenda_proposals(meeting: Meeting, *, viewer, today=None) -> list[Proposal]:
    """Families that need discussion, with why; those already on the agenda are left out (7 queries)."""
    today = today or timezone.localdate()
    team = meeting.team
    on_agenda = AgendaItem.objects.filter(meeting=meeting).values("family_id")
    families = visible_families(viewer).filter(team=team).exclude(id__in=on_agenda)
    rows = list(families_with_meeting_facts(families, today=today).order_by("name", "id"))
    soon = today + datetime.timedelta(days=7)
    deadline_families = {d.family_id for d in deadlines(families) if d.due_on <= soon}
    raised = raised_by_sources(families.values("id"))
    interval = datetime.timedelta(weeks=team.discussion_interval_weeks)
    proposals = []
    for f in rows:
        reasons = []
        if (
            f.newest_opened
            and f.newest_opened >= today - datetime.timedelta(days=NEW_RELATIONSHIP_DAYS)
            and (f.last_discussed is None or f.last_discussed.date() < f.newest_opened)
        ):
            reasons.append(ProposalReason.NEW_RELATIONSHIP)
        if f.newest_opened and (f.last_discussed is None or f.last_discussed.date() < today - interval):
            reasons.append(ProposalReason.NOT_DISCUSSED)
        if f.pk in deadline_families:
            reasons.append(ProposalReason.DEADLINE)
        if f.overdue_steps:
            reasons.append(ProposalReason.STEPS_OVERDUE)
        reasons += [reason for reason, ids in raised.items() if f.pk in ids]
        if reasons:
            proposals.append(Proposal(f, reasons, f.last_discussed))
    order = {r: n for n, r in enumerate(ProposalReason)}
    proposals.sort(key=lambda p: (min(order[r] for r in p.reasons), p.family.name))
    return proposals


def default_presenter(family):
    """Who presents a family added to the agenda: a responsible worker of its client relationships."""
    worker_id = family.relationships.values_list("responsible_worker", flat=True).first()
    return User.objects.filter(pk=worker_id).first() if worker_id else None


def meeting_items(meeting: Meeting):
    """The agenda in order, each item with its planned clock time (`planned_start`, `planned_end`)."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("family", "presenter")
        .annotate(step_count=Count("steps", distinct=True), hypothesis_count=Count("hypotheses", distinct=True))
        .order_by("position", "id")
    )
    clock = meeting.starts_at
    for item in items:
        item.planned_start = clock
        clock = item.planned_end = clock + datetime.timedelta(minutes=item.planned_minutes)
    return items


def meeting_roster(meeting: Meeting) -> list[RosterRow]:
    """The team's members on the meeting day, chair first, then therapist, coordinator and workers,
    with who was recorded as present (2 queries). Someone recorded who has since left the team stays
    on the list."""
    day = timezone.localtime(meeting.starts_at).date()
    rows: dict[int, RosterRow] = {}
    for m in Membership.objects.active(day).filter(team_id=meeting.team_id).select_related("user"):
        row = rows.setdefault(m.user_id, RosterRow(m.user, [], MEETING_ROLE[m.role]))
        row.team_roles.append(m.role)
        if ROLE_ORDER[MEETING_ROLE[m.role]] < ROLE_ORDER[row.default_role]:
            row.default_role = MEETING_ROLE[m.role]
    for a in Attendance.objects.filter(meeting=meeting).select_related("user"):
        row = rows.setdefault(a.user_id, RosterRow(a.user, [], a.role))
        row.attended_role = a.role
    return sorted(rows.values(), key=lambda r: (ROLE_ORDER[r.role], r.user.last_name, r.user.first_name, r.user.pk))


def attendance_of(meeting: Meeting, items=None, *, roster=None) -> dict[str, object]:
    """The meeting's attendance as stored, one entry per fact the attendance form edits:
    `present_<user>` (their role in the meeting, "" when not recorded as present), and per agenda
    item `family_<item>` and `partner_<item>` (did the family, a partner take part)."""
    entries = {f"present_{row.user.pk}": row.attended_role or "" for row in (roster if roster is not None else meeting_roster(meeting))}
    if items is None:
        items = AgendaItem.objects.filter(meeting=meeting).only("pk", "family_attended", "partner_attended")
    for item in items:
        entries[f"family_{item.pk}"] = item.family_attended
        entries[f"partner_{item.pk}"] = item.partner_attended
    return entries


def item_detail(item: AgendaItem):
    """Hypotheses of the family (all meetings: they evolve) and steps of this discussion."""
    hypotheses = list(Hypothesis.objects.filter(family_id=item.family_id).select_related("item__meeting").order_by("created_at", "id"))
    # This discussion's steps and the family's other open ones, in one read.
    family_steps = list(
        PlanStep.objects.filter(family_id=item.family_id)
        .filter(Q(item=item) | Q(status=PlanStep.Status.OPEN))
        .select_related("owner")
        .order_by("due_on", "id")
    )
    steps = [s for s in family_steps if s.item_id == item.pk]
    open_steps = [s for s in family_steps if s.item_id != item.pk]
    return hypotheses, steps, open_steps


def my_steps(user, *, today=None):
    """Open steps the user owns in families they may open: overdue and due by the end of next week."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=13 - today.weekday())
    return list(
        PlanStep.objects.filter(owner=user, status=PlanStep.Status.OPEN, due_on__lte=horizon, family__in=visible_families(user))
        .select_related("family")
        .order_by("due_on", "id")
    )


RECENT_DISCUSSIONS = 5


def family_timeline(family, *, latest: int | None = None):
    """The family's discussions with their hypotheses and steps (3 queries): all of them oldest
    first, or the `latest` ones newest first. The family page shows the latest few and links to
    the whole history: two years of weekly meetings discuss a family some twenty times, and the
    page should cost what the family is now, not all it has been (issue 8)."""
    items = (
        AgendaItem.objects.filter(family=family, meeting__starts_at__lte=timezone.now() + datetime.timedelta(days=365))
        .select_related("meeting")
        .prefetch_related(
            Prefetch("hypotheses", queryset=Hypothesis.objects.order_by("created_at")),
            Prefetch("steps", queryset=PlanStep.objects.select_related("owner").order_by("due_on")),
        )
    )
    if latest is not None:
        return list(items.order_by("-meeting__starts_at", "-position")[:latest])
    return list(items.order_by("meeting__starts_at", "position"))


def team_meetings(team, *, limit: int | None = 30):
    """The team's meetings newest first with their agenda sizes: the latest `limit` (the API's
    list), or all of them as a queryset to page through (the meetings page)."""
    meetings = (
        Meeting.objects.filter(team=team)
        .annotate(item_count=Count("items"), first_item=Min("items__position"))
        .order_by("-starts_at", "-id")
    )
    return meetings if limit is None else list(meetings[:limit])
