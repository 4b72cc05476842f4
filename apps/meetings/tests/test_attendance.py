"""Who was there and how long each case was discussed: recorded on the meeting page by ticking boxes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.meetings import selectors, services
from apps.meetings.models import AgendaItem, Attendance, Meeting
from tests import factories as f


def _meeting(world, **kw):
    starts = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
    return Meeting.objects.create(county=world.county, team=world.team, starts_at=starts, created_by=world.coordinator, **kw)


def _item(meeting, family, position=1, minutes=20):
    return AgendaItem.objects.create(county=meeting.county, meeting=meeting, family=family, position=position, planned_minutes=minutes)


def test_roster_lists_the_team_by_meeting_role_chair_first(world):
    meeting = _meeting(world)
    roster = selectors.meeting_roster(meeting)
    assert [(r.user.username, r.role) for r in roster] == [
        ("konsultti", "chair"),
        ("terapeutti", "therapist"),
        ("koordinaattori", "coordinator"),
        ("ohjaaja", "worker"),
        ("sosiaalityontekija", "worker"),
        ("toinen_tyontekija", "worker"),
    ]
    assert all(r.attended_role is None for r in roster)
    assert roster[0].team_role_labels == "konsultoiva sosiaalityöntekijä"


def test_coordinator_ticks_who_was_there_and_whether_family_and_partner_came(client, world):
    meeting = _meeting(world)
    makinen = _item(meeting, world.family)
    other = _item(meeting, f.family(world.team, "Lahtinen", worker=world.worker), position=2)
    AgendaItem.objects.filter(pk=makinen.pk).update(
        started_at=meeting.starts_at, ended_at=meeting.starts_at + datetime.timedelta(minutes=25), discussed_seconds=25 * 60
    )
    client.force_login(world.coordinator)
    page = client.get(f"/meetings/{meeting.pk}/")
    body = page.content.decode()
    assert "Kaisa Konsultti" in body and "Ville Vieras" not in body  # the team only
    assert "25 min" in body and "(suunniteltu 20 min)" in body  # time per case from start/stop
    before = AccessLogEntry.objects.count()
    response = client.post(
        f"/meetings/{meeting.pk}/attendance/",
        {
            "version": meeting.attendance_version,
            f"present_{world.consultant.pk}": "on",
            f"role_{world.consultant.pk}": "chair",
            f"present_{world.therapist.pk}": "on",
            f"role_{world.therapist.pk}": "therapist",
            f"present_{world.coordinator.pk}": "on",
            f"role_{world.coordinator.pk}": "coordinator",
            f"present_{world.worker.pk}": "on",
            f"role_{world.worker.pk}": "worker",
            f"role_{world.second_worker.pk}": "worker",
            f"role_{world.instructor.pk}": "worker",
            f"family_{makinen.pk}": "on",
            f"partner_{other.pk}": "on",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#attendance-h")
    assert dict(Attendance.objects.filter(meeting=meeting).values_list("user__username", "role")) == {
        "konsultti": "chair",
        "terapeutti": "therapist",
        "koordinaattori": "coordinator",
        "sosiaalityontekija": "worker",
    }
    makinen.refresh_from_db()
    other.refresh_from_db()
    assert (makinen.family_attended, makinen.partner_attended) == (True, False)
    assert (other.family_attended, other.partner_attended) == (False, True)
    entries = AccessLogEntry.objects.filter(view_name="meeting-attendance", action="edit")
    assert {e.family_id for e in entries} == {makinen.family_id, other.family_id} and AccessLogEntry.objects.count() > before
    page = client.get(f"/meetings/{meeting.pk}/")
    form = page.context["attendance_form"]
    assert form[f"present_{world.consultant.pk}"].value() and not form[f"present_{world.second_worker.pk}"].value()
    assert "perhe paikalla" in page.content.decode()


def test_a_refused_attendance_shows_its_message_at_the_form_and_keeps_the_roles_chosen(client, world):
    """Two chairs: refused with the message in the attendance section (not at the top of the page,
    not after a jump to the agenda), every box and role as the coordinator left them."""
    meeting = _meeting(world)
    client.force_login(world.coordinator)
    data = {"version": meeting.attendance_version}
    for u in (world.consultant, world.worker):
        data |= {f"present_{u.pk}": "on", f"role_{u.pk}": "chair"}
    for u in (world.therapist, world.coordinator, world.second_worker, world.instructor):
        data[f"role_{u.pk}"] = "worker"
    response = client.post(f"/meetings/{meeting.pk}/attendance/", data)
    assert response.status_code == 400
    body = response.content.decode()
    section = body[body.index('id="attendance"') :]
    section = section[: section.index("</section>")]
    assert "vain yksi puheenjohtaja" in section and "vain yksi puheenjohtaja" not in body[: body.index('id="attendance"')]
    form = response.context["attendance_form"]
    assert form[f"role_{world.worker.pk}"].value() == "chair" and form[f"present_{world.worker.pk}"].value()
    assert form[f"role_{world.therapist.pk}"].value() == "worker" and not form[f"present_{world.therapist.pk}"].value()
    worker_select = section[section.index(f'name="role_{world.worker.pk}"') :].split("</select>")[0]
    assert 'value="chair" selected' in worker_select
    assert not Attendance.objects.filter(meeting=meeting).exists()
    # With htmx the same answer is the attendance section alone, the message at its form.
    partial = client.post(f"/meetings/{meeting.pk}/attendance/", data, headers={"HX-Request": "true"})
    assert partial.status_code == 400 and "<html" not in partial.content.decode()
    assert 'id="attendance"' in partial.content.decode() and "vain yksi puheenjohtaja" in partial.content.decode()


def test_only_team_members_can_be_recorded(world):
    from apps.meetings.access import open_meeting

    meeting = _meeting(world)
    with pytest.raises(ValidationError):
        services.attendance_record(access=open_meeting(world.coordinator, meeting.pk), entries={f"present_{world.stranger.pk}": "worker"})
    assert not Attendance.objects.exists()


def test_worker_and_therapist_cannot_record_attendance_and_approved_meetings_are_frozen(client, world):
    meeting = _meeting(world)
    data = {"version": 1, f"present_{world.worker.pk}": "on", f"role_{world.worker.pk}": "worker"}
    for persona in (world.worker, world.therapist):
        client.force_login(persona)
        assert client.post(f"/meetings/{meeting.pk}/attendance/", data).status_code == 403
        page = client.get(f"/meetings/{meeting.pk}/").content.decode()
        assert "Tallenna läsnäolo" not in page and "Läsnäoloa ei ole kirjattu." in page
    meeting.status = Meeting.Status.APPROVED
    meeting.save()
    client.force_login(world.consultant)
    response = client.post(f"/meetings/{meeting.pk}/attendance/", data)
    assert response.status_code == 400 and "hyväksytty" in response.content.decode()
    assert not Attendance.objects.exists()


def test_coordinator_sets_times_and_the_agenda_shows_clock_times(client, world):
    meeting = _meeting(world)
    first = _item(meeting, world.family)
    second = _item(meeting, f.family(world.team, "Lahtinen", worker=world.worker), position=2)
    client.force_login(world.coordinator)
    client.post(f"/meetings/{meeting.pk}/schedule/", {f"minutes_{first.pk}": "30", f"minutes_{second.pk}": "15"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.planned_minutes, second.planned_minutes) == (30, 15)
    body = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "klo 9.00–9.30" in body and "klo 9.30–9.45" in body  # Finnish writes the hour without a zero
    bad = client.post(f"/meetings/{meeting.pk}/schedule/", {f"minutes_{first.pk}": "500", f"minutes_{second.pk}": "20"})
    assert bad.status_code == 400 and "5–120 minuuttia" in bad.content.decode()
    assert 'value="500"' in bad.content.decode()  # what was typed stays in the field
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.planned_minutes, second.planned_minutes) == (30, 15)  # nothing saved
    assert client.post(f"/meetings/{meeting.pk}/agenda/{first.pk}/move/", {"direction": "x"}).status_code == 400


def test_meeting_page_makes_the_same_queries_with_2_and_20_items(client, world):
    """The meeting page stays responsive with a full agenda: no query per item."""
    meeting = _meeting(world)
    for u, role in ((world.consultant, "chair"), (world.coordinator, "coordinator"), (world.worker, "worker")):
        Attendance.objects.create(meeting=meeting, user=u, role=role)
    families = [world.family] + [f.family(world.team, f"Perhe{i:02d}", worker=world.worker) for i in range(19)]
    f.family(world.team, "Odottava", worker=world.worker)  # never on this agenda: proposals still weigh a family
    for n, fam in enumerate(families[:2], start=1):
        f.meeting_item(fam, world.coordinator)  # one hypothesis and one step each
        AgendaItem.objects.filter(family=fam).update(meeting=meeting, position=n, reasons=["deadline"])
    client.force_login(world.coordinator)
    url = f"/meetings/{meeting.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n, fam in enumerate(families[2:], start=3):
        f.meeting_item(fam, world.coordinator)
        AgendaItem.objects.filter(family=fam).update(
            meeting=meeting, position=n, started_at=timezone.now(), ended_at=timezone.now(), discussed_seconds=600
        )
    Meeting.objects.exclude(pk=meeting.pk).delete()
    assert meeting.items.count() == 20
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.content.decode().count('agenda-time"') == 20
    assert len(small) == len(large), [q["sql"] for q in large.captured_queries]
