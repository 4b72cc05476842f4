"""A systemic team's weekly meetings over the last two years, as plain records.

Every week on the team's meeting day (not on holidays, not in the summer break) the consultant
chairs a meeting; the coordinator builds the agenda and records. Each meeting discusses the
families that most need it: new relationships first, then those not discussed for longest, so
each family with an open case comes up every few weeks (team.discussion_interval_weeks is 4).
A discussion leaves a record (what we know, the child's and the family's views, reflections,
a plain-language summary), hypotheses from several perspectives that later meetings revise or
drop, and small concrete steps with an owner and a due date. Past meetings are approved by the
chair; the meetings from today to the end of next week are planned, with a draft agenda only.

Only systemic teams meet this way; comparison teams get no meetings. Nothing here touches the
database: `TeamMeetings.build()` returns plain records for generate.py to insert.
"""

import datetime
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

from apps.casework.calendar import is_working_day
from apps.meetings.models import Attendance, Hypothesis, Meeting, PlanStep, ProposalReason
from apps.organisations.models import TeamRole

from .history import AFTER_CARE, ASSESSMENT, NOTIFICATION, PLACEMENTS
from .phrases import (
    ADULT_FORMS,
    CHILD_VIEW,
    FAMILY_SUMMARY,
    FAMILY_VIEW,
    HYPOTHESES,
    INTERNAL_NOTES,
    QUESTIONS,
    REFLECTIONS,
    ROOMS,
    STEPS,
    WHAT_WE_KNOW,
    fitting,
)

WEEKS = 104  # two years: what the access log and the "who has seen my data" report look back over
SUMMER_BREAK_WEEKS = (28, 29, 30)  # ISO weeks in July: the team is on holiday
INTERVAL_WEEKS = 4
DISCUSSION_MINUTES = (15, 20, 20, 20, 25, 30)
STEP_DAYS = (3, 7, 7, 10, 14, 14, 21, 28)
ROLE_OF = {
    TeamRole.CONSULTANT.value: Attendance.Role.CHAIR.value,
    TeamRole.FAMILY_THERAPIST.value: Attendance.Role.THERAPIST.value,
    TeamRole.COORDINATOR.value: Attendance.Role.COORDINATOR.value,
}
ADULT_WORDS = {("parent", "f"): "äiti", ("parent", "m"): "isä", ("step_parent", "f"): "äitipuoli", ("step_parent", "m"): "isäpuoli"}
ADULT_WORDS |= {
    ("grandparent", "f"): "isoäiti",
    ("grandparent", "m"): "isoisä",
    ("guardian", "f"): "huoltaja",
    ("guardian", "m"): "huoltaja",
}


@dataclass(slots=True)
class RelBrief:
    """What the meeting generator needs to know about one client relationship."""

    child_name: str  # the first given name
    birth: datetime.date
    opened_on: datetime.date
    closed_on: datetime.date | None
    phases: list[tuple[str, datetime.date]]
    periods: list[tuple[int, datetime.date, datetime.date | None]]  # (user pk, from, to)

    def open_on(self, day: datetime.date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or day <= self.closed_on)

    def phase_on(self, day: datetime.date) -> str:
        current = self.phases[0][0]
        for phase, start in self.phases:
            if start > day:
                break
            current = phase
        return current

    def worker_on(self, day: datetime.date) -> int:
        worker = self.periods[0][0]
        for user, start, _end in self.periods:
            if start <= day:
                worker = user
        return worker


@dataclass(slots=True)
class MeetingSpec:
    starts_at: datetime.datetime
    room: str
    status: str
    created_by: int
    approved_by: int | None = None
    approved_at: datetime.datetime | None = None
    pk: int | None = None


@dataclass(slots=True)
class ItemSpec:
    """One family's discussion (AgendaItem) and its record."""

    meeting: MeetingSpec
    family_id: int
    position: int
    planned_minutes: int
    presenter: int
    reasons: list[str]
    question: str = ""
    family_invited: bool = False
    family_attended: bool = False
    partner_attended: bool = False
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    discussed_seconds: int = 0
    what_we_know: str = ""
    child_view: str = ""
    family_view: str = ""
    reflections: str = ""
    internal_notes: str = ""
    family_summary: str = ""
    summary_shared_at: datetime.datetime | None = None
    version: int = 1
    updated_at: datetime.datetime | None = None
    updated_by: int | None = None
    pk: int | None = None


@dataclass(slots=True)
class HypothesisSpec:
    item: ItemSpec
    family_id: int
    text: str
    perspective: str
    created_at: datetime.datetime
    revises: "HypothesisSpec | None" = None
    depth: int = 0  # how many revisions deep: inserted level by level, so `revises` has its key
    status: str = Hypothesis.Status.ACTIVE.value
    pk: int | None = None


@dataclass(slots=True)
class StepSpec:
    item: ItemSpec
    family_id: int
    what: str
    owner: int
    due_on: datetime.date
    status: str = PlanStep.Status.OPEN.value
    done_on: datetime.date | None = None


@dataclass(slots=True)
class FamilyBrief:
    family_id: int
    parents_worker: int
    adults: list[str]  # "äiti", "isä", ... as ADULT_FORMS keys
    rels: list[RelBrief]
    deadline_near: bool = False  # an open deadline is overdue or due within a week
    # Filled while scheduling:
    last_discussed: datetime.date | None = None
    discussions: int = 0
    hypotheses: list[HypothesisSpec] = field(default_factory=list)
    used_texts: set[str] = field(default_factory=set)
    steps: list[StepSpec] = field(default_factory=list)


@dataclass(slots=True)
class Member:
    user_id: int
    role: str
    started_on: datetime.date


@dataclass
class Built:
    meetings: list[MeetingSpec] = field(default_factory=list)
    attendance: list[tuple[MeetingSpec, int, str]] = field(default_factory=list)  # (meeting, user id, role)
    items: list[ItemSpec] = field(default_factory=list)
    hypotheses: list[HypothesisSpec] = field(default_factory=list)
    steps: list[StepSpec] = field(default_factory=list)


def _age(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _age_group(age: int) -> str:
    if age < 7:
        return "small"
    if age < 13:
        return "school"
    return "teen" if age < 18 else "adult"


def _phase_group(phase: str) -> str:
    if phase in (NOTIFICATION, ASSESSMENT):
        return "assessment"
    if phase in PLACEMENTS:
        return "placement"
    return "after_care" if phase == AFTER_CARE else "open_care"


class TeamMeetings:
    def __init__(self, rng: random.Random, *, members: list[Member], families: list[FamilyBrief], today: datetime.date):
        self.rng = rng
        self.members = members
        self.families = families
        self.today = today
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.out = Built()
        by_role: dict[str, list[Member]] = {}
        for m in members:
            by_role.setdefault(m.role, []).append(m)
        self.by_role = by_role

    def _one(self, role: str, day: datetime.date) -> int | None:
        for m in self.by_role.get(role, ()):
            if m.started_on <= day:
                return m.user_id
        return None

    def build(self) -> Built:
        rng, today = self.rng, self.today
        chair = self.by_role.get(TeamRole.CONSULTANT.value)
        if not chair:
            return self.out
        first_day = max(today - datetime.timedelta(weeks=WEEKS), chair[0].started_on)
        weekday = rng.choice((1, 2, 2, 3))  # Tuesday to Thursday
        hour, minute = rng.choice(((8, 30), (9, 0), (9, 0), (12, 30), (13, 0)))
        room = rng.choice(ROOMS)
        monday = today - datetime.timedelta(days=today.weekday())
        drafts = 0
        for week in range(-WEEKS - 1, 2):
            day = monday + datetime.timedelta(weeks=week, days=weekday)
            if day < first_day or not is_working_day(day) or day.isocalendar().week in SUMMER_BREAK_WEEKS:
                continue
            if (day.month, day.day) >= (12, 23) or (day.month, day.day) <= (1, 6):
                continue  # Christmas break
            starts = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)
            if day < today:
                self._past(day, starts, room)
            else:
                self._draft(day, starts, room, first=drafts == 0)
                drafts += 1
        self._ensure_open_steps()
        return self.out

    def _ensure_open_steps(self) -> None:
        """Everyone with steps in open cases has one overdue and one due by the end of next week
        (the "my steps" list), by leaving a step that was done on time still open."""
        today = self.today
        horizon = today + datetime.timedelta(days=13 - today.weekday())
        still_open = {f.family_id for f in self.families if any(r.closed_on is None for r in f.rels)}
        by_owner: dict[int, list[StepSpec]] = {}
        for step in self.out.steps:
            if step.family_id in still_open:
                by_owner.setdefault(step.owner, []).append(step)
        for owner in sorted(by_owner):
            mine = by_owner[owner]
            open_due = [s.due_on for s in mine if s.status == PlanStep.Status.OPEN]
            windows = []
            if not any(due < today for due in open_due):
                windows.append((today - datetime.timedelta(days=45), today - datetime.timedelta(days=1)))
            if not any(today <= due <= horizon for due in open_due):
                windows.append((today, horizon))
            for lo, hi in windows:
                done = [s for s in mine if s.status == PlanStep.Status.DONE and lo <= s.due_on <= hi]
                if done:
                    step = self.rng.choice(done)
                    step.status, step.done_on = PlanStep.Status.OPEN.value, None

    # -- scheduling ------------------------------------------------------------------------------

    def _active(self, day):
        return [f for f in self.families if any(r.open_on(day) for r in f.rels)]

    def _reasons(self, f: FamilyBrief, day: datetime.date) -> list[str]:
        reasons = []
        newest = max((r.opened_on for r in f.rels if r.open_on(day)), default=None)
        if newest and newest >= day - datetime.timedelta(days=30) and (f.last_discussed is None or f.last_discussed < newest):
            reasons.append(ProposalReason.NEW_RELATIONSHIP.value)
        if f.last_discussed is None or (day - f.last_discussed).days > INTERVAL_WEEKS * 7:
            reasons.append(ProposalReason.NOT_DISCUSSED.value)
        if day >= self.today - datetime.timedelta(days=7) and f.deadline_near:
            reasons.append(ProposalReason.DEADLINE.value)
        if any(s.due_on < day and (s.done_on is None or s.done_on > day) and s.status != PlanStep.Status.CANCELLED for s in f.steps):
            reasons.append(ProposalReason.STEPS_OVERDUE.value)
        if not reasons:
            reasons.append(ProposalReason.WORKER_REQUEST.value)
        return reasons

    def _choose(self, day: datetime.date, active: list[FamilyBrief], capacity: int) -> list[FamilyBrief]:
        rng = self.rng
        scored = []
        for f in active:
            newest = max(r.opened_on for r in f.rels if r.open_on(day))
            if f.last_discussed is None:
                score = 20.0 if newest >= day - datetime.timedelta(days=30) else 5.0 + rng.random() * 4
            else:
                weeks = (day - f.last_discussed).days / 7
                if weeks < 2:
                    continue
                changed = any(f.last_discussed < start <= day for r in f.rels for _, start in r.phases)
                score = weeks + (3.0 if changed else 0.0)
            scored.append((score + rng.random() * 1.5, f.family_id, f))
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [f for _, _, f in scored[:capacity]]

    def _capacity(self, active: int) -> int:
        return min(10, max(3, round(active / 4.3) + self.rng.randint(-1, 1)))

    # -- meetings --------------------------------------------------------------------------------

    def _meeting(self, day, starts, room, status) -> MeetingSpec:
        chair = self._one(TeamRole.CONSULTANT.value, day)
        coordinator = self._one(TeamRole.COORDINATOR.value, day)
        meeting = MeetingSpec(starts, room, status, coordinator or chair)
        self.out.meetings.append(meeting)
        return meeting

    def _attendance(self, meeting: MeetingSpec, day) -> None:
        for m in self.members:
            if m.started_on > day:
                continue
            role = ROLE_OF.get(m.role, Attendance.Role.WORKER.value)
            if role != Attendance.Role.CHAIR and self.rng.random() < 0.1:
                continue  # on holiday, ill or on a home visit
            self.out.attendance.append((meeting, m.user_id, role))

    def _item(self, meeting, f: FamilyBrief, day, position, reasons) -> tuple[ItemSpec, "_Talk"]:
        rng = self.rng
        focus = rng.choice([r for r in f.rels if r.open_on(day)])
        talk = _Talk(rng, f, focus, day)
        item = ItemSpec(meeting, f.family_id, position, rng.choice(DISCUSSION_MINUTES), focus.worker_on(day), reasons)
        if rng.random() < 0.8:
            item.question = talk.sentences(QUESTIONS[talk.phase], 1)
        self.out.items.append(item)
        return item, talk

    def _draft(self, day, starts, room, *, first: bool) -> None:
        meeting = self._meeting(day, starts, room, Meeting.Status.PLANNED.value)
        active = self._active(day)
        capacity = self._capacity(len(active))
        # This week's agenda is nearly ready; next week's has a few families, the rest are proposals.
        count = capacity - self.rng.randint(0, 2) if first else max(2, capacity // 2)
        prepared = datetime.datetime.combine(self.today, datetime.time(8, 0), tzinfo=self.tz)
        for position, f in enumerate(self._choose(day, active, count), start=1):
            item, _ = self._item(meeting, f, day, position, self._reasons(f, day))
            item.updated_at = prepared - datetime.timedelta(days=self.rng.randint(0, 2), minutes=self.rng.randint(0, 300))
            item.updated_by = meeting.created_by

    def _past(self, day, starts, room) -> None:
        rng = self.rng
        meeting = self._meeting(day, starts, room, Meeting.Status.APPROVED.value)
        self._attendance(meeting, day)
        recorder = self._one(TeamRole.COORDINATOR.value, day) or self._one(TeamRole.CONSULTANT.value, day)
        active = self._active(day)
        cursor = starts + datetime.timedelta(minutes=10)  # check-in first
        for position, f in enumerate(self._choose(day, active, self._capacity(len(active))), start=1):
            item, talk = self._item(meeting, f, day, position, self._reasons(f, day))
            item.started_at = cursor
            cursor += datetime.timedelta(minutes=max(8, item.planned_minutes + rng.randint(-5, 10)))
            item.ended_at = cursor
            item.discussed_seconds = round((item.ended_at - item.started_at).total_seconds())
            cursor += datetime.timedelta(minutes=rng.choice((0, 0, 2, 5)))
            self._record(item, talk)
            item.version = rng.randint(2, 8)
            item.updated_at, item.updated_by = item.ended_at, recorder
            if item.family_summary and rng.random() < 0.5:
                shared = item.ended_at + datetime.timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 5))
                if shared.date() < self.today:
                    item.summary_shared_at = shared
            self._hypotheses(item, f, talk)
            self._steps(item, f, talk, day)
            f.last_discussed = day
            f.discussions += 1
        meeting.approved_by = self._one(TeamRole.CONSULTANT.value, day)
        approved = cursor + datetime.timedelta(minutes=rng.randint(5, 90))
        if rng.random() < 0.1:
            approved += datetime.timedelta(days=1)
        meeting.approved_at = approved

    # -- the record ------------------------------------------------------------------------------

    def _record(self, item: ItemSpec, talk: "_Talk") -> None:
        rng = self.rng
        item.family_invited = rng.random() < 0.08
        item.family_attended = item.family_invited and rng.random() < 0.85
        item.partner_attended = rng.random() < 0.05
        if item.family_attended:
            talk.tags.add("attended")
        item.what_we_know = talk.sentences(WHAT_WE_KNOW[talk.phase], rng.choice((1, 2, 2, 3)))
        if rng.random() < (0.55 if talk.age == "small" else 0.8):
            item.child_view = talk.sentences(CHILD_VIEW[talk.age], 1)
        if rng.random() < 0.8:
            item.family_view = talk.sentences(FAMILY_VIEW, rng.choice((1, 1, 2)))
        item.reflections = talk.sentences(REFLECTIONS, rng.choice((1, 1, 2)))
        if rng.random() < 0.2:
            item.internal_notes = talk.sentences(INTERNAL_NOTES, 1)
        if rng.random() < 0.7 or item.family_attended:
            item.family_summary = talk.sentences(FAMILY_SUMMARY, rng.choice((1, 2)))

    def _perspectives(self, f: FamilyBrief, talk: "_Talk") -> list[str]:
        age = talk.years
        found = ["lapsi" if age < 13 else "nuori", *dict.fromkeys(a for a in f.adults if a in HYPOTHESES)]
        if 7 <= age < 18:
            found.append("koulu")
        elif 1 <= age < 7:
            found.append("päiväkoti")
        if talk.phase == "placement":
            found.append("sijaisperhe")
        return [*found, "työntekijä", "verkosto", "perhe"]

    def _new_text(self, f: FamilyBrief, perspective: str, talk: "_Talk") -> str | None:
        fresh = [t for t in fitting(HYPOTHESES[perspective], talk.tags) if t not in f.used_texts]
        if not fresh:
            return None
        text = self.rng.choice(fresh)
        f.used_texts.add(text)
        return text

    def _add_hypothesis(self, item, f, perspective, text, *, revises: HypothesisSpec | None = None) -> None:
        depth = 0 if revises is None else revises.depth + 1
        h = HypothesisSpec(item, f.family_id, text, perspective, item.started_at, revises, depth)
        self.out.hypotheses.append(h)
        f.hypotheses.append(h)

    def _hypotheses(self, item, f: FamilyBrief, talk: "_Talk") -> None:
        rng = self.rng
        perspectives = self._perspectives(f, talk)
        active = [h for h in f.hypotheses if h.status == Hypothesis.Status.ACTIVE]
        if f.discussions == 0 or not active:
            for perspective in rng.sample(perspectives, min(len(perspectives), rng.choice((2, 2, 3)))):
                if text := self._new_text(f, perspective, talk):
                    self._add_hypothesis(item, f, perspective, text)
            return
        roll = rng.random()
        if roll < 0.3:  # seen differently now: reformulate one
            old = rng.choice(active)
            text = self._new_text(f, old.perspective, talk)
            if text:
                old.status = Hypothesis.Status.REVISED.value
                self._add_hypothesis(item, f, old.perspective, text, revises=old)
        elif roll < 0.4:
            rng.choice(active).status = Hypothesis.Status.DROPPED.value
        elif roll < 0.7:
            perspective = rng.choice(perspectives)
            if text := self._new_text(f, perspective, talk):
                self._add_hypothesis(item, f, perspective, text)

    def _steps(self, item, f: FamilyBrief, talk: "_Talk", day) -> None:
        rng, today = self.rng, self.today
        still_open = any(r.closed_on is None for r in f.rels)
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            roll = rng.random()
            owner, bank = None, "worker"
            if roll < 0.2:
                owner, bank = self._one(TeamRole.SOCIAL_INSTRUCTOR.value, day), "instructor"
            elif roll < 0.3:
                owner, bank = self._one(TeamRole.FAMILY_THERAPIST.value, day), "therapist"
            elif roll < 0.37:
                owner, bank = self._one(TeamRole.COORDINATOR.value, day), "coordinator"
            elif roll < 0.47:
                owner = f.parents_worker
            if owner is None:
                owner, bank = item.presenter, "worker"
            due = day + datetime.timedelta(days=rng.choice(STEP_DAYS))
            while not is_working_day(due):
                due += datetime.timedelta(days=1)
            recent = {s.what for s in f.steps[-9:]}  # the last few discussions' steps
            options = [talk.fill(t) for t in fitting(STEPS[bank], talk.tags)]
            options = [t for t in options if t not in recent] or options
            if not options:
                continue
            what = rng.choice(options)
            step = StepSpec(item, f.family_id, what, owner, due)
            roll = rng.random()
            if due < today:
                late = (today - due).days
                if still_open and roll < (0.08 if late <= 60 else 0.015):
                    pass  # still open, overdue
                elif roll > 0.95:
                    step.status = PlanStep.Status.CANCELLED.value
                else:
                    step.status = PlanStep.Status.DONE.value
                    step.done_on = min(max(day, due + datetime.timedelta(days=rng.randint(-5, 4))), today)
            elif roll < 0.2 or not still_open:
                step.status = PlanStep.Status.DONE.value
                step.done_on = day + datetime.timedelta(days=rng.randint(0, (today - day).days))
            self.out.steps.append(step)
            f.steps.append(step)


class _Talk:
    """One discussion's focus: the child, their age and phase, and the words that fill the phrases."""

    def __init__(self, rng: random.Random, f: FamilyBrief, focus: RelBrief, day: datetime.date):
        self.rng = rng
        self.years = _age(focus.birth, day)
        self.age = _age_group(self.years)
        self.phase = _phase_group(focus.phase_on(day))
        self.tags = {self.age, self.phase}
        adult = ADULT_FORMS[rng.choice(f.adults)] if f.adults else ADULT_FORMS["huoltaja"]
        self.words = {
            "name": focus.child_name,
            "adult": adult[0],
            "adult_gen": adult[1],
            "adult_ade": adult[2],
            "Adult": adult[0].capitalize(),
            "Adult_gen": adult[1].capitalize(),
            "Adult_ade": adult[2].capitalize(),
            "received": f"{focus.opened_on.day}.{focus.opened_on.month}.",
        }

    def fill(self, text: str) -> str:
        return text.format(**self.words) if "{" in text else text

    def sentences(self, bank, count: int) -> str:
        """`count` different sentences from a phrase bank (a module constant) that fit this talk."""
        texts = fitting(bank, self.tags)
        return " ".join(self.fill(t) for t in self.rng.sample(texts, min(count, len(texts))))
