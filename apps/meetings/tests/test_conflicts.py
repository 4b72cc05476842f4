"""Nothing typed is lost: every form over a meeting's shared state carries the version and the values
it was read with, and the server merges a save field by field. Two people changing different things
both keep them; two changing the same thing get a conflict with both versions, never a silent
overwrite."""

import datetime
import json

from django.test import Client
from django.utils import timezone, translation

from apps.meetings.models import RECORD_MAX_LENGTH, AgendaItem, Attendance
from tests import factories as f

HTMX = {"HX-Request": "true"}


def _open(client, url, form_name, **kw):
    """The form `form_name` as this person's browser holds it after opening `url`: every field's
    value, the version and the bases, as a browser would send them back."""
    page = client.get(url, **kw)
    assert page.status_code == 200
    form = page.context[form_name]
    data = {}
    for bound in form:
        value = bound.value()
        if bound.name.startswith("resolve_") or bound.name == "open_conflict":
            continue
        if value is None or value is False:
            continue
        data[bound.name] = "on" if value is True else value
    return data


def _people(world):
    a, b = Client(), Client()
    a.force_login(world.coordinator)
    b.force_login(world.consultant)
    return a, b


def test_two_people_saving_the_question_for_the_team_the_second_gets_both_texts_not_an_overwrite(world):
    """Reproduction: both open the item page and edit 'Kysymys tiimille'; the first text was lost
    and both saw 'Tallennettu.'."""
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    page = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    a, b = _people(world)
    read_a, read_b = _open(a, page, "item_form"), _open(b, page, "item_form")
    assert a.post(f"{page}details/", {**read_a, "question": "A: miten isä jaksaa?"}).status_code == 302
    response = b.post(f"{page}details/", {**read_b, "question": "B: mitä lapsi toivoo?"})
    body = response.content.decode()
    assert response.status_code == 409 and "Tallennettu." not in body
    assert "A: miten isä jaksaa?" in body and "B: mitä lapsi toivoo?" in body  # theirs shown, mine kept in the field
    item.refresh_from_db()
    assert item.question == "A: miten isä jaksaa?"
    # Keep both: the conflict panel's button is a plain form submit.
    shown = response.context["item_form"]
    again = {**_form_data(shown), "open_conflict": "question", "resolve_question": "both"}
    assert b.post(f"{page}details/", again).status_code == 302
    item.refresh_from_db()
    assert item.question == "A: miten isä jaksaa?\n\nB: mitä lapsi toivoo?"


def _form_data(form):
    data = {}
    for bound in form:
        value = bound.value()
        if bound.name.startswith("resolve_") or bound.name == "open_conflict" or value is None or value is False:
            continue
        data[bound.name] = "on" if value is True else value
    return data


def test_item_details_changed_by_two_people_in_different_fields_are_both_kept(world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    page = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    a, b = _people(world)
    read_a, read_b = _open(a, page, "item_form"), _open(b, page, "item_form")
    assert a.post(f"{page}details/", {**read_a, "planned_minutes": "45"}).status_code == 302
    assert b.post(f"{page}details/", {**read_b, "presenter": world.second_worker.pk, "family_invited": "on"}).status_code == 302
    item.refresh_from_db()
    assert (item.planned_minutes, item.presenter, item.family_invited) == (45, world.second_worker, True)


def test_a_presenter_chosen_by_two_people_differently_is_a_choice_of_mine_or_theirs(world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    page = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    a, b = _people(world)
    read_a, read_b = _open(a, page, "item_form"), _open(b, page, "item_form")
    a.post(f"{page}details/", {**read_a, "presenter": world.second_worker.pk})
    response = b.post(f"{page}details/", {**read_b, "presenter": world.instructor.pk})
    body = response.content.decode()
    assert response.status_code == 409
    panel = body[body.index('id="conflict-presenter"') :].split("</div>")[0]
    assert world.second_worker.get_full_name() in panel and "Pidä molemmat" not in panel  # two names cannot both present
    assert (
        b.post(
            f"{page}details/", {**_form_data(response.context["item_form"]), "open_conflict": "presenter", "resolve_presenter": "theirs"}
        ).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.presenter == world.second_worker


def test_the_items_form_does_not_undo_attendance_ticked_on_the_meeting_page(world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    page = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    a, b = _people(world)
    details = _open(a, page, "item_form")
    attendance = _open(b, f"/meetings/{item.meeting_id}/", "attendance_form")
    assert b.post(f"/meetings/{item.meeting_id}/attendance/", {**attendance, f"family_{item.pk}": "on"}).status_code == 302
    assert a.post(f"{page}details/", {**details, "question": "Uusi kysymys"}).status_code == 302
    item.refresh_from_db()
    assert item.family_attended and item.question == "Uusi kysymys"


def test_two_coordinators_ticking_attendance_keep_both_and_a_clash_asks(world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    meeting_page = f"/meetings/{item.meeting_id}/"
    url = f"{meeting_page}attendance/"
    a, b = _people(world)
    read_a, read_b = _open(a, meeting_page, "attendance_form"), _open(b, meeting_page, "attendance_form")
    worker, therapist = world.worker.pk, world.therapist.pk
    assert a.post(url, {**read_a, f"present_{worker}": "on"}).status_code == 302
    assert b.post(url, {**read_b, f"present_{therapist}": "on"}).status_code == 302
    assert dict(Attendance.objects.filter(meeting=item.meeting).values_list("user_id", "role")) == {
        worker: "worker",
        therapist: "therapist",
    }
    # Both change the worker: one to chair, the other to absent.
    read_a, read_b = _open(a, meeting_page, "attendance_form"), _open(b, meeting_page, "attendance_form")
    assert a.post(url, {**read_a, f"role_{worker}": "chair"}).status_code == 302
    mine = {k: v for k, v in read_b.items() if k != f"present_{worker}"}
    response = b.post(url, mine)
    body = response.content.decode()
    assert response.status_code == 409 and 'id="conflict-present_' in body
    section = body[body.index('id="attendance"') :].split("</section>")[0]
    assert "puheenjohtaja" in section[section.index(f'id="conflict-present_{worker}"') :]  # theirs shown
    assert Attendance.objects.get(meeting=item.meeting, user_id=worker).role == "chair"  # nothing overwritten
    choice = {**_form_data(response.context["attendance_form"]), "open_conflict": f"present_{worker}", f"resolve_present_{worker}": "mine"}
    assert b.post(url, choice).status_code == 302
    assert not Attendance.objects.filter(meeting=item.meeting, user_id=worker).exists()
    assert Attendance.objects.filter(meeting=item.meeting, user_id=therapist).exists()


def test_autosave_answers_the_status_with_the_time_and_the_new_version(world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    page = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    client = Client()
    client.force_login(world.coordinator)
    read = _open(client, page, "record_form")
    response = client.post(f"{page}record/", {**read, "reflections": "Isän ääni puuttuu."}, headers=HTMX)
    body = response.content.decode()
    item.refresh_from_db()
    assert response.status_code == 200 and item.reflections == "Isän ääni puuttuu."
    now = timezone.localtime()
    with translation.override("fi"):
        from django.utils import formats

        assert (
            f"Tallennettu klo {formats.time_format(now)}" in body
            or f"Tallennettu klo {formats.time_format(now - datetime.timedelta(minutes=1))}" in body
        )
    assert f'name="version" value="{item.version}"' in body
    assert 'id="id_base_reflections"' in body and 'id="field-reflections"' not in body  # my text stays as I typed it
    assert "<textarea" not in body


def test_autosave_with_a_conflict_keeps_mine_in_the_field_and_shows_theirs_then_keep_both(world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    page = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    a, b = _people(world)
    read_a, read_b = _open(a, page, "record_form"), _open(b, page, "record_form")
    a.post(f"{page}record/", {**read_a, "what_we_know": "Puheenjohtaja: muutto.", "family_view": "Äiti: apua iltoihin."}, headers=HTMX)
    response = b.post(
        f"{page}record/", {**read_b, "what_we_know": "Koordinaattori: isä työtön.", "reflections": "Tukiverkko katkesi."}, headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert 'id="field-what_we_know"' in body and "Puheenjohtaja: muutto." in body and "Koordinaattori: isä työtön." in body
    assert 'id="field-family_view"' in body and "Äiti: apua iltoihin." in body  # only they changed it: theirs into my form
    item.refresh_from_db()
    assert (item.what_we_know, item.family_view, item.reflections) == (
        "Puheenjohtaja: muutto.",
        "Äiti: apua iltoihin.",
        "Tukiverkko katkesi.",
    )
    # The browser's form now holds the new version, theirs as the base and the open conflict.
    version = body.split('name="version" value="')[1].split('"')[0]
    resolve = {
        **read_b,
        "version": version,
        "what_we_know": "Koordinaattori: isä työtön.",
        "base_what_we_know": "Puheenjohtaja: muutto.",
        "family_view": "Äiti: apua iltoihin.",
        "base_family_view": "Äiti: apua iltoihin.",
        "reflections": "Tukiverkko katkesi.",
        "base_reflections": "Tukiverkko katkesi.",
        "open_conflict": "what_we_know",
        "resolve_what_we_know": "both",
    }
    response = b.post(f"{page}record/", resolve, headers=HTMX)
    assert response.status_code == 200 and 'id="conflict-what_we_know"' not in response.content.decode()
    assert "autofocus" in response.content.decode()  # back to the field that was resolved
    item.refresh_from_db()
    assert item.what_we_know == "Puheenjohtaja: muutto.\n\nKoordinaattori: isä työtön."


def test_autosave_does_not_resolve_a_conflict_left_open(world):
    """While a conflict is shown, saving other fields leaves the conflicting one as stored."""
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    url = f"/meetings/{item.meeting_id}/items/{item.pk}/record/"
    client = Client()
    client.force_login(world.coordinator)
    AgendaItem.objects.filter(pk=item.pk).update(what_we_know="Toisen teksti.", version=item.version + 1)
    data = {
        "version": item.version + 1,
        "what_we_know": "Oma teksti.",
        "base_what_we_know": "Toisen teksti.",
        "open_conflict": "what_we_know",
        "reflections": "Jatkan kirjoittamista.",
        "base_reflections": "",
    }
    response = client.post(url, data, headers=HTMX)
    assert response.status_code == 409
    item.refresh_from_db()
    assert (item.what_we_know, item.reflections) == ("Toisen teksti.", "Jatkan kirjoittamista.")


def test_a_text_longer_than_a_record_field_holds_is_refused_with_a_message_by_the_form_and_the_api(world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    client = Client()
    client.force_login(world.coordinator)
    long = "a" * (RECORD_MAX_LENGTH + 1)
    form = client.post(f"/meetings/{item.meeting_id}/items/{item.pk}/record/", {"version": item.version, "reflections": long})
    assert form.status_code == 400 and str(RECORD_MAX_LENGTH) in form.content.decode() and long in form.content.decode()
    api = client.patch(
        f"/api/v1/meetings/{item.meeting_id}/items/{item.pk}/record",
        data=json.dumps({"version": item.version, "reflections": long}),
        content_type="application/json",
        headers={"Accept-Language": "fi"},
    )
    assert api.status_code == 422 and str(RECORD_MAX_LENGTH) in json.dumps(api.json()["detail"])
    item.refresh_from_db()
    assert item.reflections == ""
