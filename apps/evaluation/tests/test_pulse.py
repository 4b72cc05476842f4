"""The wellbeing pulse: anonymous by design, once a month, shown for five or more; staffing from
memberships; both in the county report."""

import datetime

import pytest
from django.db import connection
from django.test import Client

from apps.evaluation import pulse
from apps.evaluation.models import PulseMarker, PulseTally
from apps.evaluation.selectors import county_report
from apps.organisations.models import Membership, TeamRole
from tests import factories as f

ANSWERS = {"load": 7, "energy": 5, "meaning": 9, "safety": 8}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _members(team, n, role=TeamRole.SOCIAL_WORKER):
    return [f.member(team, role) for _ in range(n)]


def test_an_answer_is_four_counters_and_nothing_that_names_the_person(world):
    response = _client(world.worker).post("/pulse/", ANSWERS)
    assert response.status_code == 302
    month = pulse.month_of(datetime.date.today())
    counted = {(t.question, t.value): t.count for t in PulseTally.objects.filter(team=world.team, month=month)}
    assert len(counted) == 4 * 11  # every counter of the month exists from its first answer on
    assert {k: v for k, v in counted.items() if v} == {(q, v): 1 for q, v in ANSWERS.items()}
    stored = [repr(row.__dict__) for row in [*PulseTally.objects.all(), *PulseMarker.objects.all()]]
    for trace in (world.worker.username, world.worker.last_name, f"'user_id': {world.worker.pk}"):
        assert not any(trace in row for row in stored)
    assert {f.name for f in PulseTally._meta.get_fields()} == {"id", "county", "team", "month", "question", "value", "count"}


def test_the_marker_needs_a_key_that_is_not_in_the_database(world, settings):
    month = pulse.month_of(datetime.date.today())
    pulse.pulse_answer(user=world.worker, team=world.team, answers=ANSWERS)
    marker = PulseMarker.objects.get()
    assert marker.digest == pulse.marker_digest(world.worker.pk, month)
    settings.SECRET_KEY = "another secret entirely, " * 3
    assert pulse.marker_digest(world.worker.pk, month) != marker.digest  # the database alone cannot tell whose
    # and next month's key is another: a marker says nothing about another month
    settings.SECRET_KEY = "x" * 60
    assert pulse.marker_digest(world.worker.pk, month) != pulse.marker_digest(world.worker.pk, pulse.last_months(1)[0])


def test_a_second_answer_in_the_same_month_is_not_counted(world):
    client = _client(world.worker)
    client.post("/pulse/", ANSWERS)
    client.post("/pulse/", {"load": 0, "energy": 0, "meaning": 0, "safety": 0})
    with pytest.raises(pulse.AlreadyAnswered):
        pulse.pulse_answer(user=world.worker, team=world.team, answers=ANSWERS)
    assert sum(PulseTally.objects.filter(question="load").values_list("count", flat=True)) == 1
    assert "Olet vastannut tässä kuussa" in client.get("/pulse/").content.decode()


def test_a_new_month_forgets_who_answered_before(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 10, 15, 12))
    pulse.pulse_answer(user=world.worker, team=world.team, answers=ANSWERS)
    time_machine.move_to(datetime.datetime(2026, 11, 2, 12))
    assert not pulse.has_answered(world.worker)
    pulse.pulse_answer(user=world.consultant, team=world.team, answers=ANSWERS)
    assert list(PulseMarker.objects.values_list("month", flat=True)) == [datetime.date(2026, 11, 1)]
    pulse.pulse_answer(user=world.worker, team=world.team, answers=ANSWERS)  # may answer again in the new month


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row versions (xmin) are PostgreSQL's")
def test_the_row_versions_do_not_tell_which_values_an_answer_added(world):
    pulse.pulse_answer(user=world.worker, team=world.team, answers=ANSWERS)
    pulse.pulse_answer(user=world.consultant, team=world.team, answers={"load": 2, "energy": 3, "meaning": 4, "safety": 6})
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(DISTINCT xmin::text) FROM {PulseTally._meta.db_table}")  # noqa: S608
        assert cursor.fetchone()[0] == 1  # every counter was rewritten by the latest answer


def test_only_members_of_a_team_answer(world):
    for outsider in (world.manager, world.auditor, world.partner):
        response = _client(outsider).post("/pulse/", ANSWERS)
        assert response.status_code in (200, 302)
    assert not PulseTally.objects.exists() and not PulseMarker.objects.exists()
    with pytest.raises(PermissionError):
        pulse.pulse_answer(user=world.stranger, team=world.team, answers=ANSWERS)


def test_a_month_is_shown_to_the_team_only_with_five_respondents(world):
    members = [world.worker, world.consultant, world.second_worker, world.instructor]
    for n, user in enumerate(members):
        pulse.pulse_answer(user=user, team=world.team, answers={"load": n, "energy": 5, "meaning": 9, "safety": 8})
    month = pulse.month_of(datetime.date.today())
    assert pulse.team_months(world.team, [month])[0][1].hidden
    pulse.pulse_answer(user=world.coordinator, team=world.team, answers={"load": 10, "energy": 5, "meaning": 9, "safety": 8})
    shown = pulse.team_months(world.team, [month])[0][1]
    assert not shown.hidden and shown.respondents == 5
    assert shown.means["load"] == pytest.approx((0 + 1 + 2 + 3 + 10) / 5)  # 3.2
    body = _client(world.therapist).get("/pulse/").content.decode()
    assert "3,2" in body


def test_staff_turnover_and_vacancies_from_memberships_by_hand(world):
    team = f.team(world.county, world.team.unit, "Vaihtuva tiimi")
    start, today = datetime.date(2026, 1, 1), datetime.date(2026, 12, 1)
    stay = _members(team, 3)
    Membership.objects.filter(team=team).update(started_on=datetime.date(2025, 1, 1))
    leaver = f.member(team, TeamRole.FAMILY_THERAPIST)
    Membership.objects.filter(user=leaver).update(started_on=datetime.date(2025, 1, 1), ended_on=datetime.date(2026, 6, 30))
    joiner = f.member(team, TeamRole.CONSULTANT)
    Membership.objects.filter(user=joiner).update(started_on=datetime.date(2026, 7, 1))
    s = pulse.staffing([team], start, today)[team.pk]
    assert (s.headcount_at_start, s.headcount, s.joined, s.left) == (4, 4, 1, 1)
    assert s.turnover_percent == 25  # 1 leaver / mean headcount 4
    # systemic structure: consultant, social worker, instructor, coordinator, therapist
    assert set(s.missing_roles) == {"social_instructor", "coordinator", "family_therapist"}
    del stay


def test_the_county_report_hides_a_small_team_and_a_second_one_beside_it(world):
    # world.team: 6 members answer; world.other_team: 2 members; the kind's total would give it back
    for user in (world.worker, world.consultant, world.second_worker, world.instructor, world.coordinator, world.therapist):
        pulse.pulse_answer(user=user, team=world.team, answers=ANSWERS)
    extra = _members(world.other_team, 1)
    for user in (world.stranger, *extra):
        pulse.pulse_answer(user=user, team=world.other_team, answers=ANSWERS)
    today = datetime.date.today()
    first_of_next = (pulse.month_of(today) + datetime.timedelta(days=32)).replace(day=1)
    report = county_report(world.county.pk, today=first_of_next)  # the pulse month is the last full one
    rows = {row.team.pk: row.staffing.pulse for row in report.teams}
    assert rows[world.other_team.pk].hidden
    kind = next(k for k in report.kinds if k.kind == "systemic")
    assert kind.staffing.pulse.hidden or rows[world.team.pk].hidden  # no subtraction gives the two back
    csv = _client(world.manager).get("/evaluation/county/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "pulse_respondents" in csv.splitlines()[0]


def test_the_county_figures_in_the_api_carry_staffing_and_the_pulse_hidden_under_five(world, time_machine):
    for user in (world.worker, world.consultant, world.second_worker, world.instructor, world.coordinator, world.therapist):
        pulse.pulse_answer(user=user, team=world.team, answers=ANSWERS)
    pulse.pulse_answer(user=world.stranger, team=world.other_team, answers=ANSWERS)
    first_of_next = (pulse.month_of(datetime.date.today()) + datetime.timedelta(days=32)).replace(day=1)
    time_machine.move_to(datetime.datetime.combine(first_of_next, datetime.time(12)))
    data = _client(world.manager).get("/api/v1/evaluation/county").json()
    assert data["pulse_month"] == pulse.month_of(datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    teams = {t["team"]: t["staffing"] for t in data["teams"]}
    small = teams[world.other_team.name]["pulse"]
    assert small == {"hidden": True, "respondents": None, "means": dict.fromkeys(["load", "energy", "meaning", "safety"])}
    kind = data["kinds"][0]["staffing"]["pulse"]  # both teams are systemic: the total would give B back
    assert kind["hidden"] or teams[world.team.name]["pulse"]["hidden"]
    assert teams[world.team.name]["headcount"] == 6 and teams[world.team.name]["vacancies"] == 0
