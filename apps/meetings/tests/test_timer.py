"""The discussion clock counts running time only: a pause while the team discusses another family
is not time spent on this one, and the fidelity figure 'minutes per case' follows."""

import datetime

import time_machine
from django.test import Client
from django.utils import timezone

from apps.evaluation.selectors import Period, team_fidelity
from apps.meetings.models import AgendaItem, Meeting, minutes_of
from tests import factories as f


def _two_items(world, starts_at):
    meeting = Meeting.objects.create(county=world.county, team=world.team, starts_at=starts_at, created_by=world.coordinator)
    first = AgendaItem.objects.create(county=world.county, meeting=meeting, family=world.family, position=1, planned_minutes=5)
    other = f.family(world.team, "Lahtinen", worker=world.worker)
    second = AgendaItem.objects.create(county=world.county, meeting=meeting, family=other, position=2, planned_minutes=5)
    return meeting, first, second


def _press(client, item, run):
    url = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    response = client.post(f"{url}timer/", {"run": run})
    assert response.status_code == 302 and response["Location"] == f"{url}#timer", response


def test_a_paused_discussion_counts_only_its_running_time(client, world):
    """Start, stop after 65 s, discuss another family for 120 s, resume for 5 s: 70 s, not 3 min."""
    now = timezone.now().replace(microsecond=0)
    meeting, first, second = _two_items(world, now)
    client.force_login(world.coordinator)
    with time_machine.travel(now, tick=False) as clock:
        _press(client, first, "start")
        clock.shift(65)
        _press(client, first, "stop")
        _press(client, second, "start")
        clock.shift(120)
        _press(client, first, "start")  # resuming the first stops the second
        clock.shift(5)
        _press(client, first, "stop")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.discussed_seconds, second.discussed_seconds) == (70, 120)
    assert (first.discussed_minutes, second.discussed_minutes) == (1, 2)
    assert not first.is_running and not second.is_running
    assert first.started_at == now and first.ended_at == now + datetime.timedelta(seconds=190)  # first start, last stop
    body = client.get(f"/meetings/{meeting.pk}/items/{first.pk}/").content.decode()
    assert "Käsitelty 1 min" in body and "Käsitelty 3 min" not in body


def test_minutes_round_to_the_nearest_and_never_read_zero():
    assert [minutes_of(s) for s in (1, 29, 70, 89, 90, 150, 3600)] == [1, 1, 1, 1, 2, 3, 60]


def test_approval_stops_a_running_clock_with_its_time(world):
    from apps.meetings import services
    from apps.meetings.access import open_item, open_meeting
    from apps.meetings.models import Attendance

    now = timezone.now().replace(microsecond=0)
    meeting, first, _second = _two_items(world, now - datetime.timedelta(hours=1))
    Attendance.objects.create(meeting=meeting, user=world.consultant, role=Attendance.Role.CHAIR)
    with time_machine.travel(now, tick=False) as clock:
        _meeting, item_access = open_item(world.coordinator, meeting.pk, first.pk)
        services.item_timer(access=item_access, item=item_access.resource, start=True)
        clock.shift(600)
        services.meeting_approve(access=open_meeting(world.consultant, meeting.pk))
    first.refresh_from_db()
    assert first.discussed_seconds == 600 and not first.is_running


def test_fidelity_minutes_per_case_count_running_time(world):
    """Two 30-minute discussions, each paused for 20 minutes in the middle: 30 min per case, not 50."""
    day = datetime.date(2026, 2, 3)
    starts = datetime.datetime.combine(day, datetime.time(9), tzinfo=timezone.get_current_timezone())
    meeting, first, second = _two_items(world, starts)
    AgendaItem.objects.filter(pk__in=[first.pk, second.pk]).update(planned_minutes=30)
    client = Client()
    with time_machine.travel(starts, tick=False) as clock:
        client.force_login(world.coordinator)  # signed in that morning
        for item in (first, second):
            _press(client, item, "start")
            clock.shift(15 * 60)
            _press(client, item, "stop")
            clock.shift(20 * 60)
            _press(client, item, "start")
            clock.shift(15 * 60)
            _press(client, item, "stop")
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.APPROVED)
    fid = team_fidelity(world.team, period=Period(datetime.date(2026, 2, 2), datetime.date(2026, 3, 1), 1))
    minutes = fid["minutes_per_case"]
    assert (minutes.numerator, minutes.denominator) == (30, 30)
