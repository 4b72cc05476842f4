"""Handover at closure: a summary drafted from the plan and the joint assessment, edited by the
worker, shared by the family's consent (a disclosure), read by the receiving professional."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.clients.access import family_access, open_family
from apps.partnership import services
from apps.partnership.models import HandoverShare, HandoverSummary, StepOwner
from tests import factories as f

TODAY = timezone.localdate()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_draft_gathers_the_plan_and_the_joint_assessment(world):
    access = open_family(world.worker, world.family.pk)
    from apps.partnership.access import open_shared_plan

    plan_access = open_shared_plan(world.worker, family_id=world.family.pk)
    services.plan_save(access=plan_access, base_version=0, goals="Haluamme rauhallisemmat illat.")
    done = services.step_add(
        access=plan_access, what="Aamupalaveri koululla", owner_kind=StepOwner.PARTNER, owner_user=world.partner, due_on=TODAY
    )
    services.step_set_status(access=plan_access, step=done, status="done")
    services.step_add(
        access=plan_access,
        what="Harrastus syksyllä",
        owner_kind=StepOwner.TEAM,
        owner_user=world.worker,
        due_on=TODAY + datetime.timedelta(days=30),
    )
    child = world.family.members.filter(relation="child").first()
    joint, _l, _t = f.joint_assessment(world.family, world.worker, answers=[(child, {"safety": 2, "health": 4})])
    services.joint_conclude(access=access, assessment=joint, conclusion="Arki sujuu nyt hyvin.")
    summary = f.handover(world.family, world.worker)
    assert "Aamupalaveri koululla" in summary.what_helped and "Arki sujuu nyt hyvin." in summary.what_helped
    assert "Turvallisuus" in summary.what_to_watch
    assert "Paula Kumppani" in summary.contacts and str(world.worker) in summary.contacts
    assert summary.family_words.startswith("Haluamme rauhallisemmat illat.")
    assert "Harrastus syksyllä" in summary.open_steps and "Aamupalaveri" not in summary.open_steps


def test_only_a_closed_relationship_gets_a_summary(world):
    open_rel = world.family.relationships.first()
    with pytest.raises(ValidationError) as exc:
        services.handover_draft(access=family_access(world.worker, world.family), relationship=open_rel)
    assert "päättynyt" in exc.value.message_dict["relationship"][0]


def test_sharing_needs_a_consent_and_is_a_disclosure(world):
    summary = f.handover(world.family, world.worker)
    access = open_family(world.worker, world.family.pk)
    for partner in (world.partner_without_consent, world.partner_expired, world.partner_withdrawn):
        with pytest.raises(ValidationError) as exc:
            services.handover_share(access=access, summary=summary, recipient=partner)
        assert "suostumus" in exc.value.message_dict["recipient"][0]
    before = AccessLogEntry.objects.filter(kind="disclosure").count()
    response = _client(world.worker).post(
        f"/families/{world.family.pk}/handovers/{summary.pk}/", {"action": "share", "recipient": world.partner.pk}
    )
    assert response.status_code == 302
    disclosures = AccessLogEntry.objects.filter(kind="disclosure").order_by("id")[before:]
    assert len(disclosures) == world.family.members.count()
    assert {d.view_name for d in disclosures} == {"handover"} and "Testilän koulu" in disclosures[0].recipient
    assert "Koulun oppilashuolto" in disclosures[0].legal_basis
    assert HandoverShare.objects.get(summary=summary).consent == world.consent
    again = _client(world.worker).post(
        f"/families/{world.family.pk}/handovers/{summary.pk}/", {"action": "share", "recipient": world.partner.pk}
    )
    assert again.status_code == 400 and "jo jaettu" in again.content.decode()


def test_the_worker_edits_and_only_social_workers_share(world):
    summary = f.handover(world.family, world.worker)
    url = f"/families/{world.family.pk}/handovers/{summary.pk}/"
    response = _client(world.instructor).post(url, {"action": "save", "what_helped": "Kotikäynnit auttoivat.", "contacts": "Sari"})
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.what_helped == "Kotikäynnit auttoivat." and summary.updated_by == world.instructor
    assert _client(world.instructor).post(url, {"action": "share", "recipient": world.partner.pk}).status_code == 403
    assert _client(world.therapist).post(url, {"action": "save", "what_helped": "x"}).status_code == 403


def test_the_receiving_professional_reads_it_as_a_partner_does(world):
    summary = f.handover(world.family, world.worker, share_with=world.partner)
    partner = _client(world.partner)
    home = partner.get("/partner/").content.decode()
    assert f"/partner/handovers/{summary.pk}/" in home
    before = AccessLogEntry.objects.count()
    page = partner.get(f"/partner/handovers/{summary.pk}/")
    assert page.status_code == 200 and "Lotta" in page.content.decode()
    entries = AccessLogEntry.objects.all()[before:]
    assert {(e.actor_role, e.purpose, e.view_name) for e in entries} == {("partner", "consented_cooperation", "partner-handover")}
    other = f.handover(world.family, world.worker, child_name="Elsa")  # not shared with them
    assert partner.get(f"/partner/handovers/{other.pk}/").status_code == 404
    assert _client(world.partner_without_consent).get(f"/partner/handovers/{summary.pk}/").status_code == 404
    world.consent.withdrawn_at = timezone.now()
    world.consent.save()
    assert partner.get(f"/partner/handovers/{summary.pk}/").status_code == 404
    assert HandoverSummary.objects.count() == 2
