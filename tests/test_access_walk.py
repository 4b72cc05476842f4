"""Every URL and API operation, walked with every persona: deny by default, and log each read.

New URLs are covered automatically: the walk enumerates Django's resolver and the OpenAPI
document. A URL without an exposure mark (apps/core/marks.py), a path parameter the walk cannot
fill, or an operation without a sample body fails here until someone decides what it exposes.
"""

import datetime
import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from apps.audit.models import AccessLogEntry
from apps.core import marks
from tests import factories
from tests.factories import PASSWORD

# Persona -> (pages they may open) decided per exposure below. A stranger works in another team of
# the same county, a foreigner in another county; the unit manager leads the team's unit, the other
# unit's manager another unit of the same county; the partner holds the family's consent to share
# its plan (and reaches exactly the partner's pages for it), the other partners none: one never had
# it, one's ended yesterday, one's was withdrawn.
PARTNER_PERSONAS = ("partner", "partner_without_consent", "partner_expired", "partner_withdrawn")
DENIED_PERSONAS = (
    "stranger",
    "foreigner",
    "manager",
    "unit_manager",
    "other_unit_manager",
    "auditor",
    "researcher",
    *PARTNER_PERSONAS,
    "trainer",
    "anonymous",
)
MANAGERS_IN_SCOPE = ("manager", "unit_manager")
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
    """One record of each kind in world.family, made once per test (ids to fill the URLs with)."""
    if getattr(world, "_walk_targets", None) is None:
        world._walk_targets = _make_targets(world)
    return world._walk_targets


def _make_targets(world):
    child = world.family.relationships.first()
    notification = factories.notification(world.family, child.child, world.worker)
    assessment = factories.assessment(world.family, child.child, world.worker)
    item = factories.meeting_item(world.family, world.worker)
    link, token = factories.rating_link(world.family, child.child, world.worker)
    drawn = _drawn_family(world)
    return {
        **partnership_targets(world),
        **drawn,
        "family_id": world.family.pk,
        "team_id": world.team.pk,
        "person_id": child.child_id,
        "relationship_id": child.pk,
        "notification_id": notification.pk,
        "assessment_id": assessment.pk,
        "meeting_id": item.meeting_id,
        "item_id": item.pk,
        "step_id": item.steps.first().pk,
        "hypothesis_id": item.hypotheses.first().pk,
        "link_id": link.pk,
        "token": token,
        "questionnaire_id": "ORS-2.0-fi",
        "key": "ors_share",  # a fidelity indicator: world.family has no ORS rating, so it is listed
        "training_id": _training(world).pk,
        "unit_id": world.team.unit_id,
        "job_id": _finished_export(world).pk,
    }


def partnership_targets(world) -> dict:
    """The shared plan, a step of world.partner's in it, and a consent of its own for the walk to
    withdraw (world.partner's stays in force for the pages walked after it); a joint assessment,
    a handover shared with the partner and a peer group."""
    withdrawable = factories.consent(world.family, factories.partner(world.county, "kumppani_peruttava"), world.worker)
    partner_step = factories.shared_step(world.family, world.partner, world.worker)
    joint, joint_link, joint_token = factories.joint_assessment(world.family, world.worker)
    handover = factories.handover(world.family, world.worker, share_with=world.partner)
    parent, other_parent = world.family.members.exclude(relation="child").order_by("id")[:2]
    peer_group = factories.peer_group(world.team, world.worker, members=[parent])
    # Invited by phone: the worker re-sends the text and marks the call made.
    peer_group.members.update(contact="040 123 4567", invitation_channel="phone")
    return {
        "plan_id": partner_step.plan_id,
        "shared_step_id": partner_step.pk,
        "consent_id": withdrawable.pk,
        "joint_id": joint.pk,
        "joint_link_id": joint_link.pk,
        "joint_token": joint_token,
        "handover_id": handover.pk,
        "peer_group_id": peer_group.pk,
        "peer_member_id": peer_group.members.get().pk,
        "peer_candidate_id": other_parent.pk,  # an adult of the team's families, not in the group yet
    }


def _drawn_family(world):
    """The family's genogram (its members, a grandmother, a relationship) and an ecomap with a tie."""
    from apps.network import services as network
    from apps.network.access import open_network
    from apps.network.models import GenogramPerson

    access = open_network(world.worker, world.family.pk, need="network.edit")
    network.genogram_draft(access=access)
    grandma = network.person_add(access=access, name="Mummo", sex="female", birth_year=1950)
    people = {
        g.person.first_names: g for g in GenogramPerson.objects.filter(family=world.family, person__isnull=False).select_related("person")
    }
    relationship = network.relationship_add(access=access, first=people["Aino"], second=people["Mikko"], quality="conflicted")
    ecomap = network.ecomap_create(access=access, drawn_on=date.today(), viewpoint="child", viewpoint_person=people["Aino"].person)
    tie = network.tie_add(access=access, ecomap=ecomap, service="school", name="3B")
    # A member not yet drawn, for the draft to add.
    world.family.members.create(county=world.county, person=factories.person(world.county, "Onni", "Mäkinen"), relation="sibling")
    return {
        "genogram_person_id": grandma.pk,
        "ecomap_id": ecomap.pk,
        "genogram_ids": {name: g.pk for name, g in people.items()},
        "genogram_relationship": relationship.pk,
        "tie": tie.pk,
    }


def _finished_export(world):
    """A research export the background task has written for the researcher (run inline)."""
    from apps.evaluation.models import ResearchExportJob
    from apps.evaluation.tasks import run_export_job

    job = ResearchExportJob.objects.create(
        county=world.county, requested_by=world.researcher, project="Vaikuttavuus", purpose="Arviointi", permit="THL/1/2026"
    )
    run_export_job(job.pk)
    return job


def _training(world):
    from apps.training.models import Training

    return Training.objects.create(
        county=world.county,
        team=world.team,
        name="Tiimivalmennus",
        trainer_social_worker=world.trainer,
        trainer_family_therapist=world.consultant,
        created_by=world.trainer,
    )


def _fill(route, pattern, world, **override):
    kwargs = {}
    targets = {**_targets(world), **override}
    for name in pattern.pattern.regex.groupindex:
        assert name in targets, f"the access walk does not know how to fill <{name}> in {route}; add it to _targets()"
        kwargs[name] = targets[name]
    url = "/" + route
    for name, value in kwargs.items():
        url = url.replace(f"<int:{name}>", str(value)).replace(f"<str:{name}>", str(value)).replace(f"<{name}>", str(value))
    return url


def _client(world, persona):
    client = Client()
    if persona != "anonymous":
        assert client.login(username=getattr(world, persona).username, password=PASSWORD)
    return client


# Sample POST data for views that only accept POST. (The URLs are walked in urls.py order: the
# notifier is told after the decision is recorded.)
TODAY = date.today().isoformat()
POST_ONLY = {
    "audit-person-log-export": {"recipient": "Asiakas itse", "legal_basis": "703/2023 11 §"},
    "step-status": {"status": "done"},
    # The team meeting: its agenda, times, attendance and approval (ids filled in by _post_data()).
    "meeting-agenda-add": {"family": 0},
    "meeting-agenda-move": {"direction": "down"},
    "meeting-schedule": {"minutes_item": 30},
    "meeting-attendance": {"version": 1, "present_consultant": "on", "role_consultant": "chair"},
    # A record's parts: each form carries the version and the values it was read with.
    "meeting-item-record": {"version": 1, "reflections": "Reflektio kävelyltä", "base_reflections": ""},
    "meeting-item-details": {
        "version": 1,
        "question": "Mitä isä tarvitsee?",
        "base_question": "Miten tukea isää arjessa?",
        "planned_minutes": 20,
        "base_planned_minutes": "20",
    },
    "meeting-item-hypothesis-add": {"text": "Väsymys kertoo huolesta.", "perspective": "lapsi"},
    "meeting-item-hypothesis-status": {"status": "dropped"},
    "meeting-item-step-add": {"what": "Soita koululle", "owner": 0, "due_on": TODAY},
    "meeting-item-timer": {"run": "start"},
    "rating-link-create": {"rater": 0, "kind": "outcome"},  # rater filled in by _post_data()
    "notification-decide": {"decision": "start_investigation", "decided_on": TODAY},
    "notification-inform": {"informed_on": TODAY, "how": "puhelimitse"},
    # The family drawn (apps/network): ids of the family's genogram filled in by _post_data().
    "genogram-draft": {},
    "genogram-person-add": {"person-name": "Ukki", "person-sex": "male", "person-birth_year": "1948"},
    "genogram-person-update": {"edit-name": "Mummi", "edit-sex": "female", "edit-birth_year": "1950"},
    "genogram-partnership-add": lambda t: {
        "partnership-first": t["genogram_ids"]["Sanna"],
        "partnership-second": t["genogram_ids"]["Mikko"],
        "partnership-kind": "married",
    },
    "genogram-child-add": lambda t: {
        "child-child": t["genogram_ids"]["Sanna"],
        "child-parent": t["genogram_person_id"],
        "child-kind": "biological",
    },
    "genogram-household-add": lambda t: {
        "household-name": "Koti",
        "household-members": [t["genogram_ids"]["Sanna"], t["genogram_ids"]["Aino"]],
    },
    "genogram-relationship-add": lambda t: {
        "relationship-first": t["genogram_ids"]["Eino"],
        "relationship-second": t["genogram_person_id"],
        "relationship-quality": "close",
    },
    "genogram-remove": lambda t: {"what": "relationship", "id": t["genogram_relationship"]},
    "ecomap-create": {"drawn_on": TODAY, "viewpoint": "worker"},
    "ecomap-tie-add": {"tie-name": "Mummo", "tie-sector": "relatives", "tie-ring": "1", "tie-strength": "strong", "tie-support": "both"},
    "ecomap-tie-remove": lambda t: {"tie": t["tie"]},
    "consent-withdraw": {"note": "Äiti perui puhelimessa"},
    "partner-step-done": {"note": "Tapasimme, sovittiin seuraava aika."},
    # A peer group (experts by experience) and its one member: invited, met, planned, contributed
    # ("<name>" is filled in by _post_data() with the target of that name).
    "peer-group-invite": {"member": "<peer_candidate_id>", "contact": "mikko@example.org", "consent_on": TODAY, "language": "fi"},
    "peer-group-resend": {},
    "peer-group-invite-made": {},  # the walked member's invitation is by phone (partnership_targets)
    "peer-group-meeting": {"held_on": TODAY, "topic": "Kehittämisilta", "attendees": ["<peer_member_id>"]},
    "peer-group-plan": {"group_plan": "Kokoonnumme kerran kuussa."},
    "peer-group-contribution": {
        "made_on": TODAY,
        "purpose": "Perheen sivun selkokieli",
        "text": "Lyhyitä lauseita, ei lyhenteitä.",
        "contributors": ["<peer_member_id>"],
    },
}
# The trainer's pages: trainings and attendance, never a family (the managers read them too).
TRAINER_PAGES = {"training-plan", "training-create", "training-detail"}
# Who may open each kind of page, for the "permitted read is logged" half of the walk.
PERMITTED = {
    "audit-search": "auditor",
    "audit-person-log": "auditor",
    "audit-person-log-export": "auditor",
    "audit-checkpoints": "auditor",
    "audit-checkpoint-key": "auditor",
    "research-export": "researcher",
    "research-download": "researcher",
    # A partner professional's own pages: the plans of families that consented, their own steps.
    "partner-home": "partner",
    "partner-plan": "partner",
    "partner-step-done": "partner",
    "partner-handover": "partner",
    "partner-ecomap": "partner",
}
# Sample form data for pages that hand pseudonymised data out (marks.DISCLOSURE) on a POST; the
# others hand it out on a GET (the finished research export's download).
DISCLOSURE_POST: dict = {}


def _post_data(name, world):
    data = POST_ONLY.get(name, {})
    data = dict(data(_targets(world)) if callable(data) else data)
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], str) and value[0].startswith("<"):
            data[key] = [_targets(world)[v.strip("<>")] for v in value]
        elif isinstance(value, str) and value.startswith("<") and value.endswith(">"):
            data[key] = _targets(world)[value.strip("<>")]
    if "rater" in data:
        data["rater"] = world.family.members.first().person_id
    if "owner" in data:
        data["owner"] = world.worker.pk
    if "family" in data:
        data["family"] = factories.family(world.team, "Lisättävä", worker=world.worker).pk
    if "minutes_item" in data:
        data[f"minutes_{_targets(world)['item_id']}"] = data.pop("minutes_item")
    if "present_consultant" in data:  # the whole team listed, as the form lists it; the first member there
        members = list(world.team.memberships.active().order_by("pk").values_list("user_id", flat=True))
        for member in members:
            data[f"role_{member}"] = "worker"
        data[f"present_{members[0]}"] = data.pop("present_consultant")
        data[f"role_{members[0]}"] = data.pop("role_consultant")
    return data


def test_every_url_declares_what_it_exposes():
    unmarked = [route for route, p in app_patterns() if not hasattr(p.callback, "systeemi_exposure")]
    assert not unmarked, f"URLs without an exposure mark (apps/core/marks.py): {unmarked}"


def _permitted(persona, name, exposure, route) -> bool:
    """May `persona` open this page of world.team / world.family? (Team members are not walked here.)"""
    if name in PERMITTED:  # pages of one organisation role (the log's checkpoints: the auditor's)
        return PERMITTED[name] == persona
    if persona == "trainer":
        return name in TRAINER_PAGES
    if exposure == marks.AGGREGATE:
        # Counts: managers whose scope covers the team; without a team in the URL, any manager's
        # own scope (the county report, the caseload overview).
        return persona in MANAGERS_IN_SCOPE or (persona == "other_unit_manager" and "team_id" not in route)
    return False


@pytest.mark.parametrize("persona", DENIED_PERSONAS)
def test_personal_pages_deny_everyone_outside_the_team(world, persona):
    client = _client(world, persona)
    checked = 0
    for route, pattern in app_patterns():
        exposure = pattern.callback.systeemi_exposure
        if exposure in (marks.PUBLIC, marks.ACCOUNT):
            continue
        if _permitted(persona, pattern.name, exposure, route):
            continue
        url = _fill(route, pattern, world)
        before = AccessLogEntry.objects.filter(family_id=world.family.pk).count()
        for method in ("get", "post"):
            response = getattr(client, method)(url, _post_data(pattern.name, world))
            if persona == "anonymous":
                assert response.status_code in (302, 404, 405), f"{method.upper()} {url} as anonymous: {response.status_code}"
            elif exposure == marks.OWN_LIST and persona not in PARTNER_PERSONAS:
                assert response.status_code in (200, 405), f"{method.upper()} {url} as {persona}: {response.status_code}"
                if response.status_code == 302:
                    assert response["Location"].startswith("/accounts/login/"), url
            elif pattern.name == "partner-home" and persona in PARTNER_PERSONAS:
                # A partner's own (empty) list of consented plans; no team work list is theirs.
                assert response.status_code in (200, 405), f"{method.upper()} {url} as {persona}: {response.status_code}"
            else:
                assert response.status_code in (404, 405), f"{method.upper()} {url} as {persona}: {response.status_code}"
            body = response.content.decode()
            assert "Mäkinen" not in body, f"{url} leaked the family name to {persona}"
            checked += 1
        written = AccessLogEntry.objects.filter(family_id=world.family.pk).count() - before
        assert written == 0, f"a denied request to {url} wrote {written} log entries"
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
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure != marks.WRITE:
            continue
        persona = PERMITTED.get(pattern.name, "worker")
        client = _client(world, persona)
        url = _fill(route, pattern, world)
        last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.post(url, _post_data(pattern.name, world))
        assert response.status_code == 302, f"POST {url}: {response.status_code}"
        actor = getattr(world, persona)
        assert AccessLogEntry.objects.filter(id__gt=last_id, action__in=["edit", "create"], actor=actor).exists(), url


# Who does each action on a team's meeting (the coordinator prepares it, the chair approves it).
TEAM_MEETING_PERSONA = {"meeting-approve": "consultant"}
# The walked agenda item has been discussed (a hypothesis, a step): removing it is refused with a message.
TEAM_MEETING_REFUSED = {"meeting-agenda-remove": 400}


def test_team_meeting_actions_work_for_their_roles_and_answer_htmx_with_a_logged_part(world):
    """Each action on a team's meeting, by the role that may do it: a plain POST goes back to the
    page (302); the same POST from htmx gets the part of the page it changed (200, no page around
    it), and the families that part lists are logged under the action's own URL name."""
    checked = 0
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure != marks.TEAM_MEETING:
            continue
        persona = TEAM_MEETING_PERSONA.get(pattern.name, "coordinator")
        client = _client(world, persona)
        url = _fill(route, pattern, world)
        # Approval is once for good: its htmx answer is asked first (it reloads the whole page).
        for htmx in (True, False) if pattern.name == "meeting-approve" else (False, True):
            last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
            headers = {"HX-Request": "true"} if htmx else {}
            response = client.post(url, _post_data(pattern.name, world), headers=headers)
            expected = TEAM_MEETING_REFUSED.get(pattern.name, 200 if htmx else 302)
            if pattern.name == "meeting-approve" and not htmx:
                expected = 400  # approved already, by the htmx request
            assert response.status_code == expected, f"POST {url} as {persona} (htmx: {htmx}): {response.status_code}"
            body = response.content.decode()
            if htmx and pattern.name != "meeting-approve":
                assert "<html" not in body and 'hx-swap-oob="true"' in body, f"{url}: not a part of the page"
                new = AccessLogEntry.objects.filter(id__gt=last_id)
                assert new.filter(view_name=pattern.name, action="list").exists(), f"{url} (htmx) listed families unlogged"
                assert set(new.values_list("view_name", flat=True)) == {pattern.name}, url
            checked += 1
    assert checked >= 11


def test_every_pseudonymised_disclosure_is_logged_as_a_disclosure(world):
    checked = 0
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure != marks.DISCLOSURE:
            continue
        persona = PERMITTED[pattern.name]
        client = _client(world, persona)
        url = _fill(route, pattern, world)
        last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if pattern.name in DISCLOSURE_POST:
            assert client.get(url).status_code == 200, url
            assert not AccessLogEntry.objects.filter(id__gt=last_id).exists(), f"showing the form at {url} logged a disclosure"
            response = client.post(url, DISCLOSURE_POST[pattern.name])
        else:
            response = client.get(url)
        assert response.status_code == 200, f"{url} as {persona}: {response.status_code}"
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
            response = client.post(url, _post_data(pattern.name, world))
        else:
            response = client.get(url, {"q": "Mäkinen"})
        assert response.status_code == 200, f"{url} as {persona}: {response.status_code}"
        new = list(AccessLogEntry.objects.filter(id__gt=last_id))
        assert len(new) > 0, f"reading {url} as {persona} wrote no access-log entry"
        actor = getattr(world, persona)
        assert all(e.actor_id == actor.pk for e in new), url
        assert {e.view_name for e in new} == {pattern.name}, f"{url} logged as { ({e.view_name for e in new}) }, not as its URL name"
        assert "no-store" in response.get("Cache-Control", ""), f"{url} may be kept by a cache: {response.get('Cache-Control')}"
        subjects = {e.family_id for e in new} | {e.person_id for e in new}
        assert subjects & ({world.family.pk} | set(world.family.members.values_list("person_id", flat=True))), url


@pytest.mark.parametrize("persona", ["therapist"])
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


PARTNER_PAGES = ("partner-home", "partner-plan", "partner-step-done", "partner-handover", "partner-ecomap")


def test_a_partner_reaches_exactly_the_consented_plan_and_their_own_steps(world):
    """Every URL, GET and POST: the partner's three pages answer, everything else is 404 (or 405)."""
    client = _client(world, "partner")
    reached = set()
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure in (marks.PUBLIC, marks.ACCOUNT):
            continue
        url = _fill(route, pattern, world)
        for method in ("get", "post"):
            response = getattr(client, method)(url, _post_data(pattern.name, world))
            if pattern.name in PARTNER_PAGES and response.status_code in (200, 302):
                reached.add(pattern.name)
                continue
            assert response.status_code in (404, 405), f"{method.upper()} {url} as the consented partner: {response.status_code}"
    assert reached == set(PARTNER_PAGES)


def test_a_partner_read_is_logged_and_disclosed_and_another_familys_plan_is_404(world):
    client = _client(world, "partner")
    plan_id = _targets(world)["plan_id"]
    last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    assert client.get(f"/partner/plans/{plan_id}/").status_code == 200
    new = AccessLogEntry.objects.filter(id__gt=last_id)
    assert {(e.kind, e.actor_role, e.purpose) for e in new} == {
        ("access", "partner", "consented_cooperation"),
        ("disclosure", "partner", "export"),
    }
    disclosure = new.get(kind="disclosure", person_id=world.family.members.first().person_id)
    assert "Paula Kumppani" in disclosure.recipient and "Testilän koulu" in disclosure.recipient
    assert "Koulun oppilashuolto" in disclosure.legal_basis
    other_plan = factories.consent(world.other_family, factories.partner(world.county), world.stranger).family.shared_plan
    before = AccessLogEntry.objects.count()
    assert client.get(f"/partner/plans/{other_plan.pk}/").status_code == 404
    assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize("end", ["withdrawn", "expired"])
def test_a_consent_that_ends_ends_access_on_the_next_request(world, end):
    from django.utils import timezone

    client = _client(world, "partner")
    targets = _targets(world)
    plan_url = f"/partner/plans/{targets['plan_id']}/"
    assert client.get(plan_url).status_code == 200
    if end == "withdrawn":
        world.consent.withdrawn_at = timezone.now()
    else:
        world.consent.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    world.consent.save()
    before = AccessLogEntry.objects.count()
    assert client.get(plan_url).status_code == 404
    step_url = f"/partner/steps/{targets['shared_step_id']}/done/"
    assert client.post(step_url, {"note": "myöhässä"}).status_code == 404
    home = client.get("/partner/")
    assert home.status_code == 200 and "Mäkinen" not in home.content.decode()
    assert AccessLogEntry.objects.count() == before


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
    ("post", "/api/v1/teams/{team_id}/meetings"): lambda w: {
        "starts_at": f"{date.today() + timedelta(days=7)}T09:00:00+02:00",
        "room": "Kuusi",
    },
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
    ("post", "/api/v1/families/{family_id}/notifications"): lambda w: {
        "child_id": w.family.relationships.first().child_id,
        "received_on": str(date.today()),
        "notifier_type": "school",
        "notifier_name": "Rehtori Rantanen",
        "summary": "Lapsi on ollut paljon poissa koulusta.",
    },
    ("post", "/api/v1/families/{family_id}/notifications/{notification_id}/decision"): lambda w: {
        "decision": "start_investigation",
        "decided_on": str(date.today()),
    },
    ("post", "/api/v1/families/{family_id}/notifications/{notification_id}/notifier-informed"): lambda w: {
        "informed_on": str(date.today()),
        "how": "puhelimitse",
    },
    ("post", "/api/v1/families/{family_id}/assessments/{assessment_id}/completion"): lambda w: {
        "completed_on": str(date.today()),
        "outcome": "child_protection",
    },
    ("post", "/api/v1/families/{family_id}/relationships/{relationship_id}/plans"): lambda w: {
        "made_on": str(date.today()),
        "meetings_per_year": 4,
    },
    ("post", "/api/v1/families/{family_id}/relationships/{relationship_id}/personal-meetings"): lambda w: {
        "met_on": str(date.today()),
        "note": "Kotikäynti",
    },
    ("post", "/api/v1/families/{family_id}/transfers"): lambda w: {
        "to_team_id": w.other_team.pk,
        "responsible_worker_id": w.stranger.pk,
        "criteria": ["safety_ensured", "family_committed"],
        "reasoning": "Perhe hyötyy perhesosiaalityöstä.",
        "joint_meeting_on": str(date.today()),
        "family_agreed": True,
    },
    ("post", "/api/v1/families/{family_id}/genogram/people"): lambda w: {"name": "Ukki", "sex": "male", "birth_year": 1947},
    ("post", "/api/v1/families/{family_id}/genogram/partnerships"): lambda w: {
        "first": _targets(w)["genogram_ids"]["Sanna"],
        "second": _targets(w)["genogram_ids"]["Mikko"],
        "kind": "cohabiting",
    },
    ("post", "/api/v1/families/{family_id}/genogram/children"): lambda w: {
        "child": _targets(w)["genogram_ids"]["Mikko"],
        "parents": [_targets(w)["genogram_person_id"]],
    },
    ("post", "/api/v1/families/{family_id}/genogram/households"): lambda w: {
        "name": "Koti",
        "members": [_targets(w)["genogram_ids"]["Eino"]],
    },
    ("post", "/api/v1/families/{family_id}/genogram/relationships"): lambda w: {
        "first": _targets(w)["genogram_ids"]["Sanna"],
        "second": _targets(w)["genogram_person_id"],
        "quality": "distant",
    },
    ("post", "/api/v1/families/{family_id}/ecomaps"): lambda w: {"drawn_on": str(date.today()), "viewpoint": "parent"},
    ("post", "/api/v1/families/{family_id}/ecomaps/{ecomap_id}/ties"): lambda w: {
        "service": "neuvola",
        "professional": "Terttu Terveydenhoitaja",
    },
    ("post", "/api/v1/families/{family_id}/shared-plan/versions"): lambda w: {
        "base_version": _plan_version(w),
        "goals": "Rauhalliset illat",
    },
    ("post", "/api/v1/families/{family_id}/shared-plan/steps"): lambda w: {
        "what": "Soitto koululle",
        "owner_kind": "team",
        "owner_id": w.worker.pk,
        "due_on": str(date.today()),
    },
    ("patch", "/api/v1/families/{family_id}/shared-plan/steps/{shared_step_id}"): lambda w: {"status": "done", "note": "Hoidettu"},
    ("post", "/api/v1/families/{family_id}/consents"): lambda w: _new_consent(w),
    ("post", "/api/v1/families/{family_id}/consents/{consent_id}/withdrawal"): lambda w: {"note": "Isä perui puhelimessa"},
    ("post", "/api/v1/families/{family_id}/joint-assessments"): lambda w: {"title": "Kevään arviointi"},
    ("post", "/api/v1/families/{family_id}/joint-assessments/{joint_id}/answers"): lambda w: {
        "member_id": w.family.members.first().pk,
        "marks": {"safety": 2, "health": 4},
        "words": {"safety": "Illat ovat levottomia"},
    },
    ("post", "/api/v1/families/{family_id}/joint-assessments/{joint_id}/links"): lambda w: {"member_id": w.family.members.first().pk},
    ("post", "/api/v1/families/{family_id}/joint-assessments/{joint_id}/conclusion"): lambda w: {"conclusion": "Iltoihin apua"},
    ("post", "/api/v1/families/{family_id}/handovers"): lambda w: {
        "relationship_id": w.family.relationships.filter(closed_on__isnull=False).first().pk
    },
    ("patch", "/api/v1/families/{family_id}/handovers/{handover_id}"): lambda w: {"what_helped": "Kotikäynnit"},
    ("post", "/api/v1/families/{family_id}/handovers/{handover_id}/shares"): lambda w: {
        "recipient_id": factories.consent(w.family, factories.partner(w.county), w.worker).partner_id
    },
    ("patch", "/api/v1/partner/steps/{shared_step_id}"): lambda w: {"status": "done", "note": "Tapasimme koululla"},
}


def _plan_version(w):
    from apps.partnership.models import SharedPlan

    return SharedPlan.objects.get(family=w.family).version


def _new_consent(w):
    from apps.partnership.services import children_to_hear

    today = date.today()
    members = list(w.family.members.select_related("person"))
    adult = next(m for m in members if m.relation != "child")
    return {
        "partner_id": factories.partner(w.county).pk,
        "purpose": "Neuvolan terveydenhoitajan tuki",
        "valid_from": str(today),
        "valid_until": str(today + datetime.timedelta(days=90)),
        "giver_ids": [adult.pk],
        "child_views": {str(m.pk): "Saa kertoa" for m in children_to_hear(members, today)},
    }


def _new_child_relationship(w):
    child = factories.person(w.county, "Uusi", "Mäkinen")
    w.family.members.create(county=w.county, person=child, relation="child")
    return {"child_id": child.pk, "responsible_worker_id": w.worker.pk, "opened_on": str(date.today())}


def _succeeds_with(op) -> int:
    """The operation's documented success code (201 for a new record, 200 for a read or a decision)."""
    [code] = [int(code) for code in op["responses"] if str(code).startswith("2")]
    return code


def _hands_the_family_over(path, method) -> bool:
    return method == "post" and path.endswith("/transfers")


def api_operations():
    """Every operation of the OpenAPI document; the transfer last, since it moves world.family to
    another team and every later write of the walk's worker to it would be refused."""
    from apps.api.api import api

    schema = api.get_openapi_schema()
    operations = [(path, method, op) for path, methods in schema["paths"].items() for method, op in methods.items()]
    yield from sorted(operations, key=lambda row: _hands_the_family_over(row[0], row[1]))


def _api_url(path, world, **override):
    targets = {**_targets(world), **override}
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


@pytest.mark.parametrize("persona", [p for p in DENIED_PERSONAS if p not in PARTNER_PERSONAS])  # partners: below
def test_api_denies_outside_the_team(world, persona):
    client = _client(world, persona)
    for path, method, op in api_operations():
        url = _api_url(path, world)
        body = API_BODIES.get((method, path), lambda w: {})(world) if method != "get" else None
        assert method == "get" or (method, path) in API_BODIES, f"no sample body for {method.upper()} {path}"
        before = AccessLogEntry.objects.filter(family_id=world.family.pk).count()
        response = _api_call(client, method, url, body)
        assert response["Content-Type"].startswith("application/json"), f"{url}: not JSON"
        if persona == "anonymous":
            assert response.status_code == 401, f"{method} {url}: {response.status_code}"
        elif op.get("x-aggregate") and persona in MANAGERS_IN_SCOPE:
            assert response.status_code == 200, f"{method.upper()} {url} as {persona}: {response.status_code}"
        elif "{" in path:
            assert response.status_code == 404, f"{method.upper()} {url} as {persona}: {response.status_code}"
        else:
            assert response.status_code in (200, 403, 404, 422), f"{method.upper()} {url} as {persona}: {response.status_code}"
        assert "Mäkinen" not in response.content.decode(), f"{url} leaked to {persona}"
        assert AccessLogEntry.objects.filter(family_id=world.family.pk).count() == before


@pytest.mark.parametrize("persona", PARTNER_PERSONAS)
def test_api_answers_404_to_partners_outside_their_own_operations(world, persona):
    """A partner professional, with or without a consent, reaches no team operation of the API."""
    client = _client(world, persona)
    for path, method, _op in api_operations():
        if path.startswith("/api/v1/partner/"):
            continue
        url = _api_url(path, world)
        body = API_BODIES.get((method, path), lambda w: {})(world) if method != "get" else None
        before = AccessLogEntry.objects.count()
        response = _api_call(client, method, url, body)
        assert response.status_code == 404, f"{method.upper()} {url} as {persona}: {response.status_code}"
        assert AccessLogEntry.objects.count() == before


API_PERSONA = {
    ("post", "/api/v1/teams/{team_id}/meetings"): "coordinator",
    ("post", "/api/v1/meetings/{meeting_id}/items"): "coordinator",
    ("get", "/api/v1/caseloads"): "manager",
    ("get", "/api/v1/evaluation/effectiveness"): "manager",
    ("get", "/api/v1/evaluation/county"): "manager",
}


def _api_persona(path, method="get"):
    """The partner's own operations are the consented partner's; the rest the team's."""
    return "partner" if path.startswith("/api/v1/partner/") else API_PERSONA.get((method, path), "worker")


def test_api_permitted_reads_are_logged(world):
    clients = {}
    for path, method, op in api_operations():
        persona = _api_persona(path, method)
        client = clients.setdefault(persona, _client(world, persona))
        url = _api_url(path, world)
        body = API_BODIES.get((method, path), lambda w: {})(world)
        before = AccessLogEntry.objects.count()
        response = _api_call(client, method, url, body)
        assert response.status_code == _succeeds_with(op), f"{method.upper()} {url}: {response.status_code} {response.content[:300]}"
        if op["x-personal-data"]:
            assert AccessLogEntry.objects.count() > before, f"{method.upper()} {url} wrote no access-log entry"


# ---- scope, refusals and names: the log says what was shown --------------------------------------


def test_managers_reach_exactly_the_teams_in_their_scope(world):
    """Every aggregate page of a team: the county's manager and the team's unit manager see it; the
    manager of another unit gets 404 — and sees their own unit's teams."""
    from apps.organisations.models import Unit

    other_unit = Unit.objects.get(pk=world.other_unit_manager.managed_unit_id)
    other_units_team = factories.team(world.county, other_unit, "Perhesosiaalityön tiimi")
    clients = {p: _client(world, p) for p in ("manager", "unit_manager", "other_unit_manager")}
    checked = 0
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure != marks.AGGREGATE or "team_id" not in route:
            continue
        url = _fill(route, pattern, world)
        other_url = url.replace(f"/{world.team.pk}/", f"/{other_units_team.pk}/")
        for persona, client in clients.items():
            in_scope = persona != "other_unit_manager"
            assert client.get(url).status_code == (200 if in_scope else 404), f"{url} as {persona}"
            assert client.get(other_url).status_code == (200 if persona != "unit_manager" else 404), f"{other_url} as {persona}"
        checked += 1
    assert checked >= 4  # fidelity, ratings, caseload (the team's and the manager's)


def test_api_aggregates_reach_exactly_the_managers_in_scope(world):
    """Counts of a team through the API (x-aggregate): the county's manager and the team's unit
    manager read them, the manager of another unit gets 404 — and reads their own unit's teams."""
    from apps.organisations.models import Unit

    other_unit = Unit.objects.get(pk=world.other_unit_manager.managed_unit_id)
    other_units_team = factories.team(world.county, other_unit, "Perhesosiaalityön tiimi")
    clients = {p: _client(world, p) for p in ("manager", "unit_manager", "other_unit_manager")}
    checked = 0
    for path, _method, op in api_operations():
        if not op.get("x-aggregate") or "{team_id}" not in path:
            continue
        url, other_url = _api_url(path, world), _api_url(path, world, team_id=other_units_team.pk)
        for persona, client in clients.items():
            assert client.get(url).status_code == (200 if persona != "other_unit_manager" else 404), f"{url} as {persona}"
            assert client.get(other_url).status_code == (200 if persona != "unit_manager" else 404), f"{other_url} as {persona}"
        checked += 1
    assert checked >= 1  # the team's caseload


def _item_routes():
    """Pages and actions on a record *within* a family or meeting (a second id in the URL)."""
    for route, pattern in app_patterns():
        names = [n for n in pattern.pattern.regex.groupindex if n not in ("family_id", "team_id", "meeting_id", "token")]
        exposure = pattern.callback.systeemi_exposure
        if names and exposure in (marks.PERSONAL, marks.WRITE, marks.CREATE, marks.TEAM_MEETING):
            yield route, pattern, names


def test_a_request_for_another_familys_record_is_refused_and_logs_nothing(world):
    """404 for an id that is not a record of this family (or meeting), and no entry: it showed nothing
    (a 'view' entry would name every family member to someone who saw nothing)."""
    checked = 0
    for persona in ("worker", "coordinator", "auditor", "partner"):
        client = _client(world, persona)
        for route, pattern, names in _item_routes():
            if PERMITTED.get(pattern.name, "worker") != persona and persona != "coordinator":
                continue
            url = _fill(route, pattern, world)
            assert "999999" not in url
            for name in names:
                bad = _fill(route, pattern, world, **{name: 999999})
                assert bad != url
                for method in ("get", "post"):
                    before = AccessLogEntry.objects.count()
                    response = getattr(client, method)(bad, _post_data(pattern.name, world))
                    # 404; or 403 first when the role may not do this at all (the coordinator's phase
                    # form); either way nothing was shown
                    assert response.status_code in (403, 404, 405), f"{method.upper()} {bad} as {persona}: {response.status_code}"
                    if persona in ("worker", "partner"):
                        assert response.status_code in (404, 405), f"{method.upper()} {bad}: {response.status_code}"
                    assert AccessLogEntry.objects.count() == before, f"{method.upper()} {bad} as {persona} wrote log entries"
                    checked += 1
    assert checked >= 20


def test_a_write_refused_for_a_read_only_role_logs_nothing(world):
    """The family therapist reads the family but keeps no register: every write is 403 and logs nothing."""
    client = _client(world, "therapist")
    checked = 0
    for route, pattern in app_patterns():
        if pattern.callback.systeemi_exposure not in (marks.WRITE, marks.CREATE, marks.TEAM_MEETING):
            continue
        url = _fill(route, pattern, world)
        before = AccessLogEntry.objects.count()
        response = client.post(url, _post_data(pattern.name, world))
        assert response.status_code in (403, 404), f"POST {url} as therapist: {response.status_code}"
        assert AccessLogEntry.objects.count() == before, f"a refused POST {url} wrote log entries"
        checked += 1
    assert checked >= 4


def _logging_names():
    """URL names of the pages that log, and the names of the API operations that do."""
    pages = {p.name for _r, p in app_patterns() if p.callback.systeemi_exposure in LOGGING_EXPOSURES}
    return pages | {name for name, _path, _method, op in api_operation_names() if op["x-personal-data"]}


LOGGING_EXPOSURES = (marks.PERSONAL, marks.CREATE, marks.WRITE, marks.OWN_LIST, marks.DISCLOSURE, marks.TEAM_MEETING)


def api_operation_names():
    from apps.api.api import api, log_name

    schema = api.get_openapi_schema()
    functions = {}
    for router in [api.default_router]:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                functions[operation.operation_id or api.get_openapi_operation_id(operation)] = operation.view_func
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            yield log_name(functions[op["operationId"]]), path, method, op


def test_every_view_that_logs_has_a_label_and_every_label_names_a_view():
    from apps.audit.labels import OUTSIDE_REQUEST_LABELS, VIEWS

    logging = _logging_names()
    assert logging - VIEWS.keys() == set(), "views that log without a label in their app's access.LOG_VIEWS"
    all_names = {p.name for _r, p in app_patterns()} | {name for name, *_ in api_operation_names()}
    assert VIEWS.keys() - all_names - OUTSIDE_REQUEST_LABELS.keys() == set(), "labels that name no view"


def test_the_demo_history_names_only_views_the_app_logs_through():
    import inspect
    import re

    from apps.demo import accesslog

    source = inspect.getsource(accesslog)
    named = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', source)) - {"access-log"}
    assert named and named <= _logging_names(), named - _logging_names()


def test_api_refusals_write_nothing(world):
    """An API request refused after the access check (a record of another family, a body that does not
    validate) shows nothing and logs nothing."""
    client = _client(world, "worker")
    checked = 0
    for path, method, _op in api_operations():
        url = _api_url(path, world)
        ids = [m for m in path.split("/") if m.startswith("{") and m not in ("{family_id}", "{team_id}", "{meeting_id}")]
        candidates = [_api_url(path, world, **{name.strip("{}"): 999999}) for name in ids]
        if method != "get":
            candidates.append(url)  # with a body that does not validate
        for bad in candidates:
            before = AccessLogEntry.objects.count()
            body = ["not", "an", "object"] if bad == url else API_BODIES.get((method, path), lambda w: {})(world)
            response = _api_call(client, method, bad, body)
            assert 400 <= response.status_code < 500, f"{method.upper()} {bad}: {response.status_code}"
            assert AccessLogEntry.objects.count() == before, f"{method.upper()} {bad} ({response.status_code}) wrote log entries"
            checked += 1
    assert checked >= 10


def test_personal_api_responses_are_not_stored_by_caches(world):
    clients = {p: _client(world, p) for p in ("worker", "partner")}
    for path, method, op in api_operations():
        if method == "get" and op["x-personal-data"]:
            response = clients[_api_persona(path)].get(_api_url(path, world))
            assert response.status_code == 200
            assert "no-store" in response["Cache-Control"], path


def test_api_reads_are_logged_under_the_operations_name(world):
    clients = {p: _client(world, p) for p in ("worker", "partner")}
    for name, path, method, op in api_operation_names():
        if method != "get" or not op["x-personal-data"]:
            continue
        url = _api_url(path, world)
        last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        assert clients[_api_persona(path)].get(url).status_code == 200
        assert set(AccessLogEntry.objects.filter(id__gt=last_id).values_list("view_name", flat=True)) == {name}, path


# ---- after a transfer: the sending team reads until the handover date and writes nothing ----------


@pytest.fixture
def transferred(world):
    """world.family moved to world.other_team; world.team keeps read access for a month."""
    import datetime

    from apps.access.models import Handover
    from apps.clients.models import Family

    factories.meeting_item(world.family, world.coordinator)  # the sending team discussed the family
    _targets(world)  # its records, made while it was the team's
    Family.objects.filter(pk=world.family.pk).update(team=world.other_team)
    today = date.today()
    Handover.objects.create(
        county=world.county,
        family=world.family,
        from_team=world.team,
        to_team=world.other_team,
        transferred_on=today,
        until=today + datetime.timedelta(days=30),
        created_by=world.consultant,
    )
    world.family.refresh_from_db()
    return world


FAMILY_RECORD_PARAMS = ("family_id", "person_id", "relationship_id", "item_id", "step_id")


@pytest.mark.parametrize("persona", ["coordinator", "worker", "consultant"])
def test_the_sending_team_writes_nothing_after_a_transfer(transferred, persona):
    world = transferred
    client = _client(world, persona)
    item = world.family.agenda_items.select_related("meeting").first()
    record_before = (item.version, item.what_we_know, item.hypotheses.count(), item.steps.count())
    assert client.get(f"/families/{world.family.pk}/").status_code == 200  # reads during the handover
    checked = 0
    for route, pattern in app_patterns():
        exposure = pattern.callback.systeemi_exposure
        if "family_id" not in route and "item_id" not in route and "step_id" not in route:
            continue
        if exposure not in (marks.PERSONAL, marks.WRITE, marks.CREATE, marks.TEAM_MEETING) or pattern.name in PERMITTED:
            continue
        url = _fill(route, pattern, world)
        data = {
            **_post_data(pattern.name, world),
            "action": "record",
            "version": item.version,
            "what_we_know": "Lähettävä tiimi kirjoitti",
            "name": "Muutettu",
            "first_names": "X",
            "last_name": "Y",
            "relation": "child",
            "text": "Hypoteesi siirron jälkeen",
            "perspective": "isä",
        }
        last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.post(url, data)
        assert response.status_code in (403, 404, 405), f"POST {url} by the sending team's {persona}: {response.status_code}"
        assert not AccessLogEntry.objects.filter(id__gt=last_id, action__in=["edit", "create", "export"]).exists(), url
        checked += 1
    item.refresh_from_db()
    assert (item.version, item.what_we_know, item.hypotheses.count(), item.steps.count()) == record_before
    world.family.refresh_from_db()
    assert world.family.name == "Mäkinen"
    assert checked >= 10
    for path, method, _op in api_operations():
        if method == "get" or not any(f"{{{name}}}" in path for name in FAMILY_RECORD_PARAMS):
            continue  # not a write to a family's record (a new family or meeting of the team's own)
        url = _api_url(path, world)
        response = _api_call(client, method, url, API_BODIES[(method, path)](world))
        assert response.status_code in (403, 404, 422), f"{method.upper()} {url} by the sending team: {response.status_code}"


def test_redirect_targets_stay_on_the_site(world):
    client = _client(world, "worker")
    step = factories.meeting_item(world.family, world.worker).steps.first()
    for target in ("//other.example/", "https://other.example/", "/\\other.example/"):
        response = client.post(f"/steps/{step.pk}/status/", {"status": "done", "next": target})
        assert response.status_code == 302 and response["Location"] == "/steps/", (target, response["Location"])
    response = client.post(f"/steps/{step.pk}/status/", {"status": "open", "next": f"/families/{world.family.pk}/"})
    assert response["Location"] == f"/families/{world.family.pk}/"
