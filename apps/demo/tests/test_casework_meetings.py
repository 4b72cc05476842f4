"""The demo's casework and team-meeting history: deterministic, consistent with the phase history
and the app's rules, lived-in enough that the deadline and meeting pages have content."""

import datetime
import re
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.access.models import Handover
from apps.casework.deadlines import deadlines
from apps.casework.models import Assessment, ClientPlan, Decision, Notification, PersonalMeeting
from apps.casework.rules import DeadlineKind, rule_for
from apps.clients.models import PLACEMENT_PHASES, ClientRelationship, Family, FamilyMember, Phase, PhaseEvent, Relation
from apps.demo import phrases
from apps.demo.dataset import delete_demo_data, digest
from apps.demo.generate import generate
from apps.demo.names import BOOKS
from apps.meetings.models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep
from apps.organisations.models import Membership, Team, TeamKind, TeamRole

TODAY = datetime.date(2026, 3, 31)  # a Tuesday
NOON = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
CARE_PHASES = {Phase.OPEN_CARE, Phase.AFTER_CARE, *PLACEMENT_PHASES}


@pytest.fixture
def county_demo(db):
    return generate("county", 1, TODAY)


@pytest.fixture
def team_demo(db):
    """The team-scale demo as `make demo SCALE=team` makes it, on a fixed day."""
    with time_machine.travel(NOON, tick=False):
        call_command("demo", "--scale", "team", "--seed", "1", "--today", TODAY.isoformat(), "--quiet")
        yield Team.objects.get(kind=TeamKind.SYSTEMIC)


def _login(client, username):
    assert client.login(username=username, password=settings.SYSTEEMI_DEMO_PASSWORD), username


def test_same_seed_same_casework_and_meetings(db):
    counts = generate("team", 3, TODAY).counts
    first = digest()
    for key in (
        "notifications",
        "assessments",
        "client_plans",
        "personal_meetings",
        "meetings",
        "agenda_items",
        "hypotheses",
        "plan_steps",
        "ratings",
    ):
        assert counts[key] > 0, key
    delete_demo_data()
    assert not Meeting.objects.exists() and not Notification.objects.exists() and not Hypothesis.objects.exists()
    generate("team", 3, TODAY)
    assert digest() == first
    # The digest covers the new tables: change one word in one record and it changes.
    item = AgendaItem.objects.exclude(reflections="").order_by("meeting__starts_at", "position").first()
    AgendaItem.objects.filter(pk=item.pk).update(reflections=item.reflections + " Lisäys.")
    assert digest() != first


def test_casework_follows_the_phase_history(county_demo):
    counts = county_demo.counts
    assert counts["notifications"] == Notification.objects.count() > counts["relationships"]
    assert counts["assessments"] == Assessment.objects.count() > 0
    assert counts["client_plans"] == ClientPlan.objects.count() > 0
    assert counts["personal_meetings"] == PersonalMeeting.objects.count() > 0
    phases = defaultdict(list)
    for rel_id, phase, on in PhaseEvent.objects.order_by("started_on", "id").values_list("relationship_id", "phase", "started_on"):
        phases[rel_id].append((phase, on))
    notes = defaultdict(list)
    for n in Notification.objects.order_by("received_on", "id"):
        notes[n.relationship_id].append(n)
    assessments = {a.notification_id: a for a in Assessment.objects.all()}
    plans, met = defaultdict(list), defaultdict(list)
    for p in ClientPlan.objects.order_by("made_on"):
        plans[p.relationship_id].append(p)
    for m in PersonalMeeting.objects.order_by("met_on"):
        met[m.relationship_id].append(m)

    def phase_on(history, day):
        return [p for p, on in history if on <= day][-1]

    for rel in ClientRelationship.objects.all():
        history, mine = phases[rel.pk], notes[rel.pk]
        end = rel.closed_on or TODAY
        first = mine[0]
        # The notification that opened the relationship, decided as the next phase says.
        assert first.received_on == rel.opened_on and first.child_id == rel.child_id and first.family_id == rel.family_id
        if len(history) == 1:
            assert first.decided_on is None  # still within its 7 working days
        elif history[1][0] == Phase.ASSESSMENT:
            assert (first.decision, first.decided_on) == (Decision.START_INVESTIGATION, history[1][1])
            a = assessments[first.pk]
            assert (a.matter_arrived_on, a.started_on, a.child_id) == (first.received_on, first.decided_on, rel.child_id)
            after = history[2] if len(history) > 2 else None
            if after is None:
                assert a.completed_on is None
            elif after[0] in (Phase.OPEN_CARE, Phase.PLACEMENT_VOLUNTARY):
                assert (a.completed_on, a.outcome) == (after[1], Assessment.Outcome.CHILD_PROTECTION)
            elif after[0] == Phase.CLOSED:
                assert a.completed_on == after[1] and a.outcome in (Assessment.Outcome.NO_NEED, Assessment.Outcome.FAMILY_SOCIAL_WORK)
            else:  # an emergency placement during the assessment
                assert a.completed_on is None or (a.completed_on > after[1] and a.outcome == Assessment.Outcome.CHILD_PROTECTION)
        else:
            assert first.decision == Decision.NO_INVESTIGATION and history[1][0] == Phase.CLOSED
        for n in mine:
            assert rel.opened_on <= n.received_on <= end
            assert n.decided_on is None or n.received_on <= n.decided_on <= TODAY
            assert n.notifier_informed_on is None or n.decided_on <= n.notifier_informed_on <= TODAY
            assert not (n.anonymous and n.notifier_name)
        for n in mine[1:]:  # repeat notifications: already a client, linked to the same relationship
            assert n.decision in ("", Decision.ALREADY_CLIENT)
        for p in plans[rel.pk]:
            assert rel.opened_on <= p.made_on <= end and phase_on(history, p.made_on) in CARE_PHASES
            assert (p.meetings_per_year > 0) == (phase_on(history, p.made_on) in PLACEMENT_PHASES)
        for m in met[rel.pk]:
            assert rel.opened_on <= m.met_on <= end and phase_on(history, m.met_on) in PLACEMENT_PHASES
    decisions = Counter(Notification.objects.values_list("decision", flat=True))
    assert decisions[Decision.ALREADY_CLIENT] and decisions[""]
    assert Notification.objects.filter(anonymous=True).exists()
    # Some notifiers are still owed a reply, most have been told.
    owed = [n for n in Notification.objects.all() if n.owes_notifier_reply]
    assert 0 < len(owed) < Notification.objects.filter(notifier_informed_on__isnull=False).count() / 5
    # Deadlines: mostly on time, a realistic minority overdue or due within the week.
    with time_machine.travel(NOON, tick=False):
        items = deadlines(Family.objects.all())
        overdue = [d for d in items if d.overdue]
        soon = [d for d in items if d.due_soon]
    open_children = ClientRelationship.objects.filter(closed_on__isnull=True).count()
    assert 0.02 * open_children < len(overdue) < 0.25 * open_children
    assert 0.02 * open_children < len(soon) < 0.25 * open_children
    assert {DeadlineKind.CLIENT_PLAN_REVIEW, DeadlineKind.PLACED_CHILD_MEETING} <= {d.kind for d in overdue + soon}
    # Decisions on the opening notifications were on time (the history moves on within a week).
    for n in Notification.objects.filter(decision=Decision.START_INVESTIGATION):
        assert n.decided_on <= rule_for(DeadlineKind.INVESTIGATION_DECISION, n.received_on).due(n.received_on)


def test_meetings_only_for_systemic_teams_and_consistent(county_demo):
    assert not Meeting.objects.filter(team__kind=TeamKind.COMPARISON).exists()
    assert not AgendaItem.objects.filter(family__team__kind=TeamKind.COMPARISON).exists()
    tz = ZoneInfo(settings.TIME_ZONE)
    memberships = defaultdict(dict)
    for m in Membership.objects.all():
        memberships[m.team_id][m.user_id] = m
    open_on = defaultdict(list)
    for rel in ClientRelationship.objects.all():
        open_on[rel.family_id].append((rel.opened_on, rel.closed_on or datetime.date.max))
    family_team = dict(Family.objects.values_list("pk", "team_id"))
    # A family that moved to family social work was discussed while its systemic team held it.
    moved_out = dict(Handover.objects.values_list("family_id", "from_team_id"))
    days = {}
    for team in Team.objects.filter(kind=TeamKind.SYSTEMIC):
        meetings = list(team.meetings.order_by("starts_at"))
        assert len(meetings) >= 20
        weeks = [timezone.localtime(m.starts_at, tz).date().isocalendar()[:2] for m in meetings]
        assert len(weeks) == len(set(weeks))  # weekly, one a week
        planned = [m for m in meetings if m.status == Meeting.Status.PLANNED]
        assert planned and all(timezone.localtime(m.starts_at, tz).date() >= TODAY for m in planned)
        assert timezone.localtime(planned[-1].starts_at, tz).date() - TODAY >= datetime.timedelta(days=7)  # next week's draft
        consultant = next(u for u, m in memberships[team.pk].items() if m.role == TeamRole.CONSULTANT)
        for m in meetings:
            day = timezone.localtime(m.starts_at, tz).date()
            days[m.pk] = day
            if m.status == Meeting.Status.APPROVED:
                assert day < TODAY and m.approved_by_id == consultant and m.approved_at > m.starts_at
    for a in Attendance.objects.select_related("meeting"):
        member = memberships[a.meeting.team_id][a.user_id]
        assert member.started_on <= days[a.meeting_id]
    assert Attendance.objects.filter(role=Attendance.Role.CHAIR).count() == Meeting.objects.filter(status=Meeting.Status.APPROVED).count()
    for item in AgendaItem.objects.select_related("meeting"):
        day = days[item.meeting_id]
        assert item.meeting.team_id in (family_team[item.family_id], moved_out.get(item.family_id))
        assert any(start <= day <= end for start, end in open_on[item.family_id])
        assert memberships[item.meeting.team_id][item.presenter_id].role in (TeamRole.CONSULTANT, TeamRole.SOCIAL_WORKER)
        recorded = item.meeting.status == Meeting.Status.APPROVED
        assert bool(item.what_we_know and item.reflections and item.started_at and item.ended_at) == recorded
        if recorded:
            assert item.meeting.starts_at < item.started_at < item.ended_at
    for h in Hypothesis.objects.select_related("item__meeting", "revises__item__meeting"):
        assert h.created_at == h.item.started_at and h.family_id == h.item.family_id
        if h.revises:
            assert h.revises.family_id == h.family_id and h.revises.status == Hypothesis.Status.REVISED
            assert h.revises.item.meeting.starts_at < h.item.meeting.starts_at
    assert Hypothesis.objects.filter(revises__isnull=False).exists()
    assert len(set(Hypothesis.objects.values_list("perspective", flat=True))) >= 6
    for s in PlanStep.objects.select_related("item__meeting"):
        assert s.due_on >= days[s.item.meeting_id] and s.family_id == s.item.family_id
        assert s.owner_id in memberships[s.item.meeting.team_id]
        assert (s.done_on is not None) == (s.status == PlanStep.Status.DONE)
        assert s.done_on is None or days[s.item.meeting_id] <= s.done_on <= TODAY
    steps = Counter(PlanStep.objects.values_list("status", flat=True))
    overdue = PlanStep.objects.filter(status=PlanStep.Status.OPEN, due_on__lt=TODAY).count()
    assert 0 < overdue < steps[PlanStep.Status.DONE] / 10
    # Every family with an open case has come up in the last couple of months.
    discussed = defaultdict(list)
    for family_id, starts in AgendaItem.objects.filter(meeting__status=Meeting.Status.APPROVED).values_list(
        "family_id", "meeting__starts_at"
    ):
        discussed[family_id].append(timezone.localtime(starts, tz).date())
    active = Family.objects.filter(team__kind=TeamKind.SYSTEMIC, relationships__closed_on__isnull=True).distinct()
    recent = TODAY - datetime.timedelta(weeks=9)
    received_lately = Handover.objects.filter(to_team=OuterRef("team"), family=OuterRef("pk"), transferred_on__gte=recent)
    for family in active.filter(relationships__opened_on__lt=recent).exclude(Exists(received_lately)).distinct():
        assert max(discussed[family.pk]) >= recent, family


def test_deadline_views_show_overdue_and_due_this_week(team_demo, client):
    workers = Membership.objects.filter(team=team_demo, role__in=(TeamRole.CONSULTANT, TeamRole.SOCIAL_WORKER)).select_related("user")
    with time_machine.travel(NOON, tick=False):
        for m in workers:
            _login(client, m.user.username)
            response = client.get("/deadlines/")
            assert response.status_code == 200
            items = response.context["deadlines"]
            assert any(d.overdue for d in items) and any(d.due_soon for d in items), m.user.username
            html = response.content.decode()
            assert "badge-danger" in html and "badge-warn" in html
        _login(client, "t1-konsultti")
        response = client.get(f"/teams/{team_demo.pk}/deadlines/")
        assert response.status_code == 200
        overdue, soon, owed = (response.context[k] for k in ("overdue", "due_soon", "owed"))
        assert overdue and soon and owed
        total = len(overdue) + len(soon)
        kinds = {d.kind for d in overdue + soon}
        assert len(kinds) >= 2
        assert total < ClientRelationship.objects.filter(closed_on__isnull=True).count() / 2  # a minority
        # Each deadline links to a page that opens: the notification, the assessment or the family.
        for url in sorted({d.url for d in overdue + soon}):
            assert client.get(url).status_code == 200, url
        # The caseload pages have the same relationships to count.
        assert client.get(f"/teams/{team_demo.pk}/caseload/").status_code == 200
        # A worker's own plan steps include overdue ones.
        _login(client, "t1-sosiaalityontekija1")
        steps = client.get("/steps/").context["steps"]
        assert steps and any(s.is_overdue for s in steps)


def test_team_meeting_pages_render_for_the_coordinator(team_demo, client):
    with time_machine.travel(NOON, tick=False):
        _login(client, "t1-koordinaattori")
        response = client.get(f"/teams/{team_demo.pk}/meetings/")
        assert response.status_code == 200
        listed = response.context["meetings"]
        assert len(listed) >= 20
        statuses = Counter(m.status for m in listed)
        assert statuses[Meeting.Status.PLANNED] >= 1 and statuses[Meeting.Status.APPROVED] >= 10
        assert all(m.item_count for m in listed)

        past = next(m for m in listed if m.status == Meeting.Status.APPROVED)
        response = client.get(f"/meetings/{past.pk}/")
        assert response.status_code == 200
        items = response.context["items"]
        assert items and all(i.discussed_minutes for i in items)
        assert not response.context["can_prepare"] and not response.context["can_approve"]
        assert past.approved_by.username == "t1-konsultti"

        item = items[0]
        response = client.get(f"/meetings/{past.pk}/items/{item.pk}/")
        assert response.status_code == 200
        assert item.what_we_know.split(".")[0] in response.content.decode()
        assert response.context["hypotheses"] and response.context["steps"]
        assert client.get(f"/meetings/{past.pk}/items/{item.pk}/summary/").status_code == 200

        draft = min((m for m in listed if m.status == Meeting.Status.PLANNED), key=lambda m: m.starts_at)
        response = client.get(f"/meetings/{draft.pk}/")
        assert response.status_code == 200
        assert response.context["can_prepare"] and response.context["items"]
        assert all(i.presenter and not i.what_we_know for i in response.context["items"])
        assert response.context["proposals"]  # families the coordinator could still add


def test_no_real_looking_personal_data_in_casework_and_records(team_demo):
    identity_code = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b")
    phone = re.compile(r"\b0\d{1,2}[ -]?\d{3}[ -]?\d{3,4}\b")
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    made_up_phone = re.compile(r"\b0[45]0 000 \d{4}\b")
    titles = {t for options in phrases.NOTIFIER_TITLES.values() for t in options}
    first_names = {n for book in BOOKS.values() for names in book.first.values() for n in names}
    children = defaultdict(set)
    for family_id, names in FamilyMember.objects.filter(relation=Relation.CHILD).values_list("family_id", "person__first_names"):
        children[family_id].update(names.split())

    def check(text, family_id=None):
        assert not identity_code.search(text) and not email.search(text), text
        assert all(made_up_phone.fullmatch(p) for p in phone.findall(text)), text
        named = {w for w in re.findall(r"\w+", text) if w in first_names}
        assert named <= children.get(family_id, set()), (text, named)

    for n in Notification.objects.all():
        assert n.notifier_name in titles or (n.anonymous and not n.notifier_name)
        assert not n.notifier_contact or made_up_phone.search(n.notifier_contact)
        check(n.summary)
        check(n.notifier_contact)
    for item in AgendaItem.objects.all():
        for field in (*AgendaItem.RECORD_FIELDS, "question"):
            check(getattr(item, field), item.family_id)
    for text, family_id in Hypothesis.objects.values_list("text", "family_id"):
        check(text, family_id)
    for text, family_id in PlanStep.objects.values_list("what", "family_id"):
        check(text, family_id)
    for note in PersonalMeeting.objects.values_list("note", flat=True):
        check(note)
    # Records name a child only by first name, and only children of that family.
    assert AgendaItem.objects.filter(Q(child_view__regex=r"^[A-ZÅÄÖ]") & ~Q(child_view="")).exists()


def test_demo_families_have_ratings_with_charts_and_some_flags(team_demo, client):
    from apps.ratings.models import Rating
    from apps.ratings.selectors import family_flags

    families = list(Family.objects.filter(team=team_demo).values_list("id", flat=True))
    rated = set(Rating.objects.filter(family_id__in=families).values_list("family_id", flat=True))
    assert 0.4 * len(families) <= len(rated) <= 0.9 * len(families)
    flagged = family_flags(families)
    assert 0 < len(flagged) < len(rated)  # some need discussion, not all
    with time_machine.travel(NOON, tick=False):
        _login(client, "t1-sosiaalityontekija1")
        family_id = next(iter(sorted(rated)))
        body = client.get(f"/families/{family_id}/ratings/").content.decode()
        assert 'class="series"' in body and "<table" in body
        assert client.get(f"/teams/{team_demo.pk}/ratings/").status_code == 200
