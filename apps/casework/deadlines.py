"""Open statutory deadlines, computed from casework dates: one query per deadline source
(notifications, assessments, and the open relationships that need a plan or end in after-care).

Indexes: notifications by (family, decided_on) and assessments by (family, completed_on) keep the
team and family lists cheap; "my deadlines" goes through the responsible worker's relationships
(clients_cli_respons_* index).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from apps.accounts.models import display_name
from apps.clients.models import PLACEMENT_PHASES, ClientRelationship, Family, Phase, PhaseEvent
from apps.core.choices import labels as choice_labels
from apps.core.links import id_links

from .models import Assessment, ClientPlan, Notification, PersonalMeeting
from .rules import DeadlineKind, after_care_end, rule_for

SOON_DAYS = 7


@dataclass(frozen=True)
class Deadline:
    kind: str  # a DeadlineKind, or the kind of a registered source (shared_plan_review)
    title: str
    source: str
    due_on: datetime.date
    family_id: int
    family_name: str
    child_name: str
    worker_name: str
    url: str
    as_of: datetime.date | None = None  # the day the list was computed for (today unless asked)

    def days_left(self, today=None) -> int:
        return (self.due_on - (today or self.as_of or timezone.localdate())).days

    @property
    def overdue(self) -> bool:
        return self.days_left() < 0

    @property
    def due_soon(self) -> bool:
        return 0 <= self.days_left() <= SOON_DAYS


# A deadline shows the family's name, the child's name and the responsible worker's: the lists read
# those columns as plain rows (a user row carries some twenty, the password hash among them; and a
# team's list built 220 model objects to show 67 deadlines, issue 8).
NAMES = ("family_id", "family__name", "child__first_names", "child__last_name")


def _worker_names(path: str) -> tuple[str, ...]:
    return tuple(f"{path}__{name}" for name in ("first_name", "last_name", "username"))


NOTIFICATION_FIELDS = ("pk", "received_on", "decided_on", *NAMES, *_worker_names("relationship__responsible_worker"))


def family_notifications(family_id: int) -> list[dict]:
    """A family's notifications, newest first, as plain rows for its page's list and its deadlines.

    The page showed them as model objects with their children while its deadlines read the
    undecided ones again (issue 8); one read of the columns both need serves the two.
    """
    labels = {name: choice_labels(Notification._meta.get_field(name)) for name in ("kind", "notifier_type", "decision")}
    link = id_links("notification-detail", 2)
    rows = Notification.objects.filter(family_id=family_id).values(*NOTIFICATION_FIELDS, "child_id", "kind", "notifier_type", "decision")
    return [
        row | {f"{name}_label": labels[name].get(row[name], row[name]) for name in labels} | {"url": link(family_id, row["pk"])}
        for row in rows
    ]


# Deadlines of apps built on casework (a shared plan's review date, apps/partnership): each source
# takes (family ids, worker=None, today) and returns its Deadline rows; casework may not import
# those apps, so they register here when ready. One query per source on each list.
_SOURCES: list[Callable[..., list[Deadline]]] = []


def register_deadline_source(source: Callable[..., list[Deadline]]) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def family_ids(families) -> list[int]:
    """Families (a queryset, or ids already) as a list of ids, read once.

    A page's families are the gate's visibility query (team memberships, grants, handovers): as a
    subquery it was compiled and planned again inside each of the five deadline reads, a third of
    the team deadlines page (issue 8). A team's or a worker's families are a few hundred ids at most;
    county-wide counts (overdue_counts) keep the subquery.
    """
    if isinstance(families, QuerySet):
        return list(families.values_list("pk", flat=True))
    return list(families)


def deadlines(families, *, worker=None, today=None, notifications=None) -> list[Deadline]:
    """Every open deadline in these families (optionally only the children `worker` is responsible for).

    `notifications`: these families' notifications already read with `NOTIFICATION_FIELDS` (the
    family page lists them all; the undecided ones are its deadlines), so they are not read twice.
    """
    today = today or timezone.localdate()
    families = family_ids(families)
    result: list[Deadline] = []
    notification_link, assessment_link, family_link = (
        id_links("notification-detail", 2),
        id_links("assessment-complete", 2),
        id_links("family-detail"),
    )
    if notifications is None:
        notes = Notification.objects.filter(family__in=families, decided_on__isnull=True)
        if worker is not None:
            notes = notes.filter(relationship__responsible_worker=worker)
        notifications = notes.values(*NOTIFICATION_FIELDS)
    for note in notifications:
        if note["decided_on"] is not None:
            continue
        rule = rule_for(DeadlineKind.INVESTIGATION_DECISION, note["received_on"])
        result.append(
            Deadline(
                rule.kind,
                str(rule.title),
                rule.source,
                rule.due(note["received_on"]),
                note["family_id"],
                note["family__name"],
                f"{note['child__first_names']} {note['child__last_name']}",
                display_name(*(note[name] for name in _worker_names("relationship__responsible_worker"))),
                notification_link(note["family_id"], note["pk"]),
                today,
            )
        )
    # The child's open relationship (at most one) names the responsible worker; a LEFT JOIN, so an
    # assessment of a child whose relationship has closed is still listed.
    assessments = Assessment.objects.filter(family__in=families, completed_on__isnull=True).annotate(
        open_rel=FilteredRelation("child__client_relationships", condition=Q(child__client_relationships__closed_on__isnull=True))
    )
    if worker is not None:
        assessments = assessments.filter(open_rel__responsible_worker=worker)
    for pk, arrived_on, family_id, family_name, first, last, *worker_names in assessments.values_list(
        "pk", "matter_arrived_on", *NAMES, *_worker_names("open_rel__responsible_worker")
    ):
        rule = rule_for(DeadlineKind.ASSESSMENT_COMPLETION, arrived_on)
        result.append(
            Deadline(
                rule.kind,
                str(rule.title),
                rule.source,
                rule.due(arrived_on),
                family_id,
                family_name,
                f"{first} {last}",
                display_name(*worker_names),
                assessment_link(family_id, pk),
                today,
            )
        )
    result.extend(_plan_deadlines(families, worker, today, family_link))
    for source in _SOURCES:
        result.extend(source(families, worker=worker, today=today))
    result.sort(key=lambda d: (d.due_on, d.family_name, d.child_name))
    return result


PLAN_PHASES = (Phase.OPEN_CARE, *PLACEMENT_PHASES, Phase.AFTER_CARE)


def _plan_relationships(families, worker=None):
    """Open relationships that need a client plan, with the dates their plan deadlines run from."""
    latest_plan = ClientPlan.objects.filter(relationship=OuterRef("pk")).order_by("-made_on", "-id")
    care_started = PhaseEvent.objects.filter(relationship=OuterRef("pk"), phase__in=PLAN_PHASES).order_by("started_on", "id")
    placed = PhaseEvent.objects.filter(relationship=OuterRef("pk"), phase__in=PLACEMENT_PHASES).order_by("-started_on", "-id")
    # The latest meeting as a subquery on the (relationship, met_on) index like the others, not
    # MAX over a join: the join's GROUP BY made PostgreSQL plan for 1 ms to run for 0.2 (issue 8).
    last_met = PersonalMeeting.objects.filter(relationship=OuterRef("pk")).order_by("-met_on")
    rels = ClientRelationship.objects.filter(family__in=families, closed_on__isnull=True, current_phase__in=PLAN_PHASES).annotate(
        plan_made_on=Subquery(latest_plan.values("made_on")[:1]),
        plan_meetings=Subquery(latest_plan.values("meetings_per_year")[:1]),
        care_started_on=Subquery(care_started.values("started_on")[:1]),
        placed_on=Subquery(placed.values("started_on")[:1]),
        last_met_on=Subquery(last_met.values("met_on")[:1]),
    )
    if worker is not None:
        rels = rels.filter(responsible_worker=worker)
    return rels


PLAN_FIELDS = ("current_phase", "opened_on", "plan_made_on", "plan_meetings", "care_started_on", "placed_on", "last_met_on")


def _plan_dues(current_phase, opened_on, plan_made_on, plan_meetings, care_started_on, placed_on, last_met_on):
    """(kind, start, due or None for the rule's own) of one relationship's plan deadlines."""
    if plan_made_on is None:
        return [(DeadlineKind.CLIENT_PLAN, care_started_on or opened_on, None)]
    dues = [(DeadlineKind.CLIENT_PLAN_REVIEW, plan_made_on, None)]
    if current_phase in PLACEMENT_PHASES and not plan_meetings:
        # A placed child's plan records how often the worker meets the child (LsL 30 § 2 mom.);
        # an open-care plan without that is not enough once the child is placed.
        dues.append((DeadlineKind.CLIENT_PLAN, max(filter(None, [placed_on, plan_made_on])), None))
    if current_phase in PLACEMENT_PHASES and plan_meetings:
        last = max(filter(None, [last_met_on, plan_made_on]))
        dues.append((DeadlineKind.PLACED_CHILD_MEETING, last, last + datetime.timedelta(days=365 // plan_meetings)))
    return dues


def _plan_deadlines(families, worker, today, family_link) -> list[Deadline]:
    """Client plan missing or due for review; personal meetings with placed children; the end of
    after-care. One query: after-care is one of the phases that need a plan, so its relationships
    are already among these (they had a query of their own on every deadline list)."""
    rels = _plan_relationships(families, worker).values_list(
        *PLAN_FIELDS, *NAMES, "child__birth_date", *_worker_names("responsible_worker")
    )
    out = []
    for row in rels:
        plan, (family_id, family_name, first, last, birth_date, *worker_names) = row[: len(PLAN_FIELDS)], row[len(PLAN_FIELDS) :]
        shown = (family_id, family_name, f"{first} {last}", display_name(*worker_names), family_link(family_id), today)
        if plan[0] == Phase.AFTER_CARE and birth_date is not None:
            end, source = after_care_end(birth_date)
            out.append(Deadline(DeadlineKind.AFTER_CARE_END, gettext("Jälkihuolto päättyy"), source, end, *shown))
        for kind, start, due in _plan_dues(*plan):
            rule = rule_for(kind, start)
            out.append(Deadline(kind, str(rule.title), rule.source, due or rule.due(start), *shown))
    return out


def overdue_counts(families: QuerySet[Family], *, today=None) -> dict[int, int]:
    """Overdue deadlines per team of these families: the counts `deadlines()` would list as overdue.

    For reports over a whole county: the same rules and the same queries' filters, but each source
    is read as lean rows (team and dates), with no names, links or objects, so counting tens of
    thousands of relationships stays cheap. apps/casework/tests/test_overdue_counts.py keeps the two in step.
    """
    today = today or timezone.localdate()
    counts: dict[int, int] = defaultdict(int)
    due_of = lru_cache(maxsize=None)(lambda kind, start: rule_for(kind, start).due(start))
    sources = (
        (DeadlineKind.INVESTIGATION_DECISION, Notification.objects.filter(family__in=families, decided_on__isnull=True), "received_on"),
        (
            DeadlineKind.ASSESSMENT_COMPLETION,
            Assessment.objects.filter(family__in=families, completed_on__isnull=True),
            "matter_arrived_on",
        ),
    )
    for kind, rows, start_field in sources:
        for team_id, start in rows.values_list("family__team_id", start_field).iterator(5000):
            counts[team_id] += due_of(kind, start) < today
    after_care = ClientRelationship.objects.filter(
        family__in=families, closed_on__isnull=True, current_phase=Phase.AFTER_CARE, child__birth_date__isnull=False
    )
    for team_id, birth in after_care.values_list("family__team_id", "child__birth_date").iterator(5000):
        counts[team_id] += after_care_end(birth)[0] < today
    for team_id, *fields in _plan_relationships(families).values_list("family__team_id", *PLAN_FIELDS).iterator(5000):
        for kind, start, due in _plan_dues(*fields):
            counts[team_id] += (due or due_of(kind, start)) < today
    return {team_id: n for team_id, n in counts.items() if n}


def notifier_replies_owed(families) -> list[Notification]:
    families = family_ids(families)
    return list(
        Notification.objects.filter(family__in=families, decided_on__isnull=False, notifier_informed_on__isnull=True, anonymous=False)
        .exclude(notifier_type="family")
        .select_related("family", "child")
        .only("family_id", "decided_on", "notifier_type", "family__name", "child__first_names", "child__last_name")
        .order_by("decided_on")
    )
