"""Partnership API: the plan's versions with conflicts, consents that open and close a partner's door,
the partner marking their own step done, joint assessments and handover summaries."""

import datetime
import json

from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.partnership.models import PlanVersion, SharedStep
from apps.partnership.services import children_to_hear
from tests import factories as f

TODAY = timezone.localdate()


def _send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_a_version_saved_over_a_newer_one_is_refused_with_the_current_plan(client, world):
    client.force_login(world.worker)
    url = f"/api/v1/families/{world.family.pk}/shared-plan/versions"
    first = _send(client, "post", url, {"base_version": 0, "goals": "Rauhalliset illat"})
    assert first.status_code == 201 and first.json()["number"] == 1
    stale = _send(client, "post", url, {"base_version": 0, "goals": "Koulu sujuu"})
    assert stale.status_code == 409
    assert stale.json()["current"]["goals"] == "Rauhalliset illat" and stale.json()["version"] == 1
    assert list(PlanVersion.objects.filter(plan__family=world.family).values_list("goals", flat=True)) == ["Rauhalliset illat"]
    versions = client.get(url).json()
    assert [v["number"] for v in versions] == [1]


def test_a_step_for_a_partner_needs_their_consent(client, world):
    client.force_login(world.worker)
    url = f"/api/v1/families/{world.family.pk}/shared-plan/steps"
    body = {"what": "Tapaaminen", "owner_kind": "partner", "owner_id": world.partner_expired.pk, "due_on": str(TODAY)}
    refused = _send(client, "post", url, body)
    assert refused.status_code == 422 and "suostumusta" in refused.json()["detail"]["owner"][0]
    ok = _send(client, "post", url, {**body, "owner_id": world.partner.pk})
    assert ok.status_code == 201 and "Paula Kumppani" in ok.json()["owner"]


def test_the_partner_marks_their_own_step_done_and_the_worker_reads_the_note(client, world):
    own = f.shared_step(world.family, world.partner, world.worker, what="Aamupalaveri")
    team_step = f.shared_step(world.family, world.worker, world.worker, what="Kotikäynti")
    others = f.shared_step(world.family, f.consent(world.family, f.partner(world.county), world.worker).partner, world.worker)
    client.force_login(world.partner)
    home = client.get("/api/v1/partner/plans").json()
    assert [row["family_id"] for row in home["plans"]] == [world.family.pk]
    plan = client.get(f"/api/v1/partner/plans/{own.plan_id}").json()
    assert [s["what"] for s in plan["own_steps"]] == ["Aamupalaveri"]
    assert others.pk not in [s["id"] for s in plan["other_steps"]]
    done = _send(client, "patch", f"/api/v1/partner/steps/{own.pk}", {"status": "done", "note": "Sovittiin tukitunnit"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    # A team step the partner may see but not mark; another partner's step they may not even see.
    assert _send(client, "patch", f"/api/v1/partner/steps/{team_step.pk}", {"status": "done"}).status_code == 403
    assert _send(client, "patch", f"/api/v1/partner/steps/{others.pk}", {"status": "done"}).status_code == 404
    assert SharedStep.objects.get(pk=team_step.pk).status == "open"
    client.force_login(world.worker)
    steps = client.get(f"/api/v1/families/{world.family.pk}/shared-plan").json()["steps"]
    assert {s["what"]: (s["status"], s["done_note"]) for s in steps}["Aamupalaveri"] == ("done", "Sovittiin tukitunnit")


def test_a_partner_read_is_a_disclosure_and_withdrawal_ends_it(client, world):
    step = f.shared_step(world.family, world.partner, world.worker)
    partner = client.__class__()
    partner.force_login(world.partner)
    before = AccessLogEntry.objects.filter(kind="disclosure").count()
    assert partner.get(f"/api/v1/partner/plans/{step.plan_id}").status_code == 200
    disclosures = AccessLogEntry.objects.filter(kind="disclosure").order_by("id")[before:]
    assert disclosures and "Testilän koulu" in disclosures[0].recipient and "Koulun oppilashuolto" in disclosures[0].legal_basis
    client.force_login(world.worker)
    withdrawn = _send(client, "post", f"/api/v1/families/{world.family.pk}/consents/{world.consent.pk}/withdrawal", {"note": "Äiti soitti"})
    assert withdrawn.status_code == 201 and withdrawn.json()["state"] == "withdrawn"
    assert partner.get(f"/api/v1/partner/plans/{step.plan_id}").status_code == 404
    assert _send(partner, "patch", f"/api/v1/partner/steps/{step.pk}", {"status": "done"}).status_code == 404
    assert partner.get("/api/v1/partner/plans").json()["plans"] == []


def test_a_consent_needs_the_view_of_a_child_of_twelve_or_more(client, world):
    client.force_login(world.worker)
    members = list(world.family.members.select_related("person"))
    parent = next(m for m in members if m.relation != "child")
    teen = next(m for m in members if m.relation == "child" and m.person.birth_date.year == 2012)
    new_partner = f.partner(world.county)
    body = {
        "partner_id": new_partner.pk,
        "purpose": "Neuvola",
        "valid_from": str(TODAY),
        "valid_until": str(TODAY + datetime.timedelta(days=60)),
        "giver_ids": [parent.pk],
    }
    url = f"/api/v1/families/{world.family.pk}/consents"
    refused = _send(client, "post", url, body)
    assert refused.status_code == 422 and teen.person.first_names in refused.json()["detail"]["child_views"][0]
    views = {str(m.pk): "Saa kertoa koulusta" for m in children_to_hear(members, TODAY)}
    ok = _send(client, "post", url, {**body, "child_views": views})
    assert ok.status_code == 201
    assert {"member_id": teen.pk, "gave": False, "view": "Saa kertoa koulusta"} in ok.json()["parties"]
    assert _send(client, "post", url, {**body, "partner_id": world.worker.pk, "child_views": views}).status_code == 422


def test_joint_assessment_views_side_by_side_with_the_widest_difference_marked(client, world):
    client.force_login(world.worker)
    base = f"/api/v1/families/{world.family.pk}/joint-assessments"
    joint = _send(client, "post", base, {"title": "Syksy"}).json()
    child = world.family.members.filter(relation="child").first()
    url = f"{base}/{joint['id']}"
    assert _send(client, "post", f"{url}/answers", {"member_id": child.pk, "marks": {"safety": 1, "health": 4}}).status_code == 201
    assert _send(client, "post", f"{url}/answers", {"user_id": world.worker.pk, "marks": {"safety": 5, "health": 4}}).status_code == 201
    bad = _send(client, "post", f"{url}/answers", {"user_id": world.worker.pk, "marks": {"safety": 9}})
    assert bad.status_code == 422
    areas = {a["key"]: a for a in client.get(url).json()["areas"]}
    assert areas["safety"]["spread"] == 4 and areas["safety"]["most"] and not areas["health"]["differs"]
    link = _send(client, "post", f"{url}/links", {"member_id": child.pk}).json()
    assert "/y/" in link["url"] and link["audience"] in ("young_child", "child")
    concluded = _send(client, "post", f"{url}/conclusion", {"conclusion": "Turvallisuudesta puhutaan kotona"})
    assert concluded.status_code == 201 and concluded.json()["concluded_at"]
    assert _send(client, "post", f"{url}/answers", {"member_id": child.pk, "marks": {"safety": 2}}).status_code == 422


def test_a_handover_is_drafted_edited_and_shared_only_with_consent(client, world):
    summary = f.handover(world.family, world.worker)
    client.force_login(world.worker)
    base = f"/api/v1/families/{world.family.pk}/handovers"
    open_rel = world.family.relationships.filter(closed_on__isnull=True).first()
    assert _send(client, "post", base, {"relationship_id": open_rel.pk}).status_code == 422
    url = f"{base}/{summary.pk}"
    assert _send(client, "patch", url, {}).status_code == 422
    edited = _send(client, "patch", url, {"what_helped": "Kotikäynnit"})
    assert edited.status_code == 200 and edited.json()["what_helped"] == "Kotikäynnit"
    assert _send(client, "post", f"{url}/shares", {"recipient_id": world.partner_withdrawn.pk}).status_code == 422
    shared = _send(client, "post", f"{url}/shares", {"recipient_id": world.partner.pk})
    assert shared.status_code == 201 and [s["recipient_id"] for s in shared.json()["shares"]] == [world.partner.pk]
    client.force_login(world.partner)
    assert client.get("/api/v1/partner/plans").json()["handover_ids"] == [summary.pk]
    assert client.get(f"/api/v1/partner/handovers/{summary.pk}").json()["what_helped"] == "Kotikäynnit"
    client.force_login(world.partner_without_consent)
    assert client.get(f"/api/v1/partner/handovers/{summary.pk}").status_code == 404
