"""Recording and withdrawing a family's consent to share its plan with a partner professional."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.clients.access import open_family
from apps.clients.models import FamilyMember, Relation
from apps.partnership import services
from apps.partnership.access import consented_scopes, open_shared_plan
from apps.partnership.models import Consent, SharedPlan
from tests import factories as f

TODAY = timezone.localdate()


def _adult(world, family=None):
    return (family or world.family).members.filter(relation=Relation.PARENT).select_related("person").first()


def _teen(world, age=13):
    child = f.person(world.county, "Veera", "Mäkinen", birth=TODAY - datetime.timedelta(days=age * 366))
    return FamilyMember.objects.create(county=world.county, family=world.family, person=child, relation=Relation.CHILD)


def _views(family):
    """The own views of the family's children aged 12 to 17 (world.family's are 13 and 14)."""
    return {m.pk: f"{m.person.first_names}: saa kertoa." for m in services.children_to_hear(family.members.select_related("person"), TODAY)}


def _record(world, family=None, **kw):
    family = family or world.family
    args = {
        "partner": world.partner_without_consent,
        "purpose": "Neuvolan perhetyö",
        "valid_from": TODAY,
        "valid_until": TODAY + datetime.timedelta(days=90),
        "givers": [_adult(world, family)],
        "child_views": _views(family),
    }
    args.update(kw)
    return services.consent_record(access=open_family(world.worker, family.pk), **args)


def _messages(exc: ValidationError) -> dict:
    return exc.message_dict


def test_a_recorded_consent_opens_the_plan_to_the_partner_and_is_logged(world):
    before = AccessLogEntry.objects.count()
    consent = _record(world, ecomap=True)
    assert consent.parties.get(gave=True).member == _adult(world)
    assert {p.view for p in consent.parties.filter(gave=False)} == {"Aino: saa kertoa.", "Eino: saa kertoa."}
    assert consented_scopes(world.partner_without_consent, world.family.pk) == {"shared_plan", "own_steps", "ecomap"}
    assert consented_scopes(world.partner, world.family.pk) == {"shared_plan", "own_steps", "ecomap"}  # the world's school may see it
    assert consented_scopes(world.worker, world.family.pk) == frozenset()  # the team's door is the family rule
    assert SharedPlan.objects.filter(family=world.family).exists()
    access = open_shared_plan(world.partner_without_consent, family_id=world.family.pk)
    assert access.role == "partner" and access.purpose == "consented_cooperation"
    entry = AccessLogEntry.objects.filter(id__gt=0).order_by("-id").exclude(actor=world.partner_without_consent).first()
    assert AccessLogEntry.objects.count() > before and entry.action == "create" and entry.actor_id == world.worker.pk


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"valid_until": TODAY - datetime.timedelta(days=1)}, "valid_until", "menneisyydessä"),
        ({"givers": []}, "givers", "kuka perheestä antoi"),
        ({"purpose": "  "}, "purpose", "mihin yhteistyöhön"),
    ],
)
def test_bad_consents_are_refused_with_a_clear_message(world, change, field, words):
    with pytest.raises(ValidationError) as exc:
        _record(world, **change)
    assert words in " ".join(_messages(exc.value)[field])
    assert not Consent.objects.filter(partner=world.partner_without_consent).exists()


def test_a_giver_must_be_of_this_family_and_an_adult_must_give_it(world):
    stranger_parent = (
        _adult(world, world.other_family) or f.family(world.other_team, "Muu", parents=1).members.filter(relation="parent").first()
    )
    with pytest.raises(ValidationError) as exc:
        _record(world, givers=[stranger_parent])
    assert "tämän perheen jäsen" in _messages(exc.value)["givers"][0]
    child = world.family.members.filter(relation=Relation.CHILD).first()
    with pytest.raises(ValidationError) as exc:
        _record(world, givers=[child])
    assert "täysi-ikäinen" in _messages(exc.value)["givers"][0]


def test_a_child_of_twelve_is_heard_before_the_consent_is_recorded(world):
    views = _views(world.family)
    teen = _teen(world, age=12)
    with pytest.raises(ValidationError) as exc:
        _record(world, child_views=views)
    message = _messages(exc.value)["child_views"][0]
    assert "Veera" in message and "12" in message and "Aino" not in message
    consent = _record(world, child_views={**views, teen.pk: "Saa kertoa neuvolaan."})
    heard = consent.parties.get(member=teen)
    assert heard.view == "Saa kertoa neuvolaan." and not heard.gave


def test_a_young_child_needs_no_view_and_a_partner_must_be_a_partner(world):
    young = f.family(world.team, "Nuorinen", children=1, parents=1, worker=world.worker)
    child = young.members.get(relation=Relation.CHILD).person
    child.birth_date = TODAY - datetime.timedelta(days=8 * 366)
    child.save()
    assert _record(world, family=young, child_views={}).parties.count() == 1
    with pytest.raises(ValidationError) as exc:
        _record(world, partner=world.stranger)
    assert "partner" in _messages(exc.value)


def test_withdrawing_ends_the_partners_access_on_their_next_request(world):
    client = Client()
    client.force_login(world.partner)
    plan = SharedPlan.objects.get(family=world.family)
    assert client.get(f"/partner/plans/{plan.pk}/").status_code == 200
    worker = Client()
    worker.force_login(world.worker)
    response = worker.post(f"/families/{world.family.pk}/consents/{world.consent.pk}/withdraw/", {"note": "Äiti perui"})
    assert response.status_code == 302
    world.consent.refresh_from_db()
    assert world.consent.withdrawn_at and world.consent.withdrawn_by == world.worker and world.consent.state == "withdrawn"
    assert client.get(f"/partner/plans/{plan.pk}/").status_code == 404
    assert "Mäkinen" not in client.get("/partner/").content.decode()
    again = worker.post(f"/families/{world.family.pk}/consents/{world.consent.pk}/withdraw/", {"note": ""})
    assert again.status_code == 302  # already withdrawn: said so, nothing changes
    world.consent.refresh_from_db()
    assert world.consent.withdrawal_note == "Äiti perui"


def test_only_social_workers_record_consents(world):
    for persona in ("instructor", "coordinator", "therapist"):
        client = Client()
        client.force_login(getattr(world, persona))
        assert client.get(f"/families/{world.family.pk}/consents/").status_code == 200
        response = client.post(f"/families/{world.family.pk}/consents/", {"purpose": "x"})
        assert response.status_code == 403, persona


def test_the_consent_form_keeps_what_was_typed_and_explains_in_the_users_language(world):
    client = Client()
    client.force_login(world.worker)
    data = {
        "partner": world.partner_without_consent.pk,
        "purpose": "Neuvolan perhetyö ja kotikäynnit",
        "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "givers": [],
    }
    response = client.post(f"/families/{world.family.pk}/consents/", data, HTTP_ACCEPT_LANGUAGE="sv")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Neuvolan perhetyö ja kotikäynnit" in body  # nothing typed is lost
    assert not Consent.objects.filter(partner=world.partner_without_consent).exists()
    client.cookies.load({"django_language": "sv"})
    response = client.post(f"/families/{world.family.pk}/consents/", data)
    body = response.content.decode()
    assert "Samtycket kan inte upphöra i det förflutna" in body, body[body.find("form-errors") : body.find("form-errors") + 600]
    assert "barnets egen syn" in body.lower()
