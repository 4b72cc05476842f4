"""Small builders for tests: a county with teams, professionals in every role, and families.

Named personas follow one convention (see conftest): `worker` is a social worker in team A,
`stranger` a social worker in team B of the same county, `foreigner` a worker in another
county, `manager`, `auditor` and `researcher` organisation roles, `partner` a partner professional
with the family's consent to its shared plan.
"""

import datetime
import itertools

from django.utils import timezone

from apps.accounts.models import OrgRole, User
from apps.clients.models import ClientRelationship, Family, FamilyMember, Person, Phase, PhaseEvent, Relation, ResponsibilityPeriod
from apps.organisations.models import County, Membership, Team, Unit

PASSWORD = "testi-salasana-2026"
_seq = itertools.count(1)


def _n():
    return next(_seq)


def identity_code(birth: datetime.date, individual: int = 900) -> str:
    """A synthetic code in the 900-999 range reserved for temporary/test use."""
    sign = "-" if birth.year < 2000 else "A"
    base = f"{birth:%d%m%y}{individual:03d}"
    return f"{birth:%d%m%y}{sign}{individual:03d}" + "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(base) % 31]


def county(code=None, name=None):
    n = _n()
    return County.objects.create(code=code or f"hva-{n}", name=name or f"Testin hyvinvointialue {n}")


def unit(county_obj, name=None):
    return Unit.objects.create(county=county_obj, name=name or f"Lastensuojelu {_n()}", municipality="Testilä")


def team(county_obj, unit_obj=None, name=None):
    unit_obj = unit_obj or unit(county_obj)
    return Team.objects.create(county=county_obj, unit=unit_obj, name=name or f"Tiimi {_n()}")


def user(county_obj, username=None, *, first="Testi", last=None, org_role="", **extra):
    n = _n()
    u = User(
        username=username or f"user{n}",
        first_name=first,
        last_name=last or f"Käyttäjä{n}",
        county=county_obj,
        org_role=org_role,
        **extra,
    )
    u.set_password(PASSWORD)
    u.save()
    return u


def member(team_obj, role, username=None, **kw):
    u = user(team_obj.county, username, **kw)
    Membership.objects.create(county=team_obj.county, team=team_obj, user=u, role=role, started_on=datetime.date(2020, 1, 1))
    return u


def manager(county_obj, username=None, **kw):
    return user(county_obj, username, org_role=OrgRole.MANAGER, **kw)


def auditor(county_obj, username=None, **kw):
    return user(county_obj, username, org_role=OrgRole.AUDITOR, **kw)


def researcher(county_obj, username=None, **kw):
    return user(county_obj, username, org_role=OrgRole.RESEARCHER, **kw)


def partner(county_obj, username=None, **kw):
    return user(county_obj, username, org_role=OrgRole.PARTNER, **kw)


def consent(family_obj, partner_user, recorded_by, *, purpose="Yhteistyö", start=None, until=None, withdrawn=False, ecomap=False):
    """A family's consent to share its plan with `partner_user`, given by the family's first adult."""
    from apps.clients.models import ADULT_RELATIONS
    from apps.partnership.models import Consent, ConsentParty, SharedPlan

    today = timezone.localdate()
    c = Consent.objects.create(
        county=family_obj.county,
        family=family_obj,
        partner=partner_user,
        purpose=purpose,
        ecomap=ecomap,
        valid_from=start or today - datetime.timedelta(days=10),
        valid_until=until or today + datetime.timedelta(days=90),
        recorded_by=recorded_by,
        withdrawn_at=timezone.now() if withdrawn else None,
        withdrawn_by=recorded_by if withdrawn else None,
    )
    giver = family_obj.members.filter(relation__in=ADULT_RELATIONS).first()
    if giver is not None:
        ConsentParty.objects.create(consent=c, member=giver, gave=True)
    SharedPlan.objects.get_or_create(family=family_obj, defaults={"county": family_obj.county})
    return c


def shared_step(family_obj, owner, created_by, *, what="Tapaaminen koululla", due_on=None):
    """A step of the family's shared plan owned by `owner` (a partner with a consent, or a team member)."""
    from apps.partnership.models import SharedPlan, SharedStep, StepOwner

    plan, _ = SharedPlan.objects.get_or_create(family=family_obj, defaults={"county": family_obj.county})
    return SharedStep.objects.create(
        county=family_obj.county,
        plan=plan,
        family=family_obj,
        what=what,
        owner_kind=StepOwner.PARTNER if owner.is_partner else StepOwner.TEAM,
        owner_user=owner,
        due_on=due_on or timezone.localdate() + datetime.timedelta(days=7),
        created_by=created_by,
    )


def joint_assessment(family_obj, created_by, *, answers=()):
    """A joint assessment of the family with `answers` [(participant, marks)] (a FamilyMember or a
    User), and a one-time link for the family's first child; returns (assessment, link, token)."""
    from apps.clients.access import family_access
    from apps.partnership import services

    access = family_access(created_by, family_obj)
    assessment = services.joint_create(access=access, title="Yhdessä-arviointi")
    for participant, marks in answers:
        key = "member" if hasattr(participant, "relation") else "user"
        services.joint_answer_record(access=access, assessment=assessment, marks=marks, words={}, **{key: participant})
    child = family_obj.members.filter(relation="child").first()
    link, token = services.joint_link_issue(access=access, assessment=assessment, member_id=child.pk)
    return assessment, link, token


def handover(family_obj, worker, *, share_with=None, child_name="Lotta"):
    """A child of the family whose client relationship closed last week, and its handover summary
    (shared with `share_with`, a partner with the family's consent, when given)."""
    from apps.clients.access import family_access
    from apps.partnership import services

    today = timezone.localdate()
    child = person(family_obj.county, child_name, family_obj.name, birth=today - datetime.timedelta(days=15 * 366))
    FamilyMember.objects.create(county=family_obj.county, family=family_obj, person=child, relation=Relation.CHILD)
    rel = ClientRelationship.objects.create(
        county=family_obj.county,
        family=family_obj,
        child=child,
        responsible_worker=worker,
        opened_on=today - datetime.timedelta(days=400),
        closed_on=today - datetime.timedelta(days=7),
        current_phase=Phase.CLOSED,
    )
    access = family_access(worker, family_obj)
    summary = services.handover_draft(access=access, relationship=rel)
    if share_with is not None:
        from apps.clients.access import open_family

        services.handover_share(access=open_family(worker, family_obj.pk), summary=summary, recipient=share_with)
    return summary


def peer_group(team_obj, worker, *, members=(), kind="experts", name="Kokemusasiantuntijat"):
    """A team's peer group with `members` (FamilyMembers of the team's families) invited to it."""
    from apps.partnership.models import PeerGroup, PeerGroupMember

    group = PeerGroup.objects.create(county=team_obj.county, team=team_obj, name=name, kind=kind, created_by=worker)
    today = timezone.localdate()
    for m in members:
        PeerGroupMember.objects.create(
            group=group, member=m, contact="nuori@example.org", contact_consent_on=today, invited_on=today, invited_by=worker
        )
    return group


def person(county_obj, first="Aino", last="Virtanen", birth=datetime.date(2015, 5, 4), **kw):
    kw.setdefault("personal_identity_code", identity_code(birth, 900 + _n() % 100))
    return Person.objects.create(county=county_obj, first_names=first, last_name=last, birth_date=birth, **kw)


def family(team_obj, name="Virtanen", *, children=1, parents=1, worker=None, parents_worker=None, opened=None):
    """A family with children (each with an open relationship) and parents."""
    fam = Family.objects.create(county=team_obj.county, team=team_obj, name=name, municipality="Testilä", parents_worker=parents_worker)
    opened = opened or timezone.localdate() - datetime.timedelta(days=60)
    for i in range(children):
        child = person(
            team_obj.county, first=["Aino", "Eino", "Helmi", "Onni", "Lilja"][i % 5], last=name, birth=datetime.date(2012 + i, 3, 1 + i)
        )
        FamilyMember.objects.create(county=team_obj.county, family=fam, person=child, relation=Relation.CHILD)
        rel = ClientRelationship.objects.create(
            county=team_obj.county, family=fam, child=child, responsible_worker=worker, opened_on=opened, current_phase=Phase.OPEN_CARE
        )
        PhaseEvent.objects.create(county=team_obj.county, relationship=rel, phase=Phase.NOTIFICATION, started_on=opened)
        if worker is not None:
            ResponsibilityPeriod.objects.create(county=team_obj.county, relationship=rel, worker=worker, started_on=opened)
        PhaseEvent.objects.create(
            county=team_obj.county, relationship=rel, phase=Phase.OPEN_CARE, started_on=opened + datetime.timedelta(days=30)
        )
    for i in range(parents):
        parent = person(
            team_obj.county,
            first=["Sanna", "Mikko"][i % 2],
            last=name,
            birth=datetime.date(1985 + i, 7, 12),
            street_address="Koivukuja 3 A 5",
            postal_code="00100",
            post_office="Helsinki",
            phone="040 123 4567",
        )
        FamilyMember.objects.create(county=team_obj.county, family=fam, person=parent, relation=Relation.PARENT, is_guardian=True)
    return fam


def notification(family_obj, child, registered_by, *, received_on=None, **kw):
    from apps.casework.models import Notification

    existing = Notification.objects.filter(family=family_obj, child=child).first()
    if existing and not kw and received_on is None:
        return existing
    return Notification.objects.create(
        county=family_obj.county,
        family=family_obj,
        child=child,
        relationship=child.client_relationships.filter(closed_on__isnull=True).first(),
        received_on=received_on or timezone.localdate() - datetime.timedelta(days=30),
        notifier_type=kw.pop("notifier_type", "school"),
        notifier_name=kw.pop("notifier_name", "Rehtori Rantanen"),
        summary=kw.pop("summary", "Lapsi on ollut paljon poissa koulusta."),
        registered_by=registered_by,
        **kw,
    )


def assessment(family_obj, child, registered_by, *, started_on=None):
    from apps.casework.models import Assessment

    existing = Assessment.objects.filter(family=family_obj, child=child, completed_on__isnull=True).first()
    if existing:
        return existing
    started_on = started_on or timezone.localdate() - datetime.timedelta(days=20)
    return Assessment.objects.create(
        county=family_obj.county, family=family_obj, child=child, matter_arrived_on=started_on, started_on=started_on
    )


def meeting_item(family_obj, created_by, *, starts_at=None):
    """A team meeting of the family's team with the family on its agenda, one hypothesis and one step."""
    from apps.meetings.models import AgendaItem, Hypothesis, Meeting, PlanStep

    item = AgendaItem.objects.filter(family=family_obj).select_related("meeting").first()
    if item:
        return item
    meeting = Meeting.objects.create(
        county=family_obj.county,
        team=family_obj.team,
        starts_at=starts_at or timezone.now() - datetime.timedelta(days=7),
        room="Neuvotteluhuone Kuusi",
        created_by=created_by,
    )
    item = AgendaItem.objects.create(
        county=family_obj.county,
        meeting=meeting,
        family=family_obj,
        position=1,
        question="Miten tukea isää arjessa?",
        what_we_know="Perhe on muuttanut kesällä.",
        internal_notes="Sisäinen: kysy koululta.",
        family_summary="Puhuimme arjen rytmistä.",
    )
    Hypothesis.objects.create(
        county=family_obj.county, family=family_obj, item=item, text="Väsymys kertoo yksinäisyydestä.", perspective="äiti"
    )
    PlanStep.objects.create(
        county=family_obj.county,
        family=family_obj,
        item=item,
        what="Soita koululle",
        owner=created_by,
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    return item


def rating(family_obj, rater, total, *, code="ORS", rated_on=None, mode="paper", entered_by=None, values=None):
    """A stored rating; `total` is spread evenly over the instrument's lines unless `values` is given."""
    from decimal import Decimal

    from apps.ratings.models import Instrument, Rating

    instrument = Instrument.objects.filter(code=code).order_by("-version").first()
    keys = [item.key for item in instrument.spec.items]
    if values is None:
        each = (Decimal(str(total)) / len(keys)).quantize(Decimal("0.1"))
        values = {k: each for k in keys}
        values[keys[-1]] = Decimal(str(total)) - each * (len(keys) - 1)
    values = {k: str(Decimal(str(v))) for k, v in values.items()}
    return Rating.objects.create(
        county=family_obj.county,
        family=family_obj,
        rater=rater,
        instrument=instrument,
        rated_on=rated_on or timezone.localdate(),
        values=values,
        total=sum(Decimal(v) for v in values.values()) if instrument.spec.scored else None,
        mode=mode,
        entered_by=entered_by,
    )


def rating_link(family_obj, rater, created_by, *, kind="outcome"):
    """A one-time rating link issued by `created_by`; returns (link, token)."""
    from apps.clients.access import family_access
    from apps.ratings.services import issue_link

    return issue_link(family_access(created_by, family_obj), rater_id=rater.pk, kind=kind)
