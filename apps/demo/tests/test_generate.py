"""Generated demo data in the database: deterministic, consistent, usable, and safe to rerun."""

import datetime
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from stdnum.fi import hetu

from apps.access.models import Handover
from apps.accounts.models import OrgRole, User
from apps.audit import signing
from apps.audit.models import AccessLogEntry
from apps.audit.verify import verify_all_chains
from apps.casework.models import InterfaceAssessment
from apps.clients.access import open_family
from apps.clients.models import ClientRelationship, Family, FamilyMember, Person, PhaseEvent, Relation, ResponsibilityPeriod
from apps.demo.dataset import delete_demo_data, digest
from apps.demo.generate import generate
from apps.organisations.models import County, Membership, Team, TeamKind, TeamRole
from apps.partnership.models import Consent, SharedPlan

TODAY = datetime.date(2026, 3, 31)
CASEWORKER_ROLES = {TeamRole.CONSULTANT, TeamRole.SOCIAL_WORKER}


@pytest.fixture
def county_demo(db):
    return generate("county", 1, TODAY)


def test_same_seed_same_data_other_seed_other_data(db):
    generate("team", 7, TODAY)
    first = digest()
    delete_demo_data()
    assert not County.objects.exists() and not Person.objects.exists()
    generate("team", 7, TODAY)
    assert digest() == first
    delete_demo_data()
    generate("team", 8, TODAY)
    assert digest() != first


def test_county_scale_shape(county_demo):
    counts = county_demo.counts
    assert County.objects.get().name == "Pirkanmaan hyvinvointialue"
    assert Team.objects.filter(kind=TeamKind.SYSTEMIC).count() == 6
    assert Team.objects.filter(kind=TeamKind.COMPARISON).count() == 2
    assert Team.objects.filter(kind=TeamKind.FAMILY_SOCIAL_WORK).count() == 1
    # Transfers both ways between child protection and family social work (test_rajapinta.py).
    transfers = Counter(InterfaceAssessment.objects.values_list("to_team__kind", flat=True))
    assert transfers[TeamKind.FAMILY_SOCIAL_WORK] >= 2 and transfers[TeamKind.SYSTEMIC] >= 2
    assert counts["interface_assessments"] == counts["handovers"] == sum(transfers.values())
    assert 350 <= counts["families"] == Family.objects.count() <= 500
    assert counts["persons"] == Person.objects.count()
    assert counts["phase_events"] == PhaseEvent.objects.count()
    assert counts["responsibility_periods"] == ResponsibilityPeriod.objects.count() >= counts["relationships"]
    for team in Team.objects.all():
        roles = Counter(team.memberships.values_list("role", flat=True))
        assert roles[TeamRole.SOCIAL_WORKER] in (3, 4) and roles[TeamRole.SOCIAL_INSTRUCTOR] == 1
        extra = 1 if team.kind == TeamKind.SYSTEMIC else 0
        assert roles[TeamRole.CONSULTANT] == roles[TeamRole.COORDINATOR] == roles[TeamRole.FAMILY_THERAPIST] == extra
    languages = Counter(Person.objects.values_list("language", flat=True))
    assert 0.02 < languages["sv"] / counts["persons"] < 0.10
    assert 1 <= Person.objects.filter(non_disclosure=True).count() <= counts["persons"] * 0.05
    relations = Counter(FamilyMember.objects.values_list("relation", flat=True))
    assert relations[Relation.STEP_PARENT] and relations[Relation.GRANDPARENT] and relations[Relation.PARENT]
    assert Family.objects.filter(name__contains="–").exists()
    # Partners with consent (a school, a neuvola, a psychiatric clinic), one consent past its last day
    # and one withdrawn; each consenting family's shared plan (apps/demo/partnership.py).
    assert {c.partner.organisation for c in Consent.objects.select_related("partner")} >= {
        "Keskuskoulu, oppilashuolto",
        "Nuorisopsykiatrian poliklinikka",
    }
    assert Consent.objects.filter(purpose="Koulun oppilashuolto").exists()
    assert {c.state_on(TODAY) for c in Consent.objects.all()} == {"active", "expired", "withdrawn"}
    assert set(User.objects.filter(username__startswith="kumppani-").values_list("org_role", flat=True)) == {"partner"}
    assert SharedPlan.objects.filter(version=2).count() == Consent.objects.values("family").distinct().count()
    # Joint assessments where the family and the professionals see things differently: the open
    # one proposes the family for the team meeting; and a closed relationship's handover, shared
    # with a partner whose consent is in force.
    from apps.partnership.models import HandoverShare, JointAssessment
    from apps.partnership.selectors import joint_flags

    assert JointAssessment.objects.filter(concluded_at__isnull=False).exists()
    open_ones = JointAssessment.objects.filter(concluded_at__isnull=True)
    assert open_ones.exists() and joint_flags(open_ones.values("family_id")) == set(open_ones.values_list("family_id", flat=True))
    share = HandoverShare.objects.select_related("summary__relationship", "consent").get()
    assert share.summary.relationship.closed_on is not None and share.consent.state_on(TODAY) == "active"
    assert share.consent.partner_id == share.recipient_id and share.summary.what_helped
    assert counts["access_log"] == AccessLogEntry.objects.count() > 0  # two years of history (test_access_log.py)
    # Peer groups: after-care youth and experts by experience, invited by e-mail and by phone with
    # the text recorded; the experts' contributions, one quoted by name, one the group's, one anonymous.
    from apps.partnership.models import PeerContributor, PeerGroup, PeerGroupMember

    assert set(PeerGroup.objects.values_list("kind", flat=True)) == {"aftercare", "experts"}
    invited = PeerGroupMember.objects.filter(group__kind="experts")
    assert set(invited.values_list("invitation_channel", flat=True)) == {"email", "phone"}
    assert all("Kokemusasiantuntijat" in m.invitation_text for m in invited)
    experts = PeerGroup.objects.get(kind="experts")
    assert experts.contributions.count() == counts["peer_contributions"] == 3 and experts.contributions.filter(by_group=True).exists()
    assert {c.named for c in PeerContributor.objects.all()} == {True, False}


def test_identity_codes_are_valid_test_codes_unique_per_county(county_demo):
    rows = list(Person.objects.values_list("county_id", "personal_identity_code", "birth_date"))
    assert all(code for _, code, _ in rows)
    for _, code, birth in rows:
        assert hetu.validate(code, allow_temporary=True) == code
        assert 900 <= int(code[7:10]) <= 999
        assert code[:6] == f"{birth:%d%m%y}"
    assert len({(c, code) for c, code, _ in rows}) == len(rows)


def test_county_keys_agree_everywhere(county_demo):
    assert not Family.objects.exclude(county_id=F("team__county_id")).exists()
    assert not FamilyMember.objects.exclude(county_id=F("family__county_id")).exists()
    assert not FamilyMember.objects.exclude(county_id=F("person__county_id")).exists()
    assert not ClientRelationship.objects.exclude(county_id=F("family__county_id")).exists()
    assert not ClientRelationship.objects.exclude(county_id=F("child__county_id")).exists()
    assert not PhaseEvent.objects.exclude(county_id=F("relationship__county_id")).exists()
    assert not Membership.objects.exclude(county_id=F("team__county_id")).exists()
    assert not Membership.objects.exclude(county_id=F("user__county_id")).exists()
    assert not Consent.objects.exclude(county_id=F("family__county_id")).exists()
    assert not SharedPlan.objects.exclude(county_id=F("family__county_id")).exists()


def test_relationships_follow_the_rules(county_demo):
    caseworkers = {}
    for team_id, user_id, role in Membership.objects.values_list("team_id", "user_id", "role"):
        if role in CASEWORKER_ROLES:
            caseworkers.setdefault(team_id, set()).add(user_id)
    families = {f.pk: f for f in Family.objects.all()}
    births = dict(Person.objects.values_list("pk", "birth_date"))
    child_ids = set(FamilyMember.objects.filter(relation=Relation.CHILD).values_list("person_id", flat=True))
    phases = {}
    for rel_id, phase, on in PhaseEvent.objects.order_by("started_on", "id").values_list("relationship_id", "phase", "started_on"):
        phases.setdefault(rel_id, []).append((phase, on))
    joined = dict(Membership.objects.values_list("user_id", "started_on"))
    periods = {}
    for rel_id, worker_id, start, end in ResponsibilityPeriod.objects.order_by("started_on").values_list(
        "relationship_id", "worker_id", "started_on", "ended_on"
    ):
        periods.setdefault(rel_id, []).append((worker_id, start, end))
    # A family transferred between teams (rajapinta) was its first team's until the transfer day.
    moves = {}
    for family_id, day, from_team, to_team in Handover.objects.order_by("transferred_on").values_list(
        "family_id", "transferred_on", "from_team_id", "to_team_id"
    ):
        moves.setdefault(family_id, []).append((day, from_team, to_team))

    def team_on(family, day):
        if family.pk not in moves:
            return family.team_id
        team = moves[family.pk][0][1]
        for moved_on, _, to_team in moves[family.pk]:
            if day >= moved_on:
                team = to_team
        return team

    open_per_child = Counter()
    for rel in ClientRelationship.objects.all():
        # Responsibility periods tile the relationship and end with the responsible worker.
        spans = periods[rel.pk]
        assert spans[0][1] == rel.opened_on and spans[-1][2] == rel.closed_on and spans[-1][0] == rel.responsible_worker_id
        for (_, _, end), (_, start, _) in zip(spans, spans[1:], strict=False):
            assert end is not None and start == end + datetime.timedelta(days=1)
        family = families[rel.family_id]
        assert all(w in caseworkers[team_on(family, start)] for w, start, _ in spans)
        assert all(joined[w] <= start for w, start, _ in spans)
        assert rel.child_id in child_ids
        # A relationship closed on the transfer day closed in the sending team.
        last_day = rel.closed_on - datetime.timedelta(days=1) if rel.closed_on else TODAY
        assert rel.responsible_worker_id in caseworkers[team_on(family, max(last_day, rel.opened_on))]
        assert family.parents_worker_id in caseworkers[family.team_id]
        history = phases[rel.pk]
        days = [on for _, on in history]
        assert history[0] == ("notification", rel.opened_on)
        assert days == sorted(days) and days[-1] <= TODAY and days[0] >= births[rel.child_id]
        assert rel.current_phase == history[-1][0]
        assert (rel.closed_on is not None) == (rel.current_phase == "closed")
        if rel.closed_on:
            assert rel.closed_on == days[-1]
        else:
            open_per_child[rel.child_id] += 1
    assert max(open_per_child.values()) == 1
    assert set(Family.objects.values_list("parents_worker_id", flat=True)) - {None}
    current = Counter(ClientRelationship.objects.filter(closed_on__isnull=True).values_list("current_phase", flat=True))
    assert current["open_care"] and current["care_order"] and current["after_care"]
    assert any(len(spans) > 1 for spans in periods.values())  # some cases were handed over


def test_caseloads_vary(county_demo):
    loads = list(
        User.objects.filter(memberships__role=TeamRole.SOCIAL_WORKER)
        .annotate(n=Count("responsible_relationships", filter=Q(responsible_relationships__closed_on__isnull=True)))
        .values_list("n", flat=True)
    )
    assert min(loads) < 10 and max(loads) >= 17


def test_demo_users_log_in_and_have_their_roles(db, client):
    call_command("demo", "--scale", "team", "--seed", "1", "--today", "2026-03-31", "--quiet")
    for username in (
        "t1-konsultti",
        "t1-sosiaalityontekija1",
        "t1-ohjaaja",
        "t1-koordinaattori",
        "t1-terapeutti",
        "esihenkilo",
        "kumppani-koulu",
        "admin",
    ):
        assert client.login(username=username, password=settings.SYSTEEMI_DEMO_PASSWORD), username
    assert User.objects.get(username="esihenkilo").org_role == OrgRole.MANAGER
    assert User.objects.get(username="tarkastaja").org_role == OrgRole.AUDITOR
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert len(set(User.objects.values_list("password", flat=True))) == 1  # hashed once
    assert Membership.objects.get(user__username="t1-konsultti").role == TeamRole.CONSULTANT


def test_reuse_replace_and_refusals(db, capsys):
    args = ("demo", "--scale", "team", "--seed", "2", "--today", "2026-03-31")
    call_command(*args, "--quiet")
    before = (Person.objects.count(), User.objects.count(), PhaseEvent.objects.count())

    call_command(*args, "--reuse")
    assert "reusing" in capsys.readouterr().out
    assert (Person.objects.count(), User.objects.count(), PhaseEvent.objects.count()) == before

    with pytest.raises(CommandError, match="already exists"):
        call_command(*args, "--quiet")

    from django.core.cache import cache

    cache.set("county-report-of-the-old-data", "figures")
    call_command(*args, "--replace", "--quiet")
    assert (Person.objects.count(), User.objects.count(), PhaseEvent.objects.count()) == before
    assert cache.get("county-report-of-the-old-data") is None  # nothing computed from deleted data answers
    # The deleted history's signed checkpoints went aside with it: the new chain verifies against its own.
    reports = verify_all_chains()
    assert all(r.ok and r.matched == 1 for r in reports), [(r.reason, r.problems) for r in reports]
    assert list(signing.checkpoint_dir().glob("*.jsonl.retired-*"))

    # Once someone has read demo data the append-only log refers to it: no more --replace.
    worker = User.objects.get(username="t1-sosiaalityontekija1")
    family = Family.objects.filter(team__memberships__user=worker).first()
    open_family(worker, family.pk)
    assert AccessLogEntry.objects.exists()
    with pytest.raises(CommandError, match="make clean-demo"):
        call_command(*args, "--replace", "--quiet")
    assert Person.objects.count() == before[0]


def test_two_years_of_month_end_caseloads_are_frozen_as_the_monthly_job_would(county_demo):
    """The research export's caseload table and the managers' closed months read these snapshots."""
    from apps.caseload.history import counted, month_ends
    from apps.caseload.models import CaseloadSnapshot

    closed = month_ends(TODAY, 25)[:-1]
    county = County.objects.get()
    stored = {(w, m): n for w, m, n in CaseloadSnapshot.objects.values_list("worker_id", "month_end", "children")}
    assert county_demo.counts["caseload snapshots"] == len(stored) > 0
    assert {m for _w, m in stored} == set(closed) and TODAY not in {m for _w, m in stored}
    live = counted(county.pk, None, closed)
    assert stored == {(w, m): n for w, by_month in live.items() for m, n in by_month.items() if n}


def test_six_months_of_the_wellbeing_pulse_reach_the_county_report(county_demo):
    """Tallies only (no markers: this month is the demo users' to answer); a team of four is
    always under five and hidden, the systemic teams of eight are shown."""
    from apps.evaluation.models import PulseMarker, PulseTally
    from apps.evaluation.pulse import last_months
    from apps.evaluation.selectors import county_report

    assert set(PulseTally.objects.values_list("month", flat=True)) == set(last_months(6, TODAY))
    assert not PulseMarker.objects.exists() and county_demo.counts["pulse_answers"] > 0
    report = county_report(County.objects.get().pk, today=TODAY)
    shown = {row.team.kind: [] for row in report.teams}
    for row in report.teams:
        if not row.staffing.pulse.hidden:
            shown[row.team.kind].append(row.staffing.pulse)
    assert len(shown[TeamKind.SYSTEMIC]) >= 3 and all(p.respondents >= 5 for p in shown[TeamKind.SYSTEMIC])
    assert not shown[TeamKind.FAMILY_SOCIAL_WORK]
