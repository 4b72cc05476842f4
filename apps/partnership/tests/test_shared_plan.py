"""The shared plan: versions, conflicts, steps with their owners, lifting a meeting's steps, the
family's agreement, review dates on the deadline lists, the family's page and PDF."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.casework import deadlines
from apps.meetings.models import PlanStep
from apps.partnership import selectors, services
from apps.partnership.access import open_shared_plan, open_step
from apps.partnership.models import PlanAgreement, PlanVersion, SharedPlan, SharedStep, StepOwner
from tests import factories as f

TODAY = timezone.localdate()


def _team(world, who="worker"):
    return open_shared_plan(getattr(world, who), family_id=world.family.pk)


def _save(world, base, who="worker", **fields):
    return services.plan_save(access=_team(world, who), base_version=base, **fields)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_every_save_is_a_new_version_and_the_old_ones_are_kept(world):
    v1 = _save(world, 0, goals="Aamut ilman riitaa", team_part="Kotikäynnit")
    v2 = _save(
        world,
        1,
        goals="Aamut ilman riitaa.\nViikonloput rauhallisia.",
        team_part="Kotikäynnit",
        partner_parts={world.partner.pk: "Kuraattori tapaa viikoittain"},
    )
    assert (v1.number, v2.number) == (1, 2)
    plan = SharedPlan.objects.get(family=world.family)
    assert plan.version == 2 and PlanVersion.objects.filter(plan=plan).count() == 2
    assert PlanVersion.objects.get(plan=plan, number=1).goals == "Aamut ilman riitaa"
    assert v2.partner_parts == [
        {"partner_id": world.partner.pk, "label": "Paula Kumppani, Koulukuraattori, Testilän koulu", "text": "Kuraattori tapaa viikoittain"}
    ]
    diff = selectors.version_diff(v1, v2)
    assert any(d.kind == "added" and d.text == "Viikonloput rauhallisia." for d in diff)
    assert any(d.kind == "removed" and d.text == "Aamut ilman riitaa" for d in diff)
    assert any(d.kind == "same" and d.text == "Kotikäynnit" for d in diff)


def test_a_version_saved_over_a_newer_one_is_refused_and_nothing_is_lost(world):
    _save(world, 0, goals="Ensimmäinen")
    _save(world, 1, who="second_worker", goals="Toisen työntekijän muutos")
    with pytest.raises(services.PlanConflict) as exc:
        _save(world, 1, goals="Minun muutokseni")
    assert exc.value.current.goals == "Toisen työntekijän muutos"
    assert SharedPlan.objects.get(family=world.family).version == 2
    # Through the page: 409, both texts on it, and the form now carries the current version.
    response = _client(world.worker).post(
        f"/families/{world.family.pk}/plan/", {"action": "plan", "version": 1, "goals": "Minun muutokseni", "team_part": "Oma"}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Minun muutokseni" in body and "Toisen työntekijän muutos" in body
    assert 'name="version" value="2"' in body
    assert SharedPlan.objects.get(family=world.family).version == 2


def test_a_step_added_in_between_is_no_conflict_for_the_text(world):
    _save(world, 0, goals="Tavoite")
    services.step_add(
        access=_team(world, "second_worker"), what="Soita koululle", owner_kind=StepOwner.TEAM, owner_user=world.second_worker, due_on=TODAY
    )
    v3 = _save(world, 1, goals="Tarkennettu tavoite")
    assert v3.number == 3 and [s["what"] for s in v3.steps] == ["Soita koululle"]


def test_a_step_owned_by_a_partner_without_consent_is_refused(world):
    for partner in (world.partner_without_consent, world.partner_expired, world.partner_withdrawn):
        with pytest.raises(ValidationError) as exc:
            services.step_add(access=_team(world), what="Tapaa", owner_kind=StepOwner.PARTNER, owner_user=partner, due_on=TODAY)
        assert "suostumusta" in exc.value.message_dict["owner"][0]
    with pytest.raises(ValidationError) as exc:
        services.step_add(access=_team(world), what="Tapaa", owner_kind=StepOwner.TEAM, owner_user=world.stranger, due_on=TODAY)
    assert "tiimin jäsen" in exc.value.message_dict["owner"][0]
    step = services.step_add(access=_team(world), what="Tapaa", owner_kind=StepOwner.PARTNER, owner_user=world.partner, due_on=TODAY)
    assert step.owner_label == "Paula Kumppani, Koulukuraattori, Testilän koulu"


def test_the_step_form_keeps_what_was_typed_when_the_date_is_a_typo(world):
    response = _client(world.worker).post(
        f"/families/{world.family.pk}/plan/",
        {"action": "step", "what": "Kotikäynti perheen kanssa", "owner": f"team:{world.worker.pk}", "due_on": "2062-01-01"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Kotikäynti perheen kanssa" in body and "vuoden" in body
    assert not SharedStep.objects.exists()


def test_a_team_meetings_steps_are_lifted_in_one_action_once(world):
    item = f.meeting_item(world.family, world.worker)
    PlanStep.objects.create(
        county=world.county, family=world.family, item=item, what="Varaa aika perheneuvolaan", owner=world.instructor, due_on=TODAY
    )
    PlanStep.objects.create(
        county=world.county, family=world.family, item=item, what="Valmis jo", owner=world.worker, due_on=TODAY, status="done"
    )
    client = _client(world.worker)
    page = client.get(f"/families/{world.family.pk}/plan/").content.decode()
    assert "Varaa aika perheneuvolaan" in page and "Nosta suunnitelmaan" in page
    assert client.post(f"/families/{world.family.pk}/plan/", {"action": "lift", "item": item.pk}).status_code == 302
    lifted = SharedStep.objects.filter(family=world.family).order_by("what")
    assert [(s.what, s.owner_user) for s in lifted] == [("Soita koululle", world.worker), ("Varaa aika perheneuvolaan", world.instructor)]
    assert all(s.lifted_from_id for s in lifted)
    assert "Nosta suunnitelmaan" not in client.get(f"/families/{world.family.pk}/plan/").content.decode()
    with pytest.raises(ValidationError):
        services.steps_lift(access=_team(world), item=item)
    other_item = f.meeting_item(world.other_family, world.stranger)
    assert client.post(f"/families/{world.family.pk}/plan/", {"action": "lift", "item": other_item.pk}).status_code == 404


def test_a_partner_marks_their_own_step_done_with_a_note_the_worker_sees(world):
    own = f.shared_step(world.family, world.partner, world.worker, what="Aamupalaveri opettajan kanssa")
    team_step = f.shared_step(world.family, world.worker, world.worker, what="Kotikäynti")
    others = f.shared_step(world.family, f.partner(world.county, organisation="Psykiatria"), world.worker, what="Hoitokäynti")
    partner = _client(world.partner)
    response = partner.post(f"/partner/steps/{own.pk}/done/", {"note": "Sovittu maanantaiksi."})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.done_by, own.done_note, own.done_on) == ("done", world.partner, "Sovittu maanantaiksi.", TODAY)
    assert "Paula Kumppani kirjoitti:" in _client(world.worker).get(f"/families/{world.family.pk}/plan/").content.decode()
    assert partner.post(f"/partner/steps/{team_step.pk}/done/", {"note": "x"}).status_code == 403  # seen, not theirs
    assert partner.post(f"/partner/steps/{others.pk}/done/", {"note": "x"}).status_code == 404  # another partner's: unseen
    with pytest.raises(Http404):
        open_step(world.partner, others.pk)
    second = f.shared_step(world.family, world.partner, world.worker, what="Toinen tapaaminen")
    long = partner.post(f"/partner/steps/{second.pk}/done/", {"note": "x" * 600})
    assert long.status_code == 400 and "x" * 600 in long.content.decode()  # kept, with what is wrong
    with pytest.raises(PermissionDenied):
        services.step_set_status(access=open_step(world.partner, own.pk), step=own, status="cancelled")


def test_the_partner_sees_the_family_and_team_and_their_own_never_another_partners(world):
    _save(
        world,
        0,
        goals="Perheen tavoite",
        family_part="Perhe tekee",
        team_part="Tiimi tekee",
        partner_parts={world.partner.pk: "Kuraattorin osuus"},
    )
    psychiatry = f.partner(world.county, "psykiatria", first="Hanna", last="Hoitaja", organisation="Nuorisopsykiatrian poliklinikka")
    f.consent(world.family, psychiatry, world.worker)
    plan = SharedPlan.objects.get(family=world.family)
    _save(
        world,
        plan.version,
        goals="Perheen tavoite",
        family_part="Perhe tekee",
        team_part="Tiimi tekee",
        partner_parts={world.partner.pk: "Kuraattorin osuus", psychiatry.pk: "Hoitokäynnit koordinoidaan"},
    )
    f.shared_step(world.family, psychiatry, world.worker, what="Lääkityksen seuranta")
    f.shared_step(world.family, world.partner, world.worker, what="Kuraattorin tapaaminen")
    body = _client(world.partner).get(f"/partner/plans/{plan.pk}/").content.decode()
    assert "Perheen tavoite" in body and "Kuraattorin osuus" in body and "Kuraattorin tapaaminen" in body
    assert "Hoitokäynnit" not in body and "Lääkityksen" not in body and "Nuorisopsykiatrian" not in body
    team_page = _client(world.worker).get(f"/families/{world.family.pk}/plan/").content.decode()
    assert "Hoitokäynnit koordinoidaan" in team_page and "Lääkityksen seuranta" in team_page


def test_the_familys_agreement_names_the_version_and_what_they_disagree_with(world):
    parent = world.family.members.filter(relation="parent").first()
    with pytest.raises(ValidationError):
        services.agreement_record(access=_team(world), member=parent, agreed=True, agreed_on=TODAY)  # nothing to agree to yet
    _save(world, 0, goals="Tavoite")
    with pytest.raises(ValidationError) as exc:
        services.agreement_record(access=_team(world), member=parent, agreed=False, agreed_on=TODAY)
    assert "eri mieltä" in exc.value.message_dict["disagreement"][0]
    services.agreement_record(access=_team(world), member=parent, agreed=True, agreed_on=TODAY, disagreement="Kotikäyntejä liikaa")
    agreement = PlanAgreement.objects.get()
    assert (agreement.version, agreement.disagreement) == (1, "Kotikäyntejä liikaa")
    _save(world, 1, goals="Uusi tavoite")
    page = _client(world.worker).get(f"/families/{world.family.pk}/plan/").content.decode()
    assert "aiempi versio" in page


def test_the_review_date_is_on_the_deadline_lists(world):
    review = TODAY + datetime.timedelta(days=5)
    _save(world, 0, goals="Tavoite", review_on=review)
    items = [d for d in deadlines.deadlines([world.family.pk]) if d.kind == selectors.REVIEW_KIND]
    assert [(d.due_on, d.url) for d in items] == [(review, f"/families/{world.family.pk}/plan/")]
    assert [d.kind for d in deadlines.deadlines([world.family.pk], worker=world.worker) if d.kind == selectors.REVIEW_KIND]
    assert not [d for d in deadlines.deadlines([world.family.pk], worker=world.stranger) if d.kind == selectors.REVIEW_KIND]
    mine = _client(world.worker).get("/deadlines/").content.decode()
    assert "Yhteisen suunnitelman tarkistus" in mine
    with pytest.raises(ValidationError) as exc:
        _save(world, 1, goals="Tavoite", review_on=TODAY - datetime.timedelta(days=1))
    assert "menneisyydessä" in exc.value.message_dict["review_on"][0]


def test_the_versions_page_shows_what_changed(world):
    _save(world, 0, goals="Aamut sujuvat")
    _save(world, 1, goals="Aamut sujuvat\nIllat rauhallisia", change_note="Illat lisätty")
    body = _client(world.worker).get(f"/families/{world.family.pk}/plan/versions/?a=1&b=2").content.decode()
    assert "<ins" in body and "Illat rauhallisia" in body and "Illat lisätty" in body
    assert _client(world.worker).get(f"/families/{world.family.pk}/plan/versions/?a=x&b=99").status_code == 200


def test_the_family_gets_a_plain_page_and_a_pdf_in_their_language_and_the_pdf_is_disclosed(world):
    _save(world, 0, goals="Aamut sujuvat", team_part="Kotikäynnit")
    client = _client(world.worker)
    page = client.get(f"/families/{world.family.pk}/plan/family/?lang=sv").content.decode()
    assert 'lang="sv"' in page and "Vår gemensamma plan" in page and "Aamut sujuvat" in page
    before = AccessLogEntry.objects.filter(kind="disclosure").count()
    response = client.get(f"/families/{world.family.pk}/plan/family/?format=pdf&lang=en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    disclosures = AccessLogEntry.objects.filter(kind="disclosure")
    assert disclosures.count() == before + world.family.members.count()
    assert disclosures.latest("id").view_name == "shared-plan-family"


def test_the_read_only_therapist_and_the_sending_team_read_but_do_not_change(world):
    _save(world, 0, goals="Tavoite")
    therapist = _client(world.therapist)
    assert therapist.get(f"/families/{world.family.pk}/plan/").status_code == 200
    assert therapist.post(f"/families/{world.family.pk}/plan/", {"action": "plan", "version": 1, "goals": "Muutettu"}).status_code == 403
    assert SharedPlan.objects.get(family=world.family).version == 1
