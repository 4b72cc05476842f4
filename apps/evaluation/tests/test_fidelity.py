"""A team's fidelity to the systemic model: what the team and its managers see, in counts only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.evaluation.selectors import Period, fidelity_for_teams, team_fidelity
from apps.evaluation.targets import Status
from apps.meetings.models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep
from apps.organisations.models import Team, TeamRole
from tests import factories as f

# Four ordinary working weeks (no Finnish holidays): Monday 2.2.2026 to Sunday 1.3.2026.
FEBRUARY = Period(datetime.date(2026, 2, 2), datetime.date(2026, 3, 1), 1)


def _meeting(team, day, *, chair=None, therapist=None, items=()):
    tz = timezone.get_current_timezone()
    starts = datetime.datetime.combine(day, datetime.time(9), tzinfo=tz)
    meeting = Meeting.objects.create(
        county=team.county, team=team, starts_at=starts, status=Meeting.Status.APPROVED, created_by=chair or therapist
    )
    if chair:
        Attendance.objects.create(meeting=meeting, user=chair, role=Attendance.Role.CHAIR)
    if therapist:
        Attendance.objects.create(meeting=meeting, user=therapist, role=Attendance.Role.THERAPIST)
    for n, (family, minutes) in enumerate(items):
        AgendaItem.objects.create(
            county=team.county,
            meeting=meeting,
            family=family,
            position=n,
            planned_minutes=20,
            started_at=starts + datetime.timedelta(minutes=30 * n),
            ended_at=starts + datetime.timedelta(minutes=30 * n + minutes),
            discussed_seconds=minutes * 60,
        )
    return meeting


def _team_with_roles(world, name="Mittaritiimi"):
    team = f.team(world.county, world.team.unit, name)
    consultant = f.member(team, TeamRole.CONSULTANT)
    therapist = f.member(team, TeamRole.FAMILY_THERAPIST)
    worker = f.member(team, TeamRole.SOCIAL_WORKER)
    return team, consultant, therapist, worker


def test_three_of_four_weekly_meetings_shows_75_percent(world):
    team, consultant, therapist, worker = _team_with_roles(world)
    mondays = FEBRUARY.weeks
    assert len(mondays) == 4 and FEBRUARY.working_weeks == 4
    _meeting(team, mondays[0] + datetime.timedelta(days=1), chair=consultant, therapist=therapist)
    _meeting(team, mondays[1] + datetime.timedelta(days=1), chair=consultant, therapist=therapist)
    _meeting(team, mondays[3] + datetime.timedelta(days=1), chair=worker)  # the consultant was away
    fid = team_fidelity(team, period=FEBRUARY)
    held = fid["meetings_held"]
    assert (held.numerator, held.denominator, held.percent) == (3, 4, 75)
    assert held.status == Status.PARTLY  # "osittain" from 75 %, "toteutuu" from 90 %
    assert fid["consultant_chaired"].percent == 67 and fid["therapist_present"].percent == 67


def test_status_follows_the_thresholds():
    from apps.evaluation.targets import MEETINGS_HELD

    assert MEETINGS_HELD.status(0.95) == Status.MET
    assert MEETINGS_HELD.status(0.8) == Status.PARTLY
    assert MEETINGS_HELD.status(0.5) == Status.NOT_MET
    assert MEETINGS_HELD.status(None) == Status.NO_DATA


def test_a_family_is_discussed_often_enough_or_not(world):
    team, consultant, therapist, worker = _team_with_roles(world)
    regular = f.family(team, "Säännöllinen", children=1, worker=worker, opened=datetime.date(2025, 1, 1))
    forgotten = f.family(team, "Unohdettu", children=1, worker=worker, opened=datetime.date(2025, 1, 1))
    period = Period(datetime.date(2026, 1, 5), datetime.date(2026, 3, 1), 2)  # eight weeks, weekly meetings
    for n, monday in enumerate(period.weeks):
        items = []
        if n in (0, 4):
            items.append((regular, 20))
        if n == 0:
            items.append((forgotten, 20))
        _meeting(team, monday + datetime.timedelta(days=2), chair=consultant, therapist=therapist, items=items)
    fid = team_fidelity(team, period=period)
    often = fid["discussed_often"]
    # regular: 3 meetings without it, then discussed, then 3 more: within 4; forgotten: 7 in a row
    assert (often.numerator, often.denominator) == (1, 2)


# One team's page and the county report count discussions in two query shapes
# (selectors._discussion_figures); each test below runs both and must see the same figures.
BOTH_SHAPES = pytest.mark.parametrize("per_discussion", [False, True], ids=["grouped joins", "per discussion"])


@BOTH_SHAPES
def test_discussion_figures(world, per_discussion):
    team, consultant, therapist, worker = _team_with_roles(world)
    a = f.family(team, "Aalto", children=1, worker=worker)
    b = f.family(team, "Berg", children=1, worker=worker)
    meeting = _meeting(team, FEBRUARY.start + datetime.timedelta(days=1), chair=consultant, items=[(a, 30), (b, 10)])
    item_a, item_b = meeting.items.order_by("position")
    item_a.family_attended = True
    item_a.save(update_fields=["family_attended"])
    for text in ("x", "y"):
        Hypothesis.objects.create(county=world.county, family=a, item=item_a, text=text, perspective="lapsi")
    for due, done in (
        (FEBRUARY.start + datetime.timedelta(days=7), FEBRUARY.start + datetime.timedelta(days=6)),
        (FEBRUARY.start + datetime.timedelta(days=8), None),
    ):
        PlanStep.objects.create(
            county=world.county, family=a, item=item_a, what="x", owner=worker, due_on=due, done_on=done, status="done" if done else "open"
        )
    rater = a.members.first().person
    f.rating(a, rater, 30, code="SRS", rated_on=FEBRUARY.start + datetime.timedelta(days=1)).__class__.objects.filter(family=a).update(
        agenda_item=item_a
    )
    f.rating(a, rater, 20, code="ORS", rated_on=FEBRUARY.start + datetime.timedelta(days=1))
    fid = fidelity_for_teams(Team.objects.filter(pk=team.pk), period=FEBRUARY, per_discussion=per_discussion)[team.pk]
    assert fid.discussions == 2
    minutes = fid["minutes_per_case"]
    assert (minutes.numerator, minutes.denominator) == (20, 20) and minutes.status == Status.MET
    # One family of two discussions: computed, and hidden wherever it is shown (a count of 1-4 clients).
    assert fid["family_present"].value == 0.5 and fid["family_present"].hidden and fid["family_present"].status == Status.HIDDEN
    assert fid["hypotheses"].percent == 50 and fid["plan_steps"].percent == 50
    assert fid.hypotheses_per_discussion == 1.0 and fid.steps_per_discussion == 1.0  # two of each, both on one discussion
    assert (fid["steps_on_time"].numerator, fid["steps_on_time"].denominator) == (1, 2)
    assert fid["srs_share"].value == 1.0 and fid["srs_share"].hidden and fid.srs_per_meeting == 1.0 and fid.srs_hidden
    assert (fid["ors_share"].numerator, fid["ors_share"].denominator) == (1, 2) and fid["ors_share"].percent is None
    assert fid["hypotheses"].hidden is False  # the team's own practice: shown however small


def test_a_worker_over_the_statutory_cap_fails_the_cap_indicator(world):
    f.family(world.team, "Iso", children=29, parents=0, worker=world.worker)  # 31 with world.family's 2
    fid = team_fidelity(world.team)
    cap = fid["caseload_under_cap"]
    assert cap.status == Status.NOT_MET and cap.denominator - cap.numerator == 1
    assert fid["caseload_recommended"].status != Status.MET


def test_a_comparison_team_is_not_judged_by_the_models_practices_but_by_caseload(world):
    """Comparison teams work the traditional way on purpose: 'not met' would misjudge them."""
    from apps.organisations.models import TeamKind

    Team.objects.filter(pk=world.team.pk).update(kind=TeamKind.COMPARISON)
    world.team.refresh_from_db()
    f.family(world.team, "Iso", children=29, parents=0, worker=world.worker)  # over the statutory cap
    fid = team_fidelity(world.team, period=FEBRUARY)
    assert fid["meetings_held"].status == Status.NOT_APPLICABLE
    assert fid["meetings_held"].status_label == "koskee vain systeemisiä tiimejä"
    assert fid["caseload_under_cap"].status == Status.NOT_MET
    Team.objects.filter(pk=world.team.pk).update(kind=TeamKind.SYSTEMIC)
    world.team.refresh_from_db()
    assert team_fidelity(world.team, period=FEBRUARY)["meetings_held"].status == Status.NOT_MET


@BOTH_SHAPES
def test_queries_do_not_grow_with_the_data(world, per_discussion):
    _team_with_roles(world)
    extras = [_team_with_roles(world, f"Lisätiimi {i}") for i in range(3)]
    teams = Team.objects.filter(county=world.county)
    with CaptureQueriesContext(connection) as small:
        fidelity_for_teams(teams, period=FEBRUARY, per_discussion=per_discussion)
    for i, (extra, c, t, w) in enumerate(extras):
        families = [f.family(extra, f"Perhe{i}{n}", children=2, worker=w) for n in range(4)]
        for monday in FEBRUARY.weeks:
            meeting = _meeting(extra, monday + datetime.timedelta(days=1), chair=c, therapist=t, items=[(fam, 20) for fam in families])
            for item in meeting.items.all():
                Hypothesis.objects.create(county=world.county, family=item.family, item=item, text="x", perspective="lapsi")
    with CaptureQueriesContext(connection) as large:
        result = fidelity_for_teams(teams, period=FEBRUARY, per_discussion=per_discussion)
    assert len(result) == teams.count() == 6
    assert result[extras[0][0].pk].discussions == 16 and result[extras[0][0].pk].hypotheses_per_discussion == 1.0
    assert len(small) == len(large)


def test_members_and_the_county_manager_see_the_page_and_no_family(client, world):
    url = f"/teams/{world.team.pk}/fidelity/"
    for persona in ("worker", "therapist", "manager"):
        client.force_login(getattr(world, persona))
        response = client.get(url, {"months": 6})
        body = response.content.decode()
        assert response.status_code == 200, persona
        assert "Mallin toteutuminen" in body and "Mäkinen" not in body and "Aino" not in body
        assert response.context["fidelity"].period.months == 6
        assert (f'href="/teams/{world.team.pk}/"' in body) == (persona != "manager")  # managers cannot open the team page
    for persona in ("stranger", "foreigner", "auditor", "researcher"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona


def test_a_unit_manager_sees_only_the_units_teams(client, world):
    other = f.team(world.county, f.unit(world.county, "Toinen yksikkö"), "Muu tiimi")
    world.manager.managed_unit = world.team.unit
    world.manager.save()
    client.force_login(world.manager)
    assert client.get(f"/teams/{world.team.pk}/fidelity/").status_code == 200
    assert client.get(f"/teams/{other.pk}/fidelity/").status_code == 404


def test_an_unknown_period_falls_back_to_twelve_months(client, world):
    client.force_login(world.worker)
    assert client.get(f"/teams/{world.team.pk}/fidelity/", {"months": "7"}).context["fidelity"].period.months == 12
