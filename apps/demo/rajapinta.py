"""The family social work team of each demo county and the transfers between it and the systemic
teams (rajapinta): both directions, recorded as apps.casework.services.family_transfer records them.

Family social work (perhesosiaalityö) is social welfare under the Social Welfare Act (SHL), not
child protection: in this system a child's client relationship is the child-protection one, and
an assessment that ends in family social work closes it (apps.casework.services.OUTCOME_PHASE).
So the team's own families are children whose service-needs assessment (SHL 36 §) the team made:
most ended in family social work, a few are still being assessed.

- Into family social work: a systemic team's family whose child-protection relationships have all
  closed from open care moves to the family social work team when the last one closes (that day,
  or the next working day). The
  closed relationships stay as they were (the transfer reassigns open relationships only).
- Into child protection: a few of the team's families were assessed lately, the assessment found
  that child protection is needed (open care began) and within a week the family moved to a
  systemic team. The open relationships pass to a worker of that team from the transfer day (their
  responsibility periods split there) and the records made after it are that worker's.

Each transfer leaves an InterfaceAssessment and a Handover (the sending team's read-only window)
and, in the access log, the transfer itself (one entry per family member, as the service logs
it), the sending worker's look at the family in the handover window (role and purpose
"handover") and the receiving worker's first reads. Deterministic: each county draws from its own
stream; the transferred families are chosen by their content (dates, identity codes), never by
database keys.
"""

import datetime
import random
from collections import Counter
from zoneinfo import ZoneInfo

from django.conf import settings

from apps.access.gate import PURPOSE_HANDOVER, ROLE_HANDOVER
from apps.access.models import Handover
from apps.casework.calendar import is_working_day
from apps.casework.models import ClientPlan, InterfaceAssessment, InterfaceCriterion, Notification, PersonalMeeting
from apps.clients.models import ClientRelationship, Family, PhaseEvent, ResponsibilityPeriod
from apps.organisations.models import TeamKind, TeamRole

from .accesslog import CLIENT_WORK, EDIT, VIEW, LogFamily
from .families import FamilyMaker, FamilySpec, RelationshipSpec
from .history import ASSESSMENT, CLOSED, NOTIFICATION, OPEN_CARE, History, Step, age_on, notifier_choices
from .plan import TITLES, CountySpec, StaffSpec, TeamSpec, rng_for

USERNAME_PART = "perhesos"
# Families of the team assessed into child protection lately, who then moved to a systemic team.
INTO_CHILD_PROTECTION = 3
# Systemic teams' families that moved into family social work when child protection closed: about
# one per systemic team, at least two, at most this many per county.
INTO_FAMILY_SOCIAL_WORK = 8
HANDOVER_DAYS = (30, 30, 30, 60, 90)
FAMILY_SOCIAL_WORK_NOTE = "Palvelutarpeen arviointi valmistui: ohjattu perhesosiaalityöhön"
CLOSED_INTO_FAMILY_SOCIAL_WORK = "Lastensuojelun asiakkuus päättyi: tuki jatkuu perhesosiaalityössä (sosiaalihuoltolaki)"

REASONS_INTO_FAMILY_SOCIAL_WORK = (
    "Lastensuojelun avohuollon tukitoimien tavoitteet on saavutettu ja lapsen turvallisuus on varmistettu. "
    "Perhe tarvitsee edelleen tukea arjen vanhemmuuteen, ja tuki jatkuu sosiaalihuoltolain mukaisena perhesosiaalityönä.",
    "Vanhemmat ovat sitoutuneet vapaaehtoiseen tukeen, eikä lastensuojelun tukitoimia enää tarvita. "
    "Perhetyö ja vanhemmuuden tuki jatkuvat perhesosiaalityössä, ja sovittu verkosto pysyy ennallaan.",
    "Perheen tilanne on vakiintunut. Lapsi kertoi yhteisessä tapaamisessa, että kotona menee nyt paremmin. "
    "Tuen tarve jatkuu pitkäkestoisena, joten perhe siirtyy perhesosiaalityöhön.",
)
REASONS_INTO_CHILD_PROTECTION = (
    "Palvelutarpeen arvioinnissa kävi ilmi, että lapsen kasvuolosuhteet vaarantavat hänen terveyttään ja kehitystään. "
    "Sosiaalihuoltolain mukainen tuki ei riitä, vaan lapsi tarvitsee lastensuojelun avohuollon tukitoimia.",
    "Vanhemman jaksaminen ja päihteiden käyttö huolestuttavat, eikä perhe ole pystynyt hyödyntämään vapaaehtoista tukea. "
    "Lapsen asiakkuus jatkuu lastensuojelussa (LsL 34 §).",
    "Arvioinnin aikana perheen tilanne kriisiytyi ja kotiin tarvitaan tiivistä tukea. "
    "Lapsen näkemys kuultiin; tuki jatkuu lastensuojelun avohuollon asiakkuutena systeemisessä tiimissä.",
)
FAMILY_VIEWS = (
    "Vanhemmat kokevat, ettei lastensuojelua tarvita, mutta ottavat tuen vastaan.",
    "Äiti toivoi, että tuttu työntekijä jatkaisi, mutta hyväksyy siirron.",
)


# -- the team -------------------------------------------------------------------------------------


def family_social_work_team(county: CountySpec, people, seed: int, today: datetime.date) -> TeamSpec:
    """The county's family social work team: social workers and a social instructor, no systemic
    roles (no consultant, coordinator or therapist), in the county's first unit."""
    rng = rng_for(seed, county.info.slug, "family-social-work")
    people.rng = rng  # the organisation's own stream is spent; the county's e-mail addresses stay unique
    number = len(county.teams) + 1
    roles = [TeamRole.SOCIAL_WORKER] * rng.choice((3, 4)) + [TeamRole.SOCIAL_INSTRUCTOR]
    team_started = today - datetime.timedelta(days=rng.randint(3 * 365, 8 * 365))
    members: list[StaffSpec] = []
    for n, role in enumerate(roles, start=1):
        part = f"sosiaalityontekija{n}" if role == TeamRole.SOCIAL_WORKER else "ohjaaja"
        late = rng.randint(30, 900)
        joined = min(team_started + datetime.timedelta(days=late if rng.random() < 0.3 else 0), today - datetime.timedelta(days=30))
        weight = rng.lognormvariate(0, 0.2) if role == TeamRole.SOCIAL_WORKER else 0.0
        members.append(
            people.person(f"{county.prefix}{USERNAME_PART}-{part}", TITLES[role], team_role=role.value, started_on=joined, weight=weight)
        )
    town = county.units[0].municipality.name
    return TeamSpec(
        number=number,
        name=f"Perhesosiaalityön tiimi, {town}",
        kind=TeamKind.FAMILY_SOCIAL_WORK.value,
        unit=0,
        families=rng.randint(26, 34),
        members=members,
    )


# -- its families ---------------------------------------------------------------------------------


def families(maker: FamilyMaker, rng: random.Random, home, weights: list[float], count: int, today: datetime.date) -> list[FamilySpec]:
    """The team's families; the first few were assessed into child protection lately."""
    return [_family(maker, rng, home, weights, today, into_child_protection=i < INTO_CHILD_PROTECTION, recent=i == 0) for i in range(count)]


def _family(maker: FamilyMaker, rng, home, weights, today, *, into_child_protection: bool, recent: bool = False) -> FamilySpec:
    # Under-17s born at least half a year ago: family social work is for families with children,
    # and a young person in after-care belongs to child protection.
    while True:
        spec = maker.family(rng, home, weights)
        births = [c.birth_date for c in spec.children]
        if births and max(age_on(b, today) for b in births) < 17 and max(births) < today - datetime.timedelta(days=200):
            break
    worker_of: dict[int, int] = {}
    for r in spec.relationships:
        worker_of.setdefault(id(r.child), r.worker)
    if into_child_protection:
        care_from = today - datetime.timedelta(days=rng.randint(8, 14) if recent else rng.randint(15, 60))
        opened = care_from - datetime.timedelta(days=rng.randint(25, 80))
        shared = opened
    else:
        shared = _notified(rng, today) if rng.random() < 0.7 else None
    notifier = None
    relationships = []
    for child in spec.children:
        worker = worker_of[id(child)]
        if into_child_protection:
            steps = _opening(rng, child.birth_date, opened, today, notifier)
            steps.append(Step(OPEN_CARE, care_from))
        else:
            day = max(shared or _notified(rng, today), child.birth_date + datetime.timedelta(days=30))
            steps = _opening(rng, child.birth_date, day, today, notifier if shared else None)
            closing = steps[-1].on + datetime.timedelta(days=rng.randint(20, 90))
            if steps[-1].phase == ASSESSMENT and closing <= today:
                steps.append(Step(CLOSED, closing, FAMILY_SOCIAL_WORK_NOTE))
        notifier = steps[0].note
        history = History(steps)
        relationships.append(RelationshipSpec(child, worker, history, [(worker, history.opened_on, history.closed_on)]))
    spec.relationships = relationships
    return spec


def _notified(rng, today: datetime.date) -> datetime.date:
    """When the matter came in: a third within the last four months (some still being assessed)."""
    back = rng.randint(0, 120) if rng.random() < 0.3 else rng.randint(121, 900)
    return today - datetime.timedelta(days=back)


def _opening(rng, birth: datetime.date, opened: datetime.date, today: datetime.date, note: str | None) -> list[Step]:
    """The notification (or request for an assessment) and the assessment started within days."""
    if note is None:
        names, weights = notifier_choices(age_on(birth, opened))
        note = f"Ilmoittaja: {rng.choices(names, weights=weights)[0]}"
    steps = [Step(NOTIFICATION, opened, note)]
    started = opened + datetime.timedelta(days=rng.choice((1, 1, 2, 3, 4, 5)))
    if started <= today:
        steps.append(Step(ASSESSMENT, started))
    return steps


# -- the transfers --------------------------------------------------------------------------------


def write_transfers(plan, teams: list, counts: Counter) -> None:
    """Each county's transfers both ways, after its families are written (generate._write_families)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    for cspec in plan.counties:
        rows = [r for r in teams if r.county.code == cspec.info.code]
        social = next((r for r in rows if r.spec.kind == TeamKind.FAMILY_SOCIAL_WORK), None)
        systemic = [r for r in rows if r.spec.kind == TeamKind.SYSTEMIC]
        if social is None or not systemic:
            continue
        rng = rng_for(plan.seed, cspec.info.slug, "rajapinta")
        _into_child_protection(rng, plan.today, tz, social, systemic, counts)
        _into_family_social_work(rng, plan.today, tz, social, systemic, counts)


def _joined(rows) -> dict[int, datetime.date]:
    return {m.user_id: m.started_on for m in rows.memberships}


def _receiver(rng, rows, day: datetime.date):
    """A social worker of the receiving team who had joined it by `day`, or None."""
    joined, role = _joined(rows), {m.user_id: m.role for m in rows.memberships}
    candidates = [u for u in rows.caseworkers if joined[u.pk] <= day]
    pool = [u for u in candidates if role[u.pk] == TeamRole.SOCIAL_WORKER] or candidates  # the consultant last
    return rng.choice(pool) if pool else None


def _log_family(rows, family_id: int) -> LogFamily:
    return next(f for f in rows.log.families if f.pk == family_id)


def _working_day(earliest: datetime.date, last: datetime.date) -> datetime.date:
    """The first working day from `earliest` on, but not after `last` (then the last working day
    from `earliest` to `last`, or `earliest` itself): decisions are made in office hours."""
    day = earliest
    while not is_working_day(day) and day < last:
        day += datetime.timedelta(days=1)
    while not is_working_day(day) and day > earliest:
        day -= datetime.timedelta(days=1)
    return day


def _moment(rng, tz, day: datetime.date, first: int = 9 * 60, last: int = 15 * 60) -> datetime.datetime:
    """A local time on `day` between `first` and `last` (minutes from midnight)."""
    minute = rng.randint(first, last - 1)
    return datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60, rng.randint(0, 59)), tzinfo=tz)


def _record(rng, tz, *, family, from_rows, to_rows, day, decider, receiver, joint_meeting_on, criteria, reasoning, counts, until=None):
    """The InterfaceAssessment and Handover the transfer service writes, and the family's new team;
    returns (decided at, handover until)."""
    agreed = rng.random() < 0.8
    until = until or day + datetime.timedelta(days=rng.choice(HANDOVER_DAYS))
    # At the end of the working day: after the sending team's last look and phase record as the
    # holder (the generated log's reads end by 16.40); the receiving team reads from the next day.
    decided_at = _moment(rng, tz, day, 16 * 60 + 42, 16 * 60 + 58)
    assessment = InterfaceAssessment.objects.create(
        county_id=family.county_id,
        family_id=family.pk,
        from_team=from_rows.team,
        to_team=to_rows.team,
        criteria=criteria,
        reasoning=reasoning,
        joint_meeting_on=joint_meeting_on,
        family_agreed=agreed,
        family_view="" if agreed else rng.choice(FAMILY_VIEWS),
        handover_until=until,
        decided_by_id=decider,
    )
    InterfaceAssessment.objects.filter(pk=assessment.pk).update(decided_at=decided_at)  # auto_now_add: set after
    Handover.objects.create(
        county_id=family.county_id,
        family_id=family.pk,
        from_team=from_rows.team,
        to_team=to_rows.team,
        transferred_on=day,
        until=until,
        created_by_id=decider,
    )
    Family.objects.filter(pk=family.pk).update(team=to_rows.team, parents_worker=receiver)
    counts.update(interface_assessments=1, handovers=1)
    return decided_at, until


def _until_today(rng, day: datetime.date, today: datetime.date) -> datetime.date | None:
    """The latest transfer's handover still running today where the form's longest (180 days) allows:
    the demo's sending team then sees the family read-only."""
    days = max(30, (today - day).days + rng.randint(10, 40))
    return day + datetime.timedelta(days=days) if days <= 180 else None


def _sender_log(rng, f: LogFamily, decider: int, role: str, decided_at: datetime.datetime, until: datetime.date, last: datetime.date):
    """The transfer in the sending team's log: the service's entry for every family member, the
    family page it redirects to (now a handover read), and a look or two in the handover window."""
    f.extra.append((decided_at, decider, role, EDIT, "family-transfer", CLIENT_WORK))
    f.extra.append(
        (decided_at + datetime.timedelta(seconds=rng.randint(1, 5)), decider, ROLE_HANDOVER, VIEW, "family-detail", PURPOSE_HANDOVER)
    )
    day = decided_at.date()
    window = (min(until, last) - day).days
    for _ in range(rng.randint(0, 2) if window > 0 else 0):
        look = _working_day(day + datetime.timedelta(days=rng.randint(1, window)), min(until, last))
        f.extra.append((_moment(rng, decided_at.tzinfo, look), decider, ROLE_HANDOVER, VIEW, "family-detail", PURPOSE_HANDOVER))


def _into_child_protection(rng, today, tz, social, systemic: list, counts: Counter) -> None:
    """The team's families whose assessment ended in child protection move to a systemic team."""
    last = today - datetime.timedelta(days=1)
    families = Family.objects.filter(team=social.team, relationships__current_phase=OPEN_CARE).distinct()
    for family in sorted(families, key=lambda f: (f.name, min(f.relationships.values_list("opened_on", flat=True)))):
        rels = list(ClientRelationship.objects.filter(family=family, closed_on__isnull=True).order_by("child__personal_identity_code"))
        care_from = max(PhaseEvent.objects.filter(relationship__in=rels, phase=OPEN_CARE).values_list("started_on", flat=True))
        day = _working_day(min(care_from + datetime.timedelta(days=rng.randint(1, 7)), last), last)
        to_rows = rng.choice(systemic)
        receiver = _receiver(rng, to_rows, day)
        if receiver is None:
            continue
        periods = {}
        for rel in rels:
            ResponsibilityPeriod.objects.filter(relationship=rel, started_on__gte=day).delete()
            current = ResponsibilityPeriod.objects.filter(relationship=rel).order_by("-started_on").first()
            periods[rel.pk] = current.worker_id
            ResponsibilityPeriod.objects.filter(pk=current.pk).update(ended_on=day - datetime.timedelta(days=1))
            ResponsibilityPeriod.objects.create(county_id=rel.county_id, relationship=rel, worker=receiver, started_on=day)
            ClientRelationship.objects.filter(pk=rel.pk).update(responsible_worker=receiver)
        decider = periods[rels[0].pk]
        # What the receiving team recorded from the transfer day on.
        PhaseEvent.objects.filter(relationship__in=rels, started_on__gte=day).update(recorded_by=receiver)
        ClientPlan.objects.filter(relationship__in=rels, made_on__gte=day).update(recorded_by=receiver)
        PersonalMeeting.objects.filter(relationship__in=rels, met_on__gte=day).update(worker=receiver)
        Notification.objects.filter(family=family, received_on__gte=day).update(registered_by=receiver)
        Notification.objects.filter(family=family, decided_on__gte=day).update(decided_by=receiver)
        criteria = [InterfaceCriterion.ENDANGERED.value, InterfaceCriterion.LONG_TERM_NEED.value, InterfaceCriterion.CHILD_VIEW.value]
        decided_at, until = _record(
            rng,
            tz,
            family=family,
            from_rows=social,
            to_rows=to_rows,
            day=day,
            decider=decider,
            receiver=receiver,
            joint_meeting_on=max(care_from, day - datetime.timedelta(days=rng.randint(0, 3))),
            criteria=criteria,
            reasoning=rng.choice(REASONS_INTO_CHILD_PROTECTION),
            counts=counts,
        )
        counts.update(responsibility_periods=len(rels))
        # The log: the family was the team's until the day before; the receiving team's from the day.
        f = _log_family(social, family.pk)
        before, after = day - datetime.timedelta(days=1), day + datetime.timedelta(days=1)
        received = LogFamily(
            pk=f.pk,
            members=f.members,
            births=f.births,
            children=f.children,
            spans=[(max(s, after), e) for s, e in f.spans if e >= after],
            workers={receiver.pk: [(after, last)]} if after <= last else {},
            edits=[(d, receiver.pk, view, action, child) for d, _w, view, action, child in f.edits if d >= day],
            as_listed=f.as_listed,
        )
        f.spans = [(s, min(e, before)) for s, e in f.spans if s <= before]
        f.workers = {w: [(s, min(e, before)) for s, e in spans if s <= before] for w, spans in f.workers.items()}
        f.edits = [e for e in f.edits if e[0] < day]
        role = next(m.role for m in social.memberships if m.user_id == decider)
        _sender_log(rng, f, decider, role, decided_at, until, last)
        to_rows.log.families.append(received)


def _closed_into_family_social_work(ends: list[list[tuple]]) -> bool:
    """Every relationship closed, the last ones (the day child protection ended) from open care
    (not by moving away) or from an assessment that directed the family to family social work."""
    if any(phases[-1][0] != CLOSED for phases in ends):
        return False
    closed_on = max(phases[-1][1] for phases in ends)
    for phases in ends:
        if phases[-1][1] != closed_on:
            continue
        (before, _, _), (_, _, note) = phases[-2], phases[-1]
        if not (before == OPEN_CARE and "muutti" not in note) and not (before == ASSESSMENT and "perhesosiaalityö" in note):
            return False
    return True


def _into_family_social_work(rng, today, tz, social, systemic: list, counts: Counter) -> None:
    """Systemic teams' families move to family social work when child protection ended (that day, or
    the next working day)."""
    last = today - datetime.timedelta(days=1)
    first = today - datetime.timedelta(days=700)
    rows_of = {rows.team.pk: rows for rows in systemic}
    histories: dict[int, dict[int, list]] = {}
    team_of: dict[int, int] = {}
    for rel_id, family_id, team_id, phase, on, note in (
        PhaseEvent.objects.filter(county_id=social.county.pk, relationship__family__team__in=list(rows_of))
        .order_by("relationship_id", "started_on", "id")
        .values_list("relationship_id", "relationship__family_id", "relationship__family__team_id", "phase", "started_on", "note")
    ):
        histories.setdefault(family_id, {}).setdefault(rel_id, []).append((phase, on, note))
        team_of[family_id] = team_id
    candidates = []
    for family_id, rels in histories.items():
        ends = [phases[-2:] for phases in rels.values() if len(phases) >= 2]
        if len(ends) == len(rels) and _closed_into_family_social_work(ends):
            closed_on = max(phases[-1][1] for phases in ends)
            if first <= closed_on <= last:
                candidates.append((closed_on, family_id, rows_of[team_of[family_id]]))
    if not candidates:
        return
    names = dict(Family.objects.filter(pk__in=[c[1] for c in candidates]).values_list("pk", "name"))
    candidates.sort(key=lambda c: (c[0], names[c[1]]))
    wanted = max(2, min(len(systemic), INTO_FAMILY_SOCIAL_WORK))
    chosen = [candidates[-1], *rng.sample(candidates[:-1], min(wanted - 1, len(candidates) - 1))]
    for closed_on, family_id, from_rows in sorted(chosen, key=lambda c: c[0]):
        day = _working_day(closed_on, last)  # child protection closed that day; the transfer on the next working day
        receiver = _receiver(rng, social, day)
        if receiver is None:
            continue
        family = Family.objects.get(pk=family_id)
        closing = ClientRelationship.objects.filter(family=family, closed_on=closed_on)
        decider = closing.order_by("child__personal_identity_code").values_list("responsible_worker", flat=True)[0]
        PhaseEvent.objects.filter(relationship__in=closing, phase=CLOSED, started_on=closed_on).exclude(
            note__contains="perhesosiaalityö"
        ).update(note=CLOSED_INTO_FAMILY_SOCIAL_WORK)
        opened = min(closing.values_list("opened_on", flat=True))
        criteria = [
            InterfaceCriterion.SAFETY_ENSURED.value,
            InterfaceCriterion.EVERYDAY_PARENTING.value,
            InterfaceCriterion.NO_CP_MEASURES.value,
            *rng.sample(
                [InterfaceCriterion.FAMILY_COMMITTED.value, InterfaceCriterion.LONG_TERM_NEED.value, InterfaceCriterion.CHILD_VIEW.value],
                2,
            ),
        ]
        decided_at, until = _record(
            rng,
            tz,
            family=family,
            from_rows=from_rows,
            to_rows=social,
            day=day,
            decider=decider,
            receiver=receiver,
            joint_meeting_on=max(opened, day - datetime.timedelta(days=rng.randint(0, 10))),
            criteria=criteria,
            reasoning=rng.choice(REASONS_INTO_FAMILY_SOCIAL_WORK),
            counts=counts,
            until=_until_today(rng, day, today) if family_id == candidates[-1][1] else None,
        )
        # The log: the systemic team's reads end with the relationships (already so); the transfer
        # and the handover look are theirs, and the receiving worker reads the family in the first months.
        f = _log_family(from_rows, family_id)
        role = next(m.role for m in from_rows.memberships if m.user_id == decider)
        _sender_log(rng, f, decider, role, decided_at, until, last)
        social.log.families.append(
            LogFamily(
                pk=f.pk,
                members=f.members,
                births=f.births,
                children=f.children,
                spans=[],
                workers={receiver.pk: [(day + datetime.timedelta(days=1), min(day + datetime.timedelta(days=90), last))]},
                edits=[],
                as_listed=f.as_listed,
            )
        )


def digest_queries(county_codes: list[str]) -> list:
    """The transfers in the demo digest, free of primary keys."""
    return [
        InterfaceAssessment.objects.filter(county__code__in=county_codes).values_list(
            "county__code",
            "family__name",
            "from_team__name",
            "to_team__name",
            "criteria",
            "reasoning",
            "joint_meeting_on",
            "family_agreed",
            "family_view",
            "handover_until",
            "decided_by__username",
            "decided_at",
        ),
        Handover.objects.filter(county__code__in=county_codes).values_list(
            "county__code", "family__name", "from_team__name", "to_team__name", "transferred_on", "until", "created_by__username"
        ),
    ]
