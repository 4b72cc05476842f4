"""The weekly meeting from agenda to approved record, as a coordinator and a chair would run it."""

import datetime

from django.utils import timezone

from apps.audit.models import AccessLogEntry, EntryKind
from apps.meetings.models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep
from tests import factories as f

TODAY = timezone.localdate()


def _meeting(client, world, when=None):
    client.force_login(world.coordinator)
    when = when or timezone.localtime() + datetime.timedelta(days=1)
    response = client.post(f"/teams/{world.team.pk}/meetings/", {"starts_at": when.strftime("%Y-%m-%dT%H:%M"), "room": "Kuusi"})
    assert response.status_code == 302
    return Meeting.objects.latest("id")


def test_proposals_say_why_and_the_coordinator_builds_the_agenda(client, world):
    new_family = f.family(world.team, "Uusitalo", children=1, worker=world.worker, opened=TODAY - datetime.timedelta(days=3))
    meeting = _meeting(client, world)
    page = client.get(f"/meetings/{meeting.pk}/")
    proposals = {p.family.name: p.reasons for p in page.context["proposals"]}
    assert "new_relationship" in proposals["Uusitalo"] and "not_discussed" in proposals["Mäkinen"]
    assert "Salainen" not in proposals  # another team's family
    for fam in (world.family, new_family):
        added = client.post(f"/meetings/{meeting.pk}/agenda/", {"family": fam.pk, "reason": proposals[fam.name]})
        assert added.status_code == 302 and added["Location"] == f"/meetings/{meeting.pk}/#proposals-h"
    items = list(meeting.items.order_by("position"))
    assert [i.family.name for i in items] == ["Mäkinen", "Uusitalo"] and items[0].presenter == world.worker
    client.post(f"/meetings/{meeting.pk}/agenda/{items[0].pk}/move/", {"direction": "down"})
    assert [i.family.name for i in meeting.items.order_by("position")] == ["Uusitalo", "Mäkinen"]
    assert "Mäkinen" not in {p.family.name for p in client.get(f"/meetings/{meeting.pk}/").context["proposals"]}
    client.post(f"/meetings/{meeting.pk}/agenda/{items[1].pk}/remove/")
    assert [i.family.name for i in meeting.items.all()] == ["Mäkinen"]


def test_other_families_cannot_be_added(client, world):
    meeting = _meeting(client, world)
    response = client.post(f"/meetings/{meeting.pk}/agenda/", {"family": world.other_family.pk})
    assert response.status_code == 400 and "Perhettä ei löytynyt tämän tiimin perheistä." in response.content.decode()
    assert not meeting.items.exists()


def test_worker_cannot_prepare_the_agenda(client, world):
    meeting = _meeting(client, world)
    client.force_login(world.worker)
    assert client.post(f"/meetings/{meeting.pk}/agenda/", {"family": world.family.pk}).status_code == 403


def _record_data(item, **fields):
    """The record form as a browser sends it: every field, the version and each field's value as read."""
    data = {name: getattr(item, name) for name in AgendaItem.RECORD_FIELDS}
    bases = {f"base_{name}": value for name, value in data.items()}
    return {"version": item.version, **data, **bases, **fields}


def _record_url(item):
    return f"/meetings/{item.meeting_id}/items/{item.pk}/record/"


def test_record_conflict_is_shown_and_resolvable(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    url = _record_url(item)
    coordinator, consultant = client, type(client)()
    coordinator.force_login(world.coordinator)
    consultant.force_login(world.consultant)
    loaded = AgendaItem.objects.get(pk=item.pk)
    # Different fields: merged without asking.
    assert consultant.post(url, _record_data(loaded, reflections="Terapeutti: isän ääni puuttuu.")).status_code == 302
    assert coordinator.post(url, _record_data(loaded, child_view="Onni: koulu on kiva.")).status_code == 302
    current = AgendaItem.objects.get(pk=item.pk)
    assert (current.reflections, current.child_view) == ("Terapeutti: isän ääni puuttuu.", "Onni: koulu on kiva.")
    # The same field: a conflict, both texts shown, nothing overwritten.
    assert consultant.post(url, _record_data(loaded, what_we_know="Puheenjohtaja: muutto kesällä.")).status_code == 302
    response = coordinator.post(url, _record_data(loaded, what_we_know="Koulu: poissaoloja 12 tuntia."))
    body = response.content.decode()
    assert response.status_code == 409
    assert "Koulu: poissaoloja 12 tuntia." in body and "Puheenjohtaja: muutto kesällä." in body  # mine kept, theirs shown
    assert 'id="conflict-what_we_know"' in body and "Pidä molemmat" in body
    current.refresh_from_db()
    assert current.what_we_know == "Puheenjohtaja: muutto kesällä."
    # Keep both: a plain form submit of the conflict page's button.
    form = response.context["record_form"]
    resolved = {**{name: form[name].value() for name in AgendaItem.RECORD_FIELDS}, "version": form["version"].value()}
    resolved |= {f"base_{n}": form[f"base_{n}"].value() for n in AgendaItem.RECORD_FIELDS}
    resolved |= {"open_conflict": ["what_we_know"], "resolve_what_we_know": "both"}
    assert coordinator.post(url, resolved).status_code == 302
    current.refresh_from_db()
    assert current.what_we_know == "Puheenjohtaja: muutto kesällä.\n\nKoulu: poissaoloja 12 tuntia."
    assert current.reflections == "Terapeutti: isän ääni puuttuu." and current.child_view == "Onni: koulu on kiva."


def test_hypotheses_evolve_and_steps_are_small_and_dated(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    url = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    client.force_login(world.coordinator)
    old = Hypothesis.objects.get(family=world.family)
    client.post(f"{url}hypotheses/", {"text": "Väsymys kertoo huolesta isän terveydestä.", "perspective": "lapsi", "revises": old.pk})
    old.refresh_from_db()
    assert old.status == "revised" and Hypothesis.objects.filter(family=world.family, status="active").count() == 1
    bad = client.post(
        f"{url}steps/", {"what": "Kotikäynti", "owner": world.worker.pk, "due_on": (TODAY - datetime.timedelta(days=2)).isoformat()}
    )
    assert bad.status_code == 400 and "ennen kokousta" in bad.content.decode()
    client.post(
        f"{url}steps/", {"what": "Kotikäynti", "owner": world.worker.pk, "due_on": (TODAY + datetime.timedelta(days=2)).isoformat()}
    )
    assert PlanStep.objects.filter(family=world.family, what="Kotikäynti", owner=world.worker).exists()
    client.force_login(world.worker)
    mine = client.get("/steps/").context["steps"]
    assert {s.what for s in mine} >= {"Kotikäynti", "Soita koululle"}
    step = PlanStep.objects.get(what="Kotikäynti")
    client.post(f"/steps/{step.pk}/status/", {"status": "done", "next": "/steps/"})
    step.refresh_from_db()
    assert step.status == "done" and step.done_on == TODAY


def test_only_the_chair_approves_and_approved_records_do_not_change(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    client.force_login(world.coordinator)
    approve = f"/meetings/{item.meeting_id}/approve/"
    assert client.post(approve).status_code == 403
    client.force_login(world.consultant)
    refused = client.post(approve)
    assert refused.status_code == 400 and "Kirjaa ensin, ketkä olivat paikalla" in refused.content.decode()
    item.meeting.refresh_from_db()
    assert item.meeting.status != "approved"
    Attendance.objects.create(meeting=item.meeting, user=world.consultant, role=Attendance.Role.CHAIR)
    assert client.post(approve).status_code == 302
    item.meeting.refresh_from_db()
    assert item.meeting.status == "approved" and item.meeting.approved_by == world.consultant
    loaded = AgendaItem.objects.get(pk=item.pk)
    response = client.post(_record_url(item), _record_data(loaded, what_we_know="muutos"))
    assert response.status_code == 400 and "hyväksytty" in response.content.decode()
    loaded.refresh_from_db()
    assert loaded.what_we_know == "Perhe on muuttanut kesällä."


def test_family_summary_hides_internal_notes_and_pdf_is_a_logged_disclosure(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    base = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    client.force_login(world.worker)
    html = client.get(f"{base}summary/").content.decode()
    assert "Puhuimme arjen rytmistä." in html and "Soita koululle" in html
    assert "Sisäinen" not in html and "Perhe on muuttanut" not in html and "Salainen" not in html
    assert client.get(f"{base}summary/?format=pdf").status_code == 302  # not shared yet
    client.post(f"{base}share/")
    assert "What happens next" in client.get(f"{base}summary/?lang=en").content.decode()  # English, as the UI
    pdf = client.get(f"{base}summary/?format=pdf&lang=sv")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    entry = AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE).latest("id")
    assert entry.view_name == "meeting-summary" and entry.family_id == world.family.pk


def test_family_page_shows_discussions_and_team_page_last_discussed(client, world):
    f.meeting_item(world.family, world.worker)
    client.force_login(world.therapist)
    body = client.get(f"/families/{world.family.pk}/").content.decode()
    assert "Väsymys kertoo yksinäisyydestä." in body and "Soita koululle" in body
    rows = {fam.name: fam for fam in client.get(f"/teams/{world.team.pk}/").context["families"]}
    assert rows["Mäkinen"].last_discussed is not None and rows["Mäkinen"].open_steps == 1
    assert "Kaikki perheen tiimikeskustelut" not in body  # one discussion: nothing more to show


def test_family_page_shows_the_latest_discussions_and_links_to_all_of_them(client, world):
    from apps.meetings.selectors import RECENT_DISCUSSIONS

    now, items = timezone.now(), []
    for weeks_ago in range(RECENT_DISCUSSIONS + 2, 0, -1):
        meeting = Meeting.objects.create(
            county=world.county, team=world.team, starts_at=now - datetime.timedelta(weeks=weeks_ago), created_by=world.worker
        )
        items.append(AgendaItem.objects.create(county=world.county, meeting=meeting, family=world.family, position=1))
    client.force_login(world.worker)
    body = client.get(f"/families/{world.family.pk}/").content.decode()
    shown = [i for i in items if f"/items/{i.pk}/" in body]
    assert shown == items[-RECENT_DISCUSSIONS:]  # the latest few
    assert body.index(f"/items/{items[-1].pk}/") < body.index(f"/items/{items[-2].pk}/")  # newest first
    assert f'href="/families/{world.family.pk}/discussions/"' in body
    history = client.get(f"/families/{world.family.pk}/discussions/").content.decode()
    positions = [history.index(f"/items/{i.pk}/") for i in items]
    assert positions == sorted(positions)  # all of them, oldest first
    assert AccessLogEntry.objects.filter(view_name="family-discussions", family_id=world.family.pk, actor=world.worker).exists()


def test_the_summary_can_be_shared_after_the_chair_approved(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    Meeting.objects.filter(pk=item.meeting_id).update(status=Meeting.Status.APPROVED)
    url = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    client.force_login(world.therapist)  # reads, does not keep the register
    assert "Merkitse jaetuksi perheelle" not in client.get(url).content.decode()
    client.force_login(world.worker)
    page = client.get(url).content.decode()
    assert "Merkitse jaetuksi perheelle" in page and "<textarea" not in page
    assert client.post(f"{url}share/").status_code == 302
    item.refresh_from_db()
    assert item.summary_shared_at is not None


def test_team_meetings_page_through_older_meetings_newest_first(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    meetings = [
        Meeting.objects.create(county=world.county, team=world.team, starts_at=now - datetime.timedelta(weeks=w), created_by=world.worker)
        for w in range(1, 36)
    ]  # newest first: meetings[0] was a week ago
    client.force_login(world.worker)
    url = f"/teams/{world.team.pk}/meetings/"
    client.get(url)  # the session's first request writes it
    with CaptureQueriesContext(connection) as first_page:
        first = client.get(url).content.decode()
    assert f"/meetings/{meetings[0].pk}/" in first and f"/meetings/{meetings[29].pk}/" in first
    assert f"/meetings/{meetings[30].pk}/" not in first and "Sivu 1 / 2" in first and "?page=2" in first
    with CaptureQueriesContext(connection) as second_page:
        older = client.get(url, {"page": 2}).content.decode()
    assert all(f"/meetings/{m.pk}/" in older for m in meetings[30:]) and f"/meetings/{meetings[0].pk}/" not in older
    assert len(first_page) == len(second_page)
    assert client.get(url, {"page": "x"}).status_code == 200  # bad input shows the first page


def test_planned_minutes_out_of_range_are_refused_by_the_server_with_the_rest_kept(client, world):
    """The browser's min/max can be bypassed: 30,000 minutes once pushed every later item's clock round the day."""
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    client.force_login(world.coordinator)
    url = f"/meetings/{item.meeting_id}/items/{item.pk}/details/"
    data = {"version": item.version, "presenter": world.worker.pk, "question": "Miten tuemme isää?", "planned_minutes": 30000}
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 400 and "120" in body and "Miten tuemme isää?" in body
    item.refresh_from_db()
    assert item.planned_minutes != 30000 and item.question != "Miten tuemme isää?"
    assert client.post(url, {**data, "planned_minutes": 0}).status_code == 400
    assert client.post(url, {**data, "planned_minutes": 45, "family_attended": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.planned_minutes == 45 and item.family_attended and item.family_invited  # there means invited


def test_a_meeting_that_has_not_begun_cannot_be_approved(client, world):
    """Approval freezes the record for good; next week's meeting must stay writable."""
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(days=6))
    Attendance.objects.create(meeting=item.meeting, user=world.consultant, role=Attendance.Role.CHAIR)
    client.force_login(world.consultant)
    response = client.post(f"/meetings/{item.meeting_id}/approve/")
    assert response.status_code == 400 and "ennen kuin se on alkanut" in response.content.decode()
    item.meeting.refresh_from_db()
    assert item.meeting.status != "approved"


def test_a_summary_changed_after_sharing_waits_to_be_shared_again(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    base = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    client.force_login(world.coordinator)
    client.post(f"{base}share/")
    loaded = AgendaItem.objects.get(pk=item.pk)
    client.post(_record_url(item), _record_data(loaded, what_we_know="Sisäinen lisäys."))  # the summary as it was
    loaded.refresh_from_db()
    assert loaded.summary_shared_at is not None
    response = client.post(_record_url(item), _record_data(loaded, family_summary="Uusi teksti perheelle."), follow=True)
    assert "muuttui jakamisen jälkeen" in response.content.decode()
    loaded.refresh_from_db()
    assert loaded.summary_shared_at is None and loaded.family_summary == "Uusi teksti perheelle."
    assert client.get(f"{base}summary/?format=pdf").status_code == 302  # no PDF of an unshared text


def test_read_only_readers_see_the_items_facts_as_text(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    AgendaItem.objects.filter(pk=item.pk).update(presenter=world.worker, family_invited=True, family_attended=True, planned_minutes=35)
    client.force_login(world.therapist)
    body = client.get(f"/meetings/{item.meeting_id}/items/{item.pk}/").content.decode()
    card = body[body.index('id="item-h"') :].split("</section>")[0]
    assert world.worker.get_full_name() in card and "35" in card and "perhe paikalla" in card and "kyllä" in card


def test_meeting_and_step_dates_far_from_now_are_refused_as_typos(client, world):
    client.force_login(world.coordinator)
    typo = client.post(f"/teams/{world.team.pk}/meetings/", {"starts_at": "1999-01-01T08:30", "room": "Kuusi"})
    assert typo.status_code == 200 and "enintään vuoden päässä" in typo.content.decode() and 'value="Kuusi"' in typo.content.decode()
    assert not Meeting.objects.filter(room="Kuusi").exists()
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    url = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    far = client.post(f"{url}steps/", {"what": "Varaa aika neuvolaan", "owner": world.worker.pk, "due_on": "2099-01-01"})
    assert "vuoden sisällä kokouksesta" in far.content.decode() and not item.steps.filter(what="Varaa aika neuvolaan").exists()


def test_the_familys_summary_shows_a_done_step_as_done(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    step = item.steps.get()
    PlanStep.objects.filter(pk=step.pk).update(status=PlanStep.Status.DONE, done_on=TODAY)
    client.force_login(world.worker)
    html = client.get(f"/meetings/{item.meeting_id}/items/{item.pk}/summary/").content.decode()
    line = html[html.index(step.what) :].split("</li>")[0]
    assert "tehty" in line and "viimeistään" not in line


def test_a_summary_cannot_be_shared_before_the_meeting(client, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(days=6))
    client.force_login(world.coordinator)
    response = client.post(f"/meetings/{item.meeting_id}/items/{item.pk}/share/")
    assert response.status_code == 400 and "kun kokous on alkanut" in response.content.decode()
    item.refresh_from_db()
    assert item.summary_shared_at is None
