"""One endpoint per action on a meeting: each parses its parameters with a form (bad input is a 400
with a message in the user's language, never a server error), works without JavaScript (a redirect
back to its section) and answers htmx with the part of the page it changed."""

import datetime

import pytest
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone, translation

from apps.audit.models import AccessLogEntry
from apps.core import marks
from apps.meetings.models import AgendaItem, Hypothesis, PlanStep
from tests import factories as f

HTMX = {"HX-Request": "true"}
BIG = "9" * 30  # beyond any integer column


def _meeting_endpoints():
    """Every POST endpoint of the meetings app, by URL name."""
    from apps.meetings import views

    for pattern in get_resolver().url_patterns:
        for p in getattr(pattern, "url_patterns", [pattern]):
            callback = getattr(p, "callback", None)
            if callback is None or callback.__module__ != views.__name__:
                continue
            if getattr(callback, "systeemi_exposure", None) in (marks.WRITE, marks.TEAM_MEETING):
                yield p.name


@pytest.fixture
def meeting(world):
    """A meeting under way with two families on the agenda: the first discussed (a hypothesis, a
    step), the second not yet."""
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() - datetime.timedelta(minutes=30))
    other = f.family(world.team, "Lahtinen", worker=world.worker)
    second = AgendaItem.objects.create(county=world.county, meeting=item.meeting, family=other, position=2)
    return item, second


def _valid(world, item, second):
    """URL and valid data of each endpoint, and the parameters to spoil (name -> junk values)."""
    m, i = item.meeting_id, item.pk
    base = f"/meetings/{m}/items/{i}/"
    hypothesis = item.hypotheses.first()
    step = item.steps.first()
    ids = ["abc", BIG, "-1", "1\x00", ""]
    texts = ["a\x00b"]
    roles = {f"role_{u.pk}": "worker" for u in (world.consultant, world.worker, world.second_worker, world.instructor, world.coordinator)}
    roles[f"role_{world.therapist.pk}"] = "therapist"
    return {
        "meeting-agenda-add": (
            f"/meetings/{m}/agenda/",
            {"family": f.family(world.team, "Uusi", worker=world.worker).pk},
            {"family": ids, "reason": ["abc", "\x00"]},
        ),
        "meeting-agenda-move": (f"/meetings/{m}/agenda/{second.pk}/move/", {"direction": "up"}, {"direction": ["abc", "", "\x00"]}),
        "meeting-agenda-remove": (f"/meetings/{m}/agenda/{second.pk}/remove/", {}, {}),
        "meeting-schedule": (f"/meetings/{m}/schedule/", {f"minutes_{i}": "30"}, {f"minutes_{i}": ["abc", BIG, "-1", "0", "1\x00", "2.5"]}),
        "meeting-attendance": (
            f"/meetings/{m}/attendance/",
            {"version": "1", **roles},
            {
                "version": ["abc", BIG, "\x00"],
                f"role_{world.worker.pk}": ["boss", "", "\x00"],
                f"base_present_{world.worker.pk}": texts,
                "open_conflict": ["nobody"],
                f"resolve_present_{world.worker.pk}": ["both", "x"],
            },
        ),
        "meeting-approve": (f"/meetings/{m}/approve/", {}, {}),
        "meeting-item-record": (
            f"{base}record/",
            {"version": str(item.version), "reflections": "Uusi", "base_reflections": ""},
            {
                "version": ["abc", BIG, ""],
                "reflections": texts + ["x" * 20_001],
                "base_reflections": texts,
                "resolve_reflections": ["abc"],
                "open_conflict": ["abc"],
            },
        ),
        "meeting-item-details": (
            f"{base}details/",
            {"version": str(item.version), "planned_minutes": "20", "question": "Q"},
            {
                "version": ["abc", BIG],
                "presenter": ["abc", BIG, str(world.stranger.pk)],
                "planned_minutes": ["abc", BIG, "0", "121"],
                "question": texts + ["x" * 1001],
                "base_question": texts,
                "resolve_question": ["all"],
            },
        ),
        "meeting-item-hypothesis-add": (
            f"{base}hypotheses/",
            {"text": "H", "perspective": "lapsi"},
            {"text": texts + [""], "perspective": texts, "revises": ids[:-1]},
        ),
        "meeting-item-hypothesis-status": (
            f"{base}hypotheses/{hypothesis.pk}/status/",
            {"status": "dropped"},
            {"status": ["abc", "revised", "", "\x00"]},
        ),
        "meeting-item-step-add": (
            f"{base}steps/",
            {"what": "Soita", "owner": world.worker.pk, "due_on": timezone.localdate().isoformat()},
            {"what": texts, "owner": ids, "due_on": ["abc", "2026-02-30", "99999-01-01", "\x00", ""]},
        ),
        "meeting-item-timer": (f"{base}timer/", {"run": "start"}, {"run": ["abc", "", "\x00"]}),
        "meeting-item-share": (f"{base}share/", {}, {}),
        "step-status": (f"/steps/{step.pk}/status/", {"status": "done"}, {"status": ["abc", "", "\x00"]}),
    }


def test_every_meeting_endpoint_refuses_junk_with_400_and_a_message_never_500(world, meeting):
    item, second = meeting
    client = Client(raise_request_exception=False)
    client.force_login(world.consultant)  # prepares, records and approves
    endpoints = _valid(world, item, second)
    assert set(_meeting_endpoints()) == set(endpoints), "a meeting endpoint without junk to try"
    checked = 0
    for name, (url, valid, junk) in endpoints.items():
        for param, values in junk.items():
            for value in values:
                before = (
                    AgendaItem.objects.filter(pk=item.pk).values("version").get(),
                    Hypothesis.objects.count(),
                    PlanStep.objects.count(),
                )
                for headers in ({}, HTMX):
                    response = client.post(url, {**valid, param: value}, headers=headers)
                    assert response.status_code == 400, f"{name}: {param}={value!r} (htmx: {bool(headers)}) -> {response.status_code}"
                    assert response.content.strip(), f"{name}: {param}={value!r}: no message"
                    checked += 1
                after = (
                    AgendaItem.objects.filter(pk=item.pk).values("version").get(),
                    Hypothesis.objects.count(),
                    PlanStep.objects.count(),
                )
                assert after == before, f"{name}: {param}={value!r} changed something"
        # Ids in the address: not a number is no such page; a huge one is no such record.
        for bad in ("abc", BIG):
            for index, part in enumerate(url.strip("/").split("/")):
                if part.isdigit():
                    parts = url.strip("/").split("/")
                    parts[index] = bad
                    response = client.post("/" + "/".join(parts) + "/", valid)
                    assert response.status_code == 404, f"{name}: {'/'.join(parts)} -> {response.status_code}"
                    checked += 1
    assert checked > 150


def test_bad_input_is_explained_in_the_users_language(world, meeting):
    item, _second = meeting
    client = Client()
    client.force_login(world.coordinator)
    url = f"/meetings/{item.meeting_id}/items/{item.pk}/timer/"
    client.post("/i18n/setlang/", {"language": "sv"})
    response = client.post(url, {"run": "abc"})
    assert response.status_code == 400 and "Välj ett giltigt alternativ" in response.content.decode()
    with translation.override("en"):
        client.post("/i18n/setlang/", {"language": "en"})
        response = client.post(f"/steps/{item.steps.first().pk}/status/", {"status": "abc"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert "<main" in response.content.decode()  # the site's layout, not Django's bare page


def test_each_action_on_the_record_answers_htmx_with_its_section_and_logs_it_under_its_name(world, meeting):
    item, _second = meeting
    endpoints = _valid(world, item, _second)
    client = Client()
    client.force_login(world.coordinator)
    for name in (
        "meeting-item-details",
        "meeting-item-hypothesis-add",
        "meeting-item-hypothesis-status",
        "meeting-item-step-add",
        "meeting-item-timer",
        "meeting-item-share",
        "meeting-item-record",
        "step-status",
    ):
        url, valid, _junk = endpoints[name]
        if name == "meeting-item-details":
            valid = {**valid, "version": AgendaItem.objects.get(pk=item.pk).version}
        last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.post(url, valid, headers=HTMX)
        body = response.content.decode()
        assert response.status_code == 200, f"{name}: {response.status_code}"
        assert "<html" not in body and 'hx-swap-oob="true"' in body, name
        names = set(AccessLogEntry.objects.filter(id__gt=last_id).values_list("view_name", flat=True))
        assert names == {name}, f"{name} logged as {names}"


def test_without_javascript_each_action_goes_back_to_its_section(world, meeting):
    item, _second = meeting
    client = Client()
    client.force_login(world.coordinator)
    endpoints = _valid(world, item, _second)
    page = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    expected = {
        "meeting-item-details": "#item",
        "meeting-item-hypothesis-add": "#hypotheses",
        "meeting-item-step-add": "#steps",
        "meeting-item-timer": "#timer",
        "meeting-item-record": "#record",
    }
    for name, anchor in expected.items():
        url, valid, _junk = endpoints[name]
        if "version" in valid:
            valid = {**valid, "version": AgendaItem.objects.get(pk=item.pk).version}
        response = client.post(url, valid)
        assert response.status_code == 302 and response["Location"] == page + anchor, (name, response.status_code)
