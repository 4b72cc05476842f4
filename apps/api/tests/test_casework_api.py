"""Casework through the API: the same forms, services and rules as the casework pages."""

import datetime
import json

import pytest
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.casework.models import Assessment, ClientPlan, InterfaceAssessment, Notification, PersonalMeeting
from apps.clients.models import ClientRelationship, Family, FamilyMember, Phase, Relation
from tests import factories as f

TODAY = timezone.localdate()


@pytest.fixture
def api(client, world):
    client.force_login(world.worker)
    return client


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _notification_body(child, **extra):
    return {
        "child_id": child.pk,
        "received_on": str(TODAY - datetime.timedelta(days=2)),
        "notifier_type": "school",
        "notifier_name": "Rehtori Rantanen",
        "summary": "Lapsi on ollut paljon poissa koulusta.",
        **extra,
    }


def test_a_notification_from_registration_to_the_notifier_being_told(api, world):
    child = world.family.relationships.first().child
    base = f"/api/v1/families/{world.family.pk}/notifications"
    created = _post(api, base, _notification_body(child))
    assert created.status_code == 201, created.content
    n = created.json()
    assert (n["child_id"], n["decision"], n["owes_notifier_reply"], n["assessment_id"]) == (child.pk, "", False, None)
    assert n["decision_due"] > n["received_on"] and "LsL 26 §" in n["decision_due_source"]

    listed = api.get(base).json()
    assert [row["id"] for row in listed] == [n["id"]] and listed[0]["responsible_worker"] == "Sari Sosiaalinen"

    decided = _post(api, f"{base}/{n['id']}/decision", {"decision": "start_investigation", "decided_on": str(TODAY)})
    assert decided.status_code == 200 and decided.json()["owes_notifier_reply"] is True
    assessment = Assessment.objects.get(notification_id=n["id"])
    assert decided.json()["assessment_id"] == assessment.pk
    again = _post(api, f"{base}/{n['id']}/decision", {"decision": "no_investigation", "decided_on": str(TODAY)})
    assert again.status_code == 422 and again.json()["detail"] == {"__all__": ["Ilmoituksesta on jo tehty päätös."]}

    informed = _post(api, f"{base}/{n['id']}/notifier-informed", {"informed_on": str(TODAY), "how": "puhelimitse"})
    assert informed.status_code == 200
    detail = api.get(f"{base}/{n['id']}").json()
    assert (detail["notifier_informed_how"], detail["owes_notifier_reply"], detail["decided_by_id"]) == (
        "puhelimitse",
        False,
        world.worker.pk,
    )


def test_a_text_longer_than_the_form_allows_is_refused_whole_and_nothing_is_kept(api, world):
    """The page's form limits the description of concern to 4,000 characters; so does the API, with a message."""
    child = world.family.relationships.first().child
    response = _post(api, f"/api/v1/families/{world.family.pk}/notifications", _notification_body(child, summary="x" * 200_000))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "summary" and "4000" in error["msg"] and "200000" in error["msg"]
    assert not Notification.objects.exists()


def test_the_forms_own_rules_apply(api, world):
    """The form's cross-field rules and choices, with its messages and the API's field names."""
    url = f"/api/v1/families/{world.family.pk}/notifications"
    child = world.family.relationships.first().child
    anonymous = _post(api, url, _notification_body(child, anonymous=True))
    assert anonymous.status_code == 422
    assert anonymous.json()["detail"] == {"anonymous": ["Nimettömällä ilmoituksella ei ole ilmoittajan nimeä eikä yhteystietoa."]}
    parent = world.family.members.filter(relation=Relation.PARENT).first().person
    not_a_child = _post(api, url, _notification_body(parent))
    assert not_a_child.status_code == 422 and list(not_a_child.json()["detail"]) == ["child_id"]
    # A child with no open client relationship needs a responsible worker (the service's rule).
    newborn = f.person(world.county, "Vauva", "Mäkinen", birth=TODAY - datetime.timedelta(days=30))
    FamilyMember.objects.create(county=world.county, family=world.family, person=newborn, relation=Relation.CHILD)
    no_worker = _post(api, url, _notification_body(newborn))
    assert no_worker.status_code == 422 and list(no_worker.json()["detail"]) == ["responsible_worker_id"]
    stranger = _post(api, url, _notification_body(newborn, responsible_worker_id=world.stranger.pk))
    assert stranger.status_code == 422 and list(stranger.json()["detail"]) == ["responsible_worker_id"]
    opened = _post(api, url, _notification_body(newborn, responsible_worker_id=world.second_worker.pk))
    assert opened.status_code == 201
    assert ClientRelationship.objects.get(child=newborn).responsible_worker == world.second_worker
    assert Notification.objects.count() == 1


def test_casework_stays_inside_the_team(client, world):
    """The notifier's identity never reaches a partner (their consent opens the shared plan only); the therapist reads and records nothing."""
    child = world.family.relationships.first().child
    n = f.notification(world.family, child, world.worker)
    url = f"/api/v1/families/{world.family.pk}/notifications"
    client.force_login(world.partner)
    for path in (url, f"{url}/{n.pk}", f"/api/v1/families/{world.family.pk}/assessments"):
        response = client.get(path)
        assert response.status_code == 404 and "Rantanen" not in response.content.decode()
    client.force_login(world.therapist)
    assert client.get(f"{url}/{n.pk}").json()["notifier_name"] == "Rehtori Rantanen"
    before = AccessLogEntry.objects.count()
    assert _post(client, url, _notification_body(child)).status_code == 403
    assert _post(client, f"{url}/{n.pk}/decision", {"decision": "no_investigation", "decided_on": str(TODAY)}).status_code == 403
    assert AccessLogEntry.objects.count() == before and Notification.objects.count() == 1


def test_completing_an_assessment_moves_the_relationship_on(api, world):
    rel = world.family.relationships.first()
    rel.current_phase = Phase.ASSESSMENT
    rel.save()
    a = f.assessment(world.family, rel.child, world.worker)
    url = f"/api/v1/families/{world.family.pk}/assessments"
    [listed] = api.get(url).json()
    assert (listed["id"], listed["completed_on"]) == (a.pk, None) and listed["due_on"] > listed["matter_arrived_on"]
    early = _post(api, f"{url}/{a.pk}/completion", {"completed_on": str(a.started_on - datetime.timedelta(days=1)), "outcome": "no_need"})
    assert early.status_code == 422 and list(early.json()["detail"]) == ["completed_on"]
    done = _post(api, f"{url}/{a.pk}/completion", {"completed_on": str(TODAY), "outcome": "no_need"})
    assert done.status_code == 200 and done.json()["outcome"] == "no_need"
    rel.refresh_from_db()
    assert rel.current_phase == Phase.CLOSED
    assert _post(api, f"{url}/{a.pk}/completion", {"completed_on": str(TODAY), "outcome": "no_need"}).status_code == 422


def test_client_plans_and_personal_meetings(api, world):
    rel = world.family.relationships.first()
    base = f"/api/v1/families/{world.family.pk}/relationships/{rel.pk}"
    assert _post(api, f"{base}/plans", {"made_on": str(TODAY), "meetings_per_year": 53}).status_code == 422
    before_opening = _post(api, f"{base}/plans", {"made_on": str(rel.opened_on - datetime.timedelta(days=1))})
    assert before_opening.status_code == 422 and list(before_opening.json()["detail"]) == ["made_on"]
    plan = _post(api, f"{base}/plans", {"kind": "initial", "made_on": str(TODAY), "meetings_per_year": 12})
    assert plan.status_code == 201 and plan.json()["recorded_by_id"] == world.worker.pk
    assert [p["id"] for p in api.get(f"{base}/plans").json()] == [plan.json()["id"]]

    too_long = _post(api, f"{base}/personal-meetings", {"met_on": str(TODAY), "note": "x" * 301})
    assert too_long.status_code == 422 and "300" in too_long.json()["detail"][0]["msg"]
    met = _post(api, f"{base}/personal-meetings", {"met_on": str(TODAY), "note": "Kotikäynti"})
    assert met.status_code == 201
    assert api.get(f"{base}/personal-meetings").json() == [met.json()]
    assert PersonalMeeting.objects.get().worker == world.worker and ClientPlan.objects.count() == 1
    # Another family's relationship is not a record of this family.
    other = world.other_family.relationships.first()
    assert api.get(f"/api/v1/families/{world.family.pk}/relationships/{other.pk}/plans").status_code == 404


def test_deadlines_mine_and_my_teams(api, world):
    child = world.family.relationships.first().child
    f.notification(world.family, child, world.worker, received_on=TODAY - datetime.timedelta(days=30))
    before = AccessLogEntry.objects.count()
    mine = api.get("/api/v1/deadlines").json()
    decision = [d for d in mine if d["kind"] == "investigation_decision"]
    assert len(decision) == 1 and decision[0]["overdue"] and decision[0]["days_left"] < 0
    assert decision[0]["family_name"] == "Mäkinen" and decision[0]["worker_name"] == "Sari Sosiaalinen"
    assert AccessLogEntry.objects.filter(id__gt=before, action="list", family_id=world.family.pk).exists()
    team = api.get(f"/api/v1/teams/{world.team.pk}/deadlines").json()
    assert [d["kind"] for d in team["overdue"]] == [d["kind"] for d in mine if d["overdue"]]
    assert team["notifier_replies_owed"] == []
    client_of_other_team = api.get(f"/api/v1/teams/{world.other_team.pk}/deadlines")
    assert client_of_other_team.status_code == 404


def _transfer_body(world, **extra):
    return {
        "to_team_id": world.other_team.pk,
        "responsible_worker_id": world.stranger.pk,
        "criteria": ["safety_ensured"],
        "reasoning": "Perhe hyötyy perhesosiaalityöstä.",
        "joint_meeting_on": str(TODAY),
        "family_agreed": True,
        **extra,
    }


def test_the_rajapinta_transfer(api, world):
    url = f"/api/v1/families/{world.family.pk}/transfers"
    own_team = _post(api, url, _transfer_body(world, to_team_id=world.team.pk))
    assert own_team.status_code == 422 and list(own_team.json()["detail"]) == ["to_team_id"]
    wrong_worker = _post(api, url, _transfer_body(world, responsible_worker_id=world.second_worker.pk))
    assert wrong_worker.status_code == 422 and list(wrong_worker.json()["detail"]) == ["responsible_worker_id"]
    unheard = _post(api, url, _transfer_body(world, family_agreed=False))
    assert unheard.status_code == 422 and list(unheard.json()["detail"]) == ["family_view"]
    assert not InterfaceAssessment.objects.exists()

    moved = _post(api, url, _transfer_body(world, handover_days=14))
    assert moved.status_code == 201, moved.content
    assert moved.json()["handover_until"] == str(TODAY + datetime.timedelta(days=14))
    assert Family.objects.get(pk=world.family.pk).team == world.other_team
    # The sending team reads the family's casework during the handover and changes nothing.
    assert [t["to_team_id"] for t in api.get(url).json()] == [world.other_team.pk]
    assert _post(api, url, _transfer_body(world, to_team_id=world.team.pk)).status_code == 403
