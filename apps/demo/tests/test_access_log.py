"""The demo's two years of access log: valid chains, believable readers, deterministic, and
continued by the app's own appends."""

import datetime
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Max, Min

from apps.access.models import Handover
from apps.accounts.models import OrgRole, User
from apps.audit.checkpoints import write_checkpoints
from apps.audit.models import AccessLogEntry, ChainHead
from apps.audit.verify import verify_all_chains
from apps.clients.access import open_family
from apps.clients.models import ClientRelationship, Family, FamilyMember, Person
from apps.demo.accesslog import DAYS
from apps.demo.dataset import delete_demo_data, digest
from apps.demo.generate import DemoDataError, generate
from apps.meetings.models import Meeting
from apps.organisations.models import Membership, Team, TeamKind
from apps.pages.selectors import person_log as person_log_entries
from apps.partnership.models import Consent

TODAY = datetime.date(2026, 3, 31)
TZ = ZoneInfo("Europe/Helsinki")
NOON = datetime.datetime(2026, 3, 31, 12, 0, tzinfo=TZ)
MIDNIGHT = datetime.datetime(2026, 3, 31, tzinfo=TZ)
FIRST_DAY = datetime.datetime.combine(TODAY - datetime.timedelta(days=DAYS), datetime.time(), tzinfo=TZ)


@pytest.fixture
def county_demo(db):
    return generate("county", 1, TODAY)


def test_chains_verify_and_the_app_continues_them(county_demo):
    reports = verify_all_chains()
    assert [r.ok for r in reports] == [True] and reports[0].entries == county_demo.counts["access_log"] > 50_000
    county_id = reports[0].county_id
    last = AccessLogEntry.objects.filter(county_id=county_id).order_by("-seq").first()
    head = ChainHead.objects.get(county_id=county_id)
    assert (head.seq, head.hash) == (last.seq, last.hash) == tuple(county_demo.dataset.log_heads[county_demo.plan.counties[0].info.code])
    # The generated chain is anchored from the start: its head signed, as the daily job would.
    assert (reports[0].matched, reports[0].anchor.seq, reports[0].anchor.hash) == (1, head.seq, head.hash)

    # A professional opens a family: the app appends to the generated chain, which still verifies.
    worker = User.objects.filter(memberships__role="social_worker").order_by("username").first()
    family = Family.objects.filter(team__memberships__user=worker).order_by("pk").first()
    with time_machine.travel(NOON, tick=False):
        open_family(worker, family.pk)
    appended = AccessLogEntry.objects.filter(county_id=county_id, seq__gt=last.seq).order_by("seq")
    assert appended.count() == family.members.count() and appended[0].prev_hash == last.hash
    assert write_checkpoints()[0].checkpoint.seq == last.seq + appended.count()  # the next run signs on top of the first
    assert [(r.ok, r.matched) for r in verify_all_chains()] == [(True, 2)]


def test_history_is_two_years_in_time_order_before_today(county_demo):
    span = AccessLogEntry.objects.aggregate(first=Min("at"), last=Max("at"))
    assert FIRST_DAY <= span["first"] < FIRST_DAY + datetime.timedelta(days=7)
    assert MIDNIGHT - datetime.timedelta(days=5) < span["last"] < MIDNIGHT
    previous = None
    for at in AccessLogEntry.objects.order_by("seq").values_list("at", flat=True).iterator(chunk_size=10_000):
        assert previous is None or previous <= at
        previous = at
    # Working hours: nobody reads client files at night (meetings and edits included).
    hours = Counter(at.astimezone(TZ).hour for at in AccessLogEntry.objects.values_list("at", flat=True))
    assert set(hours) <= set(range(7, 18))


def _teams_on():
    """(family pk, day, purpose) -> the teams that held the family that day (both on a transfer's
    day), or for a handover read the sending teams whose read-only window was open; families never
    transferred are their team's throughout."""
    team_of = dict(Family.objects.values_list("pk", "team_id"))
    moves = defaultdict(list)
    for family, day, until, from_team, to_team in Handover.objects.order_by("transferred_on").values_list(
        "family_id", "transferred_on", "until", "from_team_id", "to_team_id"
    ):
        moves[family].append((day, from_team, to_team, until))

    def teams_on(family: int, day: datetime.date, purpose: str = "client_work") -> set[int]:
        if purpose == "handover":
            return {from_team for moved_on, from_team, _to, until in moves[family] if moved_on <= day <= until}
        if family not in moves:
            return {team_of[family]}
        held = {moves[family][0][1]}
        for moved_on, _from, to_team, _until in moves[family]:
            if day > moved_on:
                held = {to_team}
            elif day == moved_on:
                held = held | {to_team}
        return held

    return teams_on


def test_every_child_has_a_history_read_by_their_team(county_demo):
    """'Who has seen my data' shows each child's own team at work (the team that held the family
    then, for a family transferred between teams), and nobody else but the partners their family
    consented to and the county's auditor."""
    members = defaultdict(set)
    for team_id, user_id in Membership.objects.values_list("team_id", "user_id"):
        members[team_id].add(user_id)
    grantees = defaultdict(set)
    for family_id, user_id in Consent.objects.values_list("family_id", "partner_id"):
        grantees[family_id].add(user_id)
    auditors = set(User.objects.filter(org_role=OrgRole.AUDITOR).values_list("pk", flat=True))
    teams_on = _teams_on()
    families_of = defaultdict(set)
    for person_id, family_id in FamilyMember.objects.values_list("person_id", "family_id"):
        families_of[person_id].add(family_id)
    in_window = ClientRelationship.objects.filter(opened_on__lt=TODAY).exclude(closed_on__lt=TODAY - datetime.timedelta(days=DAYS - 1))
    children = Person.objects.filter(pk__in=in_window.values("child_id")).order_by("pk")
    assert children.count() > 500
    seen = Counter()
    with time_machine.travel(NOON, tick=False):
        for child in children:
            log = person_log_entries(child)
            entries = [(e.actor_id, e.person_id, e.family_id, e.purpose, e.view_name, e.at.astimezone(TZ).date()) for e in log]
            assert any(person == child.pk for _, person, *_ in entries), child.pk  # named, not only listed
            grants = set().union(*(grantees[f] for f in families_of[child.pk]))
            for actor, _, _, purpose, view, day in entries:
                teams = set().union(*(teams_on(f, day, purpose) for f in families_of[child.pk]))
                allowed = grants.union(*(members[t] for t in teams))
                assert actor in allowed or (actor in auditors and purpose in ("log_audit", "export")), (child.pk, actor, view)
                seen[view] += 1
    for view in ("family-detail", "meeting-item", "meeting-detail", "team-detail", "my-deadlines", "relationship-open", "phase-create"):
        assert seen[view], view


def test_readers_are_believable(county_demo):
    log = AccessLogEntry.objects
    by_view = Counter(log.values_list("view_name", flat=True))
    assert by_view["family-detail"] > by_view["team-detail"] > by_view["audit-search"] > 0
    # Partners read only the shared plans of the families that consented, only while the consent was
    # in force, and each read is a disclosure naming the partner and the consent.
    consented = defaultdict(set)
    for consent in Consent.objects.select_related("partner"):
        consented[consent.partner_id].add(consent.family_id)
        reads = log.filter(actor=consent.partner, family_id=consent.family_id)
        assert reads.exists()
        first, last = reads.aggregate(first=Min("at"))["first"], reads.aggregate(last=Max("at"))["last"]
        assert first.astimezone(TZ).date() >= consent.valid_from and last.astimezone(TZ).date() <= consent.valid_until
        if consent.withdrawn_at:
            assert last < consent.withdrawn_at
        assert reads.filter(kind="disclosure", recipient__contains=consent.partner.organisation).exists()
    for partner, families in consented.items():
        reads = log.filter(actor_id=partner)
        assert set(reads.values_list("family_id", flat=True)) == families
        assert set(reads.values_list("purpose", "actor_role", "view_name")) == {
            ("consented_cooperation", "partner", "partner-plan"),
            ("export", "partner", "partner-plan"),
        }
    # The auditor looks clients up now and then and sometimes hands an extract out.
    auditor = User.objects.get(org_role=OrgRole.AUDITOR)
    assert log.filter(actor=auditor, view_name="audit-person-log").count() > 50
    disclosures = log.filter(kind="disclosure")
    assert disclosures.filter(actor=auditor).exists() and all(d.recipient and d.legal_basis for d in disclosures)
    assert set(disclosures.exclude(actor=auditor).values_list("actor_role", flat=True)) == {"partner"}
    # Team members read only their own team's families, and only once they had joined.
    joined = {(m.user_id, m.team_id): m.started_on for m in Membership.objects.all()}
    teams_on = _teams_on()
    for actor, family, at in log.filter(purpose="client_work").values_list("actor_id", "family_id", "at").iterator(chunk_size=10_000):
        day = at.astimezone(TZ).date()
        started = [joined[actor, team] for team in teams_on(family, day) if (actor, team) in joined]
        assert started and min(started) <= day, (actor, family, day)
    # Comparison teams do not hold systemic meetings, so none of their families has a meeting record.
    comparison = Family.objects.filter(team__kind=TeamKind.COMPARISON).values("pk")
    assert not log.filter(family_id__in=comparison, view_name__startswith="meeting-").exists()


def test_meetings_span_two_years(county_demo):
    for team in Team.objects.filter(kind=TeamKind.SYSTEMIC):
        span = Meeting.objects.filter(team=team).aggregate(first=Min("starts_at"), last=Max("starts_at"))
        chair_since = Membership.objects.get(team=team, role="consultant").started_on
        expected = max(TODAY - datetime.timedelta(weeks=104), chair_since)
        assert span["first"].date() - expected < datetime.timedelta(days=21), team.name
        assert span["last"].date() >= TODAY
    assert Meeting.objects.aggregate(first=Min("starts_at"))["first"].date() < TODAY - datetime.timedelta(days=700)


def test_the_digest_covers_the_log_and_the_same_seed_gives_the_same_log(db):
    generate("team", 5, TODAY)
    first = digest()
    heads = list(ChainHead.objects.values_list("seq", flat=True))
    delete_demo_data()
    assert not AccessLogEntry.objects.exists() and not ChainHead.objects.exists()
    generate("team", 5, TODAY)
    assert digest() == first and list(ChainHead.objects.values_list("seq", flat=True)) == heads
    # One read by a team member: the digest changes, and the data may no longer be deleted.
    worker = User.objects.filter(memberships__role="social_worker").order_by("username").first()
    family = Family.objects.filter(team__memberships__user=worker).order_by("pk").first()
    with time_machine.travel(NOON, tick=False):
        open_family(worker, family.pk)
    assert digest() != first
    with pytest.raises(DemoDataError, match="has been used"):
        delete_demo_data()
    assert AccessLogEntry.objects.count() > heads[0]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_sqlite_checks_foreign_keys_once_after_the_load():
    from django.db import connection

    result = generate("team", 2, TODAY)
    assert result.counts["access_log"] > 0 and all(r.ok for r in verify_all_chains())
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # enforced again
            assert cursor.execute("PRAGMA foreign_key_check").fetchall() == []
