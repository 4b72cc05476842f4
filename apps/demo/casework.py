"""The casework behind each client relationship's phase history, as plain data.

For every relationship `RelationshipSpec.history` already says what happened when; this module
writes the records the app would have left behind, following apps.casework.services:

* The notification that opened the relationship arrived on its first day and is linked to it.
  The decision is the next phase's day: "start an investigation" when the assessment phase
  follows (the assessment starts that day, its matter arrived with the notification), "no
  investigation" when the relationship closed instead. A relationship still in the
  notification phase has an undecided notification (its 7-working-day deadline is running).
* The assessment completes on the day the assessment phase ended, with the outcome the next
  phase implies (open care or a voluntary placement: child protection continues; closed:
  family social work or no need). An emergency placement during the assessment does not end it;
  it completes a few weeks later, or is still open.
* Repeat notifications arrive while the relationship is open and are linked to it, decided
  "already a client" within days; a few recent ones are still undecided, some overdue. Most
  notifiers are told the outcome within days; some recent ones, and a few older ones, are owed.
* Client plans are drawn up a few weeks into each care phase (open care, a placement,
  after-care) and reviewed every 5-11 months; a placed child's plan records how often the
  responsible worker meets the child, and the personal meetings follow that rhythm.

Each open relationship's current plan review (or, for a placed child, the next personal
meeting) is drawn to be on time, overdue or due within a week, so the deadline views have a
realistic minority of both; `CaseworkMaker.ensure_each_worker_has` then makes sure every
caseworker with open cases sees at least one of each.
"""

import datetime
import random
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from apps.casework.models import Assessment, ClientPlan, Decision, NotificationKind
from apps.casework.rules import DeadlineKind, rule_for

from .families import RelationshipSpec
from .history import AFTER_CARE, ASSESSMENT, CLOSED, EMERGENCY_PLACEMENT, NOTIFICATION, OPEN_CARE, PLACEMENTS, age_on, notifier_choices
from .phrases import CONCERNS, GENERIC_CONCERN, INFORM_HOW, NOTIFIER_CONTACT_PHONE, NOTIFIER_TITLES, NOTIFIER_TYPES, PERSONAL_MEETING_NOTES

CARE_PHASES = {OPEN_CARE, AFTER_CARE, *PLACEMENTS}
NORMAL, OVERDUE, SOON = "normal", "overdue", "soon"
STATE_WEIGHTS = {NORMAL: 88, OVERDUE: 6, SOON: 6}
MEETINGS_PER_YEAR = (2, 4, 4, 6, 6, 12)
# Repeat notifications a year, by the phase the child is in.
REPEAT_RATE = {NOTIFICATION: 0.0, ASSESSMENT: 0.8, OPEN_CARE: 0.9, AFTER_CARE: 0.1}
PLACEMENT_REPEAT_RATE = 0.4
_YEAR = relativedelta(years=1)
# Plans and personal meetings older than this were kept in the previous system: not generated
# (except the plan a long placement's current phase started with).
RECORD_YEARS = 3


@dataclass(slots=True)
class NotificationSpec:
    kind: str
    received_on: datetime.date
    notifier: str  # the history's notifier name, e.g. "koulu"
    notifier_type: str
    notifier_name: str
    notifier_contact: str
    anonymous: bool
    summary: str
    registered_by: int  # index into the team's caseworkers
    decision: str = ""
    decided_on: datetime.date | None = None
    decided_by: int | None = None
    informed_on: datetime.date | None = None
    informed_how: str = ""


@dataclass(slots=True)
class AssessmentSpec:
    notification: NotificationSpec
    matter_arrived_on: datetime.date
    started_on: datetime.date
    completed_on: datetime.date | None = None
    outcome: str = ""


@dataclass(slots=True)
class PlanSpec:
    made_on: datetime.date
    kind: str
    meetings_per_year: int
    recorded_by: int


@dataclass(slots=True)
class MeetingSpec:
    met_on: datetime.date
    worker: int
    note: str


@dataclass(slots=True)
class Current:
    """The care phase an open relationship is in today and the state its next deadline should be in."""

    phase: str
    start: datetime.date
    plan_on: datetime.date | None  # the phase's first plan, None if not made yet
    meetings_per_year: int
    first_plan: bool  # no plan recorded before this phase's
    feasible: tuple[str, ...]
    state: str = NORMAL

    @property
    def plan_missing(self) -> bool:
        """No client plan at all yet: the app shows the plan as overdue from the start of care."""
        return self.plan_on is None and self.first_plan


@dataclass(slots=True)
class Casework:
    notifications: list[NotificationSpec] = field(default_factory=list)
    assessments: list[AssessmentSpec] = field(default_factory=list)
    plans: list[PlanSpec] = field(default_factory=list)
    meetings: list[MeetingSpec] = field(default_factory=list)
    current: Current | None = None


def _age_group(birth: datetime.date, on: datetime.date) -> str:
    age = age_on(birth, on)
    if age < 7:
        return "small"
    if age < 13:
        return "school"
    return "teen" if age < 18 else "adult"


def _days(rng: random.Random, lo: int, hi: int) -> datetime.timedelta:
    return datetime.timedelta(days=rng.randint(lo, hi))


def _between(rng: random.Random, lo: datetime.date, hi: datetime.date) -> datetime.date:
    return lo + datetime.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


class CaseworkMaker:
    def __init__(self, today: datetime.date):
        self.today = today
        self.year_ago = today - _YEAR
        self.records_from = today - relativedelta(years=RECORD_YEARS)

    # -- notifications ---------------------------------------------------------------------------

    def _notification(self, rng, rel: RelationshipSpec, notifier: str, received: datetime.date) -> NotificationSpec:
        group = _age_group(rel.child.birth_date, received)
        if notifier == "terveydenhuolto" and group == "small" and rng.random() < 0.5:
            titles, concerns, ntype = NOTIFIER_TITLES["neuvola"], CONCERNS["neuvola"], "maternity_clinic"
        else:
            titles, concerns, ntype = NOTIFIER_TITLES[notifier], CONCERNS[notifier], NOTIFIER_TYPES[notifier]
        fitting = [text for ages, text in concerns if ages is None or group in ages] or [GENERIC_CONCERN]
        anonymous = notifier == "nimetön"
        contact = ""
        if notifier in NOTIFIER_CONTACT_PHONE or (notifier in ("sukulainen", "naapuri") and rng.random() < 0.5):
            contact = f"puh. 0{rng.choice('45')}0 000 {rng.randint(0, 9999):04d}"  # "000": a made-up number
        kind = NotificationKind.NOTIFICATION.value
        if notifier in ("vanhempi", "lapsi itse") and rng.random() < 0.6:
            kind = NotificationKind.ASSESSMENT_REQUEST.value
        return NotificationSpec(
            kind=kind,
            received_on=received,
            notifier=notifier,
            notifier_type=ntype,
            notifier_name=rng.choice(titles),
            notifier_contact=contact,
            anonymous=anonymous,
            summary=rng.choice(fitting),
            registered_by=rel.worker_on(received),
        )

    def _decide(self, rng, rel, n: NotificationSpec, decision: str, on: datetime.date) -> None:
        n.decision, n.decided_on, n.decided_by = decision, on, rel.worker_on(on)
        if n.anonymous or n.notifier_type == "family":
            return
        recent = (self.today - on).days <= 21
        if rng.random() < (0.3 if recent else 0.03):
            return  # the notifier is still owed a reply
        informed = on + _days(rng, 0, 10)
        if informed <= self.today:
            n.informed_on, n.informed_how = informed, rng.choice(INFORM_HOW)

    def _repeats(self, rng, rel: RelationshipSpec, end: datetime.date) -> list[NotificationSpec]:
        """Notifications that arrive while the relationship is open (decided: already a client)."""
        steps = rel.history.steps
        out = []
        for i, step in enumerate(steps):
            if step.phase == CLOSED:
                break
            seg_end = steps[i + 1].on if i + 1 < len(steps) else end
            rate = PLACEMENT_REPEAT_RATE if step.phase in PLACEMENTS else REPEAT_RATE.get(step.phase, 0.0)
            if rate <= 0:
                continue
            day = step.on
            while True:
                day += datetime.timedelta(days=max(3, round(rng.expovariate(rate / 365))))
                if day >= seg_end or day > self.today:
                    break
                age = age_on(rel.child.birth_date, day)
                if age >= 18:  # child-welfare notifications are about children
                    break
                names, weights = notifier_choices(age)
                notifier = rng.choices(names, weights=weights)[0]
                n = self._notification(rng, rel, notifier, day)
                waited = (self.today - day).days
                decided = day + _days(rng, 0, 6)
                if rel.history.closed_on:
                    decided = min(decided, rel.history.closed_on)
                late = 8 <= waited <= 21 and rng.random() < 0.15
                if decided <= self.today and not late:
                    self._decide(rng, rel, n, Decision.ALREADY_CLIENT.value, decided)
                out.append(n)
        return out

    # -- every worker sees both kinds ----------------------------------------------------------

    def _states(self, work: Casework) -> set[str]:
        """Which deadline states this relationship's drafted casework already shows today."""
        found = set()
        for n in work.notifications:
            if n.decided_on is None:
                found.add(_deadline_state(rule_for(DeadlineKind.INVESTIGATION_DECISION, n.received_on).due(n.received_on), self.today))
        for a in work.assessments:
            if a.completed_on is None:
                found.add(
                    _deadline_state(rule_for(DeadlineKind.ASSESSMENT_COMPLETION, a.matter_arrived_on).due(a.matter_arrived_on), self.today)
                )
        c = work.current
        if c is not None:
            found.add(OVERDUE if c.plan_missing else c.state)
        return found

    def ensure_each_worker_has(self, rng: random.Random, cases: list[tuple[RelationshipSpec, Casework]]) -> None:
        """Every caseworker with open cases gets at least one overdue and one due-soon deadline.

        First by steering a current plan review or placed-child meeting; failing that, with a
        notification that arrived a few days ago (due this week) or two weeks ago (overdue) and
        is still undecided.
        """
        by_worker: dict[int, list[tuple[RelationshipSpec, Casework]]] = {}
        for rel, work in cases:
            if rel.history.closed_on is None:
                by_worker.setdefault(rel.worker, []).append((rel, work))
        for worker in sorted(by_worker):
            mine = by_worker[worker]
            found = set().union(*(self._states(work) for _, work in mine))
            for state in (OVERDUE, SOON):
                if state in found:
                    continue
                steerable = [w.current for _, w in mine if w.current and w.current.state == NORMAL and state in w.current.feasible]
                if steerable:
                    rng.choice(steerable).state = state
                    continue
                self._pending_notification(rng, mine, state)

    def _pending_notification(self, rng, mine: list[tuple[RelationshipSpec, Casework]], state: str) -> None:
        today = self.today
        eligible = [
            (rel, work)
            for rel, work in mine
            if rel.history.current_phase != NOTIFICATION
            and age_on(rel.child.birth_date, today) < 18
            and rel.history.opened_on <= today - datetime.timedelta(days=30)
        ]
        if not eligible:
            return
        rel, work = rng.choice(eligible)
        days = [today - datetime.timedelta(days=n) for n in range(1, 21)]
        fitting = [d for d in days if _deadline_state(rule_for(DeadlineKind.INVESTIGATION_DECISION, d).due(d), today) == state]
        names, weights = notifier_choices(age_on(rel.child.birth_date, today))
        n = self._notification(rng, rel, rng.choices(names, weights=weights)[0], rng.choice(fitting))
        work.notifications.append(n)

    # -- one relationship ------------------------------------------------------------------------

    def draft(self, rng: random.Random, rel: RelationshipSpec) -> Casework:
        """Everything but the current care phase's plans and meetings, which `finish` adds."""
        today = self.today
        steps = rel.history.steps
        end = rel.history.closed_on or today
        work = Casework()
        first_notifier = steps[0].note.removeprefix("Ilmoittaja: ")
        first = self._notification(rng, rel, first_notifier if first_notifier in NOTIFIER_TYPES else "muu viranomainen", steps[0].on)
        work.notifications.append(first)
        if len(steps) > 1:
            nxt = steps[1]
            if nxt.phase == ASSESSMENT:
                self._decide(rng, rel, first, Decision.START_INVESTIGATION.value, nxt.on)
                work.assessments.append(self._assessment(rng, rel, first))
            else:  # turned 18 before a decision: nothing to investigate
                self._decide(rng, rel, first, Decision.NO_INVESTIGATION.value, nxt.on)
        work.notifications.extend(self._repeats(rng, rel, end))

        # Plans and meetings of every care phase but an open relationship's current one.
        care = [(i, s) for i, s in enumerate(steps) if s.phase in CARE_PHASES]
        made_any = False
        for i, step in care:
            seg_end = steps[i + 1].on if i + 1 < len(steps) else None
            if seg_end is None:  # the current phase of an open relationship
                work.current = self._current(rng, step.phase, step.on, first_plan=not work.plans)
                break
            n = rng.choice(MEETINGS_PER_YEAR) if step.phase in PLACEMENTS else 0
            day = step.on + self._plan_delay(rng, step.phase)
            while day < seg_end:
                if day >= self.records_from:
                    work.plans.append(self._plan(rel, day, n, first=not made_any))
                made_any = True
                day += _days(rng, 150, 340)
            if n:
                spacing = 365 // n
                day = step.on + _days(rng, 3, spacing)
                while day < seg_end:
                    if day >= self.records_from:
                        work.meetings.append(self._meeting(rng, rel, day))
                    day += _days(rng, spacing * 6 // 10, spacing)
        return work

    def _assessment(self, rng, rel: RelationshipSpec, n: NotificationSpec) -> AssessmentSpec:
        steps = rel.history.steps
        a = AssessmentSpec(notification=n, matter_arrived_on=n.received_on, started_on=n.decided_on)
        if len(steps) < 3:
            return a  # still being assessed
        after = steps[2]
        if after.phase == EMERGENCY_PLACEMENT:
            # An emergency placement during the assessment; the assessment goes on a while.
            done = after.on + _days(rng, 10, 50)
            if len(steps) > 3:
                done = min(done, steps[3].on)
            if done <= self.today:
                a.completed_on, a.outcome = done, Assessment.Outcome.CHILD_PROTECTION.value
        elif after.phase == CLOSED:
            social_work = "perhesosiaalityö" in after.note
            a.completed_on = after.on
            a.outcome = (Assessment.Outcome.FAMILY_SOCIAL_WORK if social_work else Assessment.Outcome.NO_NEED).value
        else:  # open care or a voluntary placement: child protection continues
            a.completed_on, a.outcome = after.on, Assessment.Outcome.CHILD_PROTECTION.value
        return a

    @staticmethod
    def _plan_delay(rng, phase: str) -> datetime.timedelta:
        if phase == EMERGENCY_PLACEMENT:
            return _days(rng, 5, 20)
        if phase == AFTER_CARE:
            return _days(rng, 14, 60)
        return _days(rng, 10, 40)

    @staticmethod
    def _plan(rel, day, meetings_per_year, *, first) -> PlanSpec:
        kind = ClientPlan.Kind.INITIAL if first else ClientPlan.Kind.REVIEW
        return PlanSpec(day, kind.value, meetings_per_year, rel.worker_on(day))

    @staticmethod
    def _meeting(rng, rel, day) -> MeetingSpec:
        return MeetingSpec(day, rel.worker_on(day), rng.choice(PERSONAL_MEETING_NOTES))

    def _current(self, rng, phase: str, start: datetime.date, *, first_plan: bool) -> Current:
        today = self.today
        plan_on = start + self._plan_delay(rng, phase)
        if plan_on > today:
            return Current(phase, start, None, 0, first_plan, ())
        n = rng.choice(MEETINGS_PER_YEAR) if phase in PLACEMENTS else 0
        if n:  # the next personal meeting is the deadline to steer
            spacing = datetime.timedelta(days=365 // n)
            last_overdue, first_soon = today - spacing - datetime.timedelta(days=1), today - spacing
        else:  # the plan review
            last_overdue, first_soon = self.year_ago - datetime.timedelta(days=1), self.year_ago
        feasible = [NORMAL]
        if plan_on <= last_overdue:
            feasible.append(OVERDUE)
        if plan_on <= first_soon + datetime.timedelta(days=7):
            feasible.append(SOON)
        current = Current(phase, start, plan_on, n, first_plan, tuple(feasible))
        current.state = rng.choices(feasible, weights=[STATE_WEIGHTS[s] for s in feasible])[0]
        return current

    def finish(self, rng: random.Random, rel: RelationshipSpec, work: Casework) -> None:
        """The current care phase's plans (and meetings), placed to give `work.current.state`."""
        c = work.current
        if c is None or c.plan_on is None:
            return
        today, week = self.today, datetime.timedelta(days=7)
        if c.meetings_per_year:
            spacing = datetime.timedelta(days=365 // c.meetings_per_year)
            # The last contact (a meeting, or the plan itself) sets the next meeting's due day.
            if c.state == OVERDUE:
                contact = _between(
                    rng, max(c.plan_on, today - spacing - datetime.timedelta(days=30)), today - spacing - datetime.timedelta(days=1)
                )
            elif c.state == SOON:
                contact = _between(rng, max(c.plan_on, today - spacing), today - spacing + week)
            else:
                contact = _between(rng, max(c.plan_on, today - spacing + week + datetime.timedelta(days=1)), today)
            latest = _between(rng, max(c.plan_on, self.year_ago + week + datetime.timedelta(days=1)), contact)
        else:
            contact = None
            if c.state == OVERDUE:
                latest = _between(
                    rng, max(c.plan_on, self.year_ago - datetime.timedelta(days=60)), self.year_ago - datetime.timedelta(days=1)
                )
            elif c.state == SOON:
                latest = _between(rng, max(c.plan_on, self.year_ago), self.year_ago + week)
            else:
                latest = _between(rng, max(c.plan_on, self.year_ago + week + datetime.timedelta(days=1)), today)
        if latest - c.plan_on < datetime.timedelta(days=30):
            c.plan_on = latest  # one plan, made a little later than usual
        reviews = []
        day = latest
        while day - c.plan_on >= datetime.timedelta(days=30) and day >= self.records_from:
            reviews.append(day)
            day -= _days(rng, 150, 340)
        work.plans.append(self._plan(rel, c.plan_on, c.meetings_per_year, first=c.first_plan))
        for day in reversed(reviews):
            work.plans.append(self._plan(rel, day, c.meetings_per_year, first=False))
        if contact is not None:
            spacing = 365 // c.meetings_per_year
            met = [contact] if contact > latest else []
            day = contact
            while True:
                day -= _days(rng, spacing * 6 // 10, spacing)
                if day < c.start + datetime.timedelta(days=3) or day < self.records_from:
                    break
                met.append(day)
            work.meetings.extend(self._meeting(rng, rel, d) for d in reversed(met))


def _deadline_state(due: datetime.date, today: datetime.date) -> str:
    if due < today:
        return OVERDUE
    return SOON if due <= today + datetime.timedelta(days=7) else NORMAL
