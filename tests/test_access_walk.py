"""Every URL and API operation, walked with every persona: deny by default, and log each read.

New URLs are covered automatically: the walk enumerates Django's resolver and the OpenAPI
document. A URL without an exposure mark (apps/core/marks.py), a path parameter the walk cannot
fill, or an operation without a sample body fails here until someone decides what it exposes.
"""

import json
from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from apps.audit.models import AccessLogEntry
from apps.core import marks
from tests import factories
from tests.factories import PASSWORD

# Persona -> (pages they may open) decided per exposure below.
DENIED_PERSONAS = ("stranger", "foreigner", "manager", "auditor", "researcher", "partner", "anonymous")
SKIP_PREFIXES = ("admin/", "i18n/", "static/", "api/v1/")


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def app_patterns():
    return [(route, p) for route, p in _walk(get_resolver().url_patterns) if not route.startswith(SKIP_PREFIXES)]


def _targets(world):
    child = world.family.relationships.first()
    notification = factories.notification(world.family, child.child, world.worker)
    assessment = factories.assessment(world.family, child.child, world.worker)
    item = factories.meeting_item(world.family, world.worker)
    link, token = factories.rating_link(world.family, child.child, world.worker)
    return {
        "family_id": world.family.pk,
        "team_id": world.team.pk,
        "person_id": child.child_id,
        "relationship_id": child.pk,
        "notification_id": notification.pk,
        "assessment_id": assessment.pk,
        "meeting_id": item.meeting_id,
        "item_id": item.pk,
        "step_id": item.steps.first().pk,
        "link_id": link.pk,
        "token": token,
    }


def _fill(route, pattern, world):
    kwargs = {}
    targets = _targets(world)
    for name in pattern.pattern.regex.groupindex:
        assert name in targets, f"the access walk does not know how to fill <{name}> in {route}; add it to _targets()"
        kwargs[name] = targets[name]
    url = "/" + route
    for name, value in kwargs.items():
        url = url.replace(f"<int:{name}>", str(value)).replace(f"<{name}>", str(value))
    return url


def _client(world, persona):
    client = Client()
    if persona != "anonymous":
        assert client.login(username=getattr(world, persona).username, password=PASSWORD)
    return client


# Sample POST data for views that only accept POST.
POST_ONLY = {
    "audit-person-log-export": {"recipient": "Asiakas itse", "legal_basis": "703/2023 11 §"},
    "step-status": {"status": "done"},
    "rating-link-create": {"rater": 0, "kind": "outcome"},  # rater filled in by _post_data()
}
# Who may open each kind of page, for the "permitted read is logged" half of the walk.
PERMITTED = {
    "audit-search": "auditor",
    "audit-person-log": "auditor",
    "audit-person-log-export": "auditor",
    "audit-checkpoints": "auditor",
    "audit-checkpoint-key": "auditor",
    "research-export": "researcher",
}
# Sample form data for pages that hand pseudonymised data out (marks.DISCLOSURE).
DISCLOSURE_POST = {"research-export": {"project": "Systeemisen mallin vaikuttavuus", "permit": "THL/123/2026"}}


def _post_data(name, world):
    data = dict(POST_ONLY.get(name, {}))
    if "rater" in data:
        data["rater"] = world.family.members.first().person_id
    return data


def test_every_url_declares_what_it_exposes():
    unmarked = [route for route, p in app_patterns() if not hasattr(p.callback, "systeemi_exposure")]
    assert not unmarked, f"URLs without an exposure mark (apps/core/marks.py): {unmarked}"


@pytest.mark.parametrize("persona", DENIED_PERSONAS)
def test_personal_pages_deny_everyone_outside_the_team(world, persona):
    client = _client(world, persona)
    checked = 0
    for route, pattern in app_patterns():
        exposure = pattern.callback.systeemi_exposure
        if exposure in (marks.PUBLIC, marks.ACCOUNT):
            continue
        # Aggregates are the manager's, unless PERMITTED names whose they are (the log's checkpoints: the auditor's).
        if PERMITTED.get(pattern.name, "manager" if exposure == marks.AGGREGATE else None) == persona:
            continue
        url = _fill(route, pattern, world)
        before = AccessLogEntry.objects.filter(family_id=world.family.pk).count()
        for method in ("get", "post"):
            response = getattr(client, method)(url, POST_ONLY.get(pattern.name, {}))
            if persona == "anonymous":
                assert response.status_code in (302, 404, 405), f"{method.upper()} {url} as anonymous: {response.status_code}"
            elif exposure == marks.OWN_LIST:
                assert response.status_code in (200, 405), f"{method.upper()} {url} as {persona}: {response.status_code}"
                if response.status_code == 302:
                    assert response["Location"].startswith("/accounts/login/"), url
            elif persona == "partner" and "family_id" in route and pattern.name == "family-detail":
                continue  # the partner's grant covers reading this family (tested below)
            elif persona == "partner":  # holds a read grant to world.family: read-only (403) or unseen (404)
                assert response.status_code in (403, 404, 405), f"{method.upper()} {url} as partner: {response.status_code}"
            else:
                assert response.status_code in (404, 405), f"{method.upper()} {url} as {persona}: {response.status_code}"
            body = response.content.decode()
            assert "Mäkinen" not in body, f"{url} leaked the family name to {persona}"
            checked += 1
        written = AccessLogEntry.objects.filter(family_id=world.family.pk).count() - before
        assert written == 0 or persona == "partner", f"a denied request to {url} wrote {written} log entries"
    assert checked >= 10


def test_creating_through_a_form_logs_the_new_record(world):
    client = _client(world, "worker")
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure != marks.CREATE:
            continue
        url = _fill(route, pattern, world)
        assert client.get(url).status_code == 200, url
        before = AccessLogEntry.objects.count()
        response = client.post(url, {"name": "Lahtinen", "municipality": "Tampere"})
        assert response.status_code == 302, f"POST {url}: {response.status_code}"
        entry = AccessLogEntry.objects.latest("id")
        assert AccessLogEntry.objects.count() == before + 1 and entry.action == "create" and entry.actor_id == world.worker.pk


def test_permitted_writes_are_logged(world):
    client = _client(world, "worker")
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure != marks.WRITE:
            continue
        url = _fill(route, pattern, world)
        last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.post(url, _post_data(pattern.name, world))
        assert response.status_code == 302, f"POST {url}: {response.status_code}"
        assert AccessLogEntry.objects.filter(id__gt=last_id, action__in=["edit", "create"], actor=world.worker).exists(), url


def test_every_pseudonymised_disclosure_is_logged_as_a_disclosure(world):
    checked = 0
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure != marks.DISCLOSURE:
            continue
        persona = PERMITTED[pattern.name]
        client = _client(world, persona)
        url = _fill(route, pattern, world)
        last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        assert client.get(url).status_code == 200, url
        assert not AccessLogEntry.objects.filter(id__gt=last_id).exists(), f"showing the form at {url} logged a disclosure"
        response = client.post(url, DISCLOSURE_POST[pattern.name])
        assert response.status_code == 200, f"POST {url} as {persona}: {response.status_code}"
        b"".join(response.streaming_content) if response.streaming else response.content  # the whole download
        new = AccessLogEntry.objects.filter(id__gt=last_id)
        assert new.filter(kind="disclosure", family_id=world.family.pk, actor=getattr(world, persona)).exists(), url
        checked += 1
    assert checked >= 1


def test_permitted_reads_of_personal_data_write_log_entries(world):
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure not in (marks.PERSONAL, marks.OWN_LIST):
            continue
        persona = PERMITTED.get(pattern.name, "worker")
        client = _client(world, persona)
        url = _fill(route, pattern, world)
        last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if pattern.name in POST_ONLY:
            response = client.post(url, POST_ONLY[pattern.name])
        else:
            response = client.get(url, {"q": "Mäkinen"})
        assert response.status_code == 200, f"{url} as {persona}: {response.status_code}"
        new = list(AccessLogEntry.objects.filter(id__gt=last_id))
        assert len(new) > 0, f"reading {url} as {persona} wrote no access-log entry"
        actor = getattr(world, persona)
        assert all(e.actor_id == actor.pk for e in new), url
        subjects = {e.family_id for e in new} | {e.person_id for e in new}
        assert subjects & ({world.family.pk} | set(world.family.members.values_list("person_id", flat=True))), url


@pytest.mark.parametrize("persona", ["therapist", "partner"])
def test_read_only_roles_get_403_on_edit_pages_and_nothing_changes(world, persona):
    client = _client(world, persona)
    targets = _targets(world)
    person_count = world.family.members.count()
    for name in ["family-edit", "person-create", "person-edit", "relationship-open", "phase-create", "relationship-assign"]:
        route, pattern = next((r, p) for r, p in app_patterns() if p.name == name)
        url = _fill(route, pattern, world)
        assert client.get(url).status_code == 403, f"GET {url} as {persona}"
        response = client.post(url, {"name": "Muutettu", "first_names": "X", "last_name": "Y", "relation": "child"})
        assert response.status_code == 403, f"POST {url} as {persona}"
    world.family.refresh_from_db()
    assert world.family.name == "Mäkinen"
    assert world.family.members.count() == person_count
    assert client.get(f"/teams/{targets['team_id']}/families/new/").status_code in (403, 404)


def test_partner_reads_the_granted_family_only_and_is_logged_as_grant(world):
    client = _client(world, "partner")
    assert client.get(f"/families/{world.family.pk}/").status_code == 200
    entry = AccessLogEntry.objects.filter(actor=world.partner).latest("id")
    assert entry.actor_role == "grant" and entry.purpose == "consented_grant"
    assert client.get(f"/families/{world.other_family.pk}/").status_code == 404


def test_expired_grant_denies(world):
    from django.utils import timezone

    world.partner.grants.update(valid_until=timezone.now())
    assert _client(world, "partner").get(f"/families/{world.family.pk}/").status_code == 404


def test_ended_membership_denies(world):
    import datetime

    from django.utils import timezone

    world.worker.memberships.update(ended_on=timezone.localdate() - datetime.timedelta(days=1))
    assert _client(world, "worker").get(f"/families/{world.family.pk}/").status_code == 404


def test_admin_is_for_staff_only(world):
    for persona in ("worker", "manager", "auditor", "anonymous"):
        response = _client(world, persona).get("/admin/clients/person/")
        assert response.status_code in (302, 404), persona
        assert "Mäkinen" not in response.content.decode()


# ---- API -------------------------------------------------------------------------------------

API_BODIES = {
    ("post", "/api/v1/families"): lambda w: {"team_id": w.team.pk, "name": "Uusi perhe"},
    ("patch", "/api/v1/families/{family_id}"): lambda w: {"municipality": "Tampere"},
    ("patch", "/api/v1/people/{person_id}"): lambda w: {"first_names": "Aino Maria"},
    ("post", "/api/v1/families/{family_id}/people"): lambda w: {"relation": "other", "first_names": "Mummo", "last_name": "Mäkinen"},
    ("post", "/api/v1/families/{family_id}/relationships"): lambda w: _new_child_relationship(w),
    ("post", "/api/v1/relationships/{relationship_id}/phases"): lambda w: {"phase": "assessment", "started_on": str(date.today())},
    ("post", "/api/v1/teams/{team_id}/meetings"): lambda w: {"starts_at": "2030-01-07T09:00:00+02:00", "room": "Kuusi"},
    ("post", "/api/v1/meetings/{meeting_id}/items"): lambda w: {"family_id": factories.family(w.team, "Lisätty", worker=w.worker).pk},
    ("patch", "/api/v1/meetings/{meeting_id}/items/{item_id}/record"): lambda w: {
        "version": w.family.agenda_items.first().version,
        "reflections": "Reflektio",
    },
    ("post", "/api/v1/meetings/{meeting_id}/items/{item_id}/hypotheses"): lambda w: {"text": "Hypoteesi", "perspective": "lapsi"},
    ("post", "/api/v1/meetings/{meeting_id}/items/{item_id}/steps"): lambda w: {
        "what": "Soita",
        "owner_id": w.worker.pk,
        "due_on": str(date.today()),
    },
    ("patch", "/api/v1/steps/{step_id}"): lambda w: {"status": "done"},
    ("post", "/api/v1/families/{family_id}/ratings"): lambda w: {
        "rater_id": w.family.members.first().person_id,
        "instrument": "ORS",
        "rated_on": str(date.today()),
        "centimetres": {"individually": 4, "interpersonally": 5.5, "socially": 6, "overall": 7},
    },
    ("post", "/api/v1/families/{family_id}/rating-links"): lambda w: {"rater_id": w.family.members.first().person_id, "kind": "session"},
}


def _new_child_relationship(w):
    child = factories.person(w.county, "Uusi", "Mäkinen")
    w.family.members.create(county=w.county, person=child, relation="child")
    return {"child_id": child.pk, "responsible_worker_id": w.worker.pk, "opened_on": str(date.today())}


OK = {"get": 200, "post": 201, "patch": 200}


def api_operations():
    from apps.api.api import api

    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield path, method, op


def _api_url(path, world):
    targets = _targets(world)
    for name, value in targets.items():
        path = path.replace("{" + name + "}", str(value))
    assert "{" not in path, f"the access walk cannot fill {path}; add its parameter to _targets()"
    return path


def _api_call(client, method, url, body):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_every_api_operation_declares_personal_data():
    missing = [f"{m.upper()} {p}" for p, m, op in api_operations() if "x-personal-data" not in op]
    assert not missing, missing


@pytest.mark.parametrize("persona", ["stranger", "foreigner", "manager", "auditor", "researcher", "anonymous"])
def test_api_denies_outside_the_team(world, persona):
    client = _client(world, persona)
    for path, method, _op in api_operations():
        url = _api_url(path, world)
        body = API_BODIES.get((method, path), lambda w: {})(world) if method != "get" else None
        assert method == "get" or (method, path) in API_BODIES, f"no sample body for {method.upper()} {path}"
        before = AccessLogEntry.objects.filter(family_id=world.family.pk).count()
        response = _api_call(client, method, url, body)
        assert response["Content-Type"].startswith("application/json"), f"{url}: not JSON"
        if persona == "anonymous":
            assert response.status_code == 401, f"{method} {url}: {response.status_code}"
        elif "{" in path:
            assert response.status_code == 404, f"{method.upper()} {url} as {persona}: {response.status_code}"
        else:
            assert response.status_code in (200, 403, 404, 422), f"{method.upper()} {url} as {persona}: {response.status_code}"
        assert "Mäkinen" not in response.content.decode(), f"{url} leaked to {persona}"
        assert AccessLogEntry.objects.filter(family_id=world.family.pk).count() == before


API_PERSONA = {
    ("post", "/api/v1/teams/{team_id}/meetings"): "coordinator",
    ("post", "/api/v1/meetings/{meeting_id}/items"): "coordinator",
}


def test_api_permitted_reads_are_logged(world):
    clients = {}
    for path, method, op in api_operations():
        persona = API_PERSONA.get((method, path), "worker")
        client = clients.setdefault(persona, _client(world, persona))
        url = _api_url(path, world)
        body = API_BODIES.get((method, path), lambda w: {})(world)
        before = AccessLogEntry.objects.count()
        response = _api_call(client, method, url, body)
        assert response.status_code == OK[method], f"{method.upper()} {url}: {response.status_code} {response.content[:300]}"
        if op["x-personal-data"]:
            assert AccessLogEntry.objects.count() > before, f"{method.upper()} {url} wrote no access-log entry"
