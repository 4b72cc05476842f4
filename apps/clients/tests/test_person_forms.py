"""Creating and editing people: validation in the user's language, nothing typed is lost."""

import datetime

from apps.audit.models import AccessLogEntry
from apps.clients.models import Person
from tests.factories import identity_code

VALID = {
    "first_names": "Eino Juhani",
    "last_name": "Mäkinen",
    "language": "fi",
    "relation": "child",
    "birth_date": "2019-02-03",
    "street_address": "Rantatie 1",
    "postal_code": "33100",
    "post_office": "Tampere",
}


def test_bad_identity_code_is_explained_and_input_kept(client, world):
    client.force_login(world.worker)
    response = client.post(f"/families/{world.family.pk}/people/new/", {**VALID, "personal_identity_code": "030219A901X"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "tarkistusmerkki" in body
    assert 'value="Eino Juhani"' in body and 'value="Rantatie 1"' in body
    assert not Person.objects.filter(first_names="Eino Juhani").exists()


def test_bad_input_in_english_gets_english_message(client, world):
    client.force_login(world.worker)
    client.cookies["django_language"] = "en"
    response = client.post(f"/families/{world.family.pk}/people/new/", {**VALID, "postal_code": "331"})
    assert response.status_code == 200
    assert Person.objects.filter(first_names="Eino Juhani").count() == 0


def test_birth_date_must_match_identity_code(client, world):
    client.force_login(world.worker)
    code = identity_code(datetime.date(2019, 2, 4), 931)
    response = client.post(f"/families/{world.family.pk}/people/new/", {**VALID, "personal_identity_code": code})
    assert "ei vastaa henkilötunnusta" in response.content.decode()


def test_identity_code_fills_birth_date_and_saves(client, world):
    client.force_login(world.worker)
    code = identity_code(datetime.date(2019, 2, 3), 931)
    data = {**VALID, "birth_date": "", "personal_identity_code": code.lower()}
    response = client.post(f"/families/{world.family.pk}/people/new/", data)
    assert response.status_code == 302
    person = Person.objects.get(first_names="Eino Juhani")
    assert person.personal_identity_code == code and person.birth_date == datetime.date(2019, 2, 3)
    assert person.county_id == world.county.pk
    assert AccessLogEntry.objects.filter(person_id=person.pk, action="create", actor=world.worker).exists()


def test_duplicate_identity_code_in_county_is_refused(client, world):
    client.force_login(world.worker)
    existing = world.family.members.first().person
    data = {**VALID, "personal_identity_code": existing.personal_identity_code, "birth_date": ""}
    response = client.post(f"/families/{world.family.pk}/people/new/", data)
    assert response.status_code == 200 and "jo henkilö" in response.content.decode()


def test_future_birth_date_is_refused(client, world):
    client.force_login(world.worker)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(f"/families/{world.family.pk}/people/new/", {**VALID, "birth_date": future})
    assert "tulevaisuudessa" in response.content.decode()


def test_edit_person_saves_and_logs(client, world):
    client.force_login(world.worker)
    child = world.family.relationships.first().child
    url = f"/families/{world.family.pk}/people/{child.pk}/edit/"
    assert child.first_names in client.get(url).content.decode()
    data = {
        "first_names": "Aino Sofia",
        "last_name": child.last_name,
        "personal_identity_code": child.personal_identity_code,
        "language": "sv",
        "relation": "child",
    }
    assert client.post(url, data).status_code == 302
    child.refresh_from_db()
    assert child.first_names == "Aino Sofia" and child.language == "sv"
    assert AccessLogEntry.objects.filter(person_id=child.pk, action="edit").count() == 1


def test_non_responsible_editor_cannot_lift_turvakielto(client, world):
    from apps.clients.models import Person

    Person.objects.filter(memberships__family=world.family, memberships__relation="parent").update(non_disclosure=True)
    parent = world.family.members.filter(relation="parent").first().person
    client.force_login(world.coordinator)
    url = f"/families/{world.family.pk}/people/{parent.pk}/edit/"
    assert 'name="non_disclosure"' not in client.get(url).content.decode()
    data = {"first_names": parent.first_names, "last_name": parent.last_name, "language": "fi", "relation": "parent"}
    assert client.post(url, {**data, "non_disclosure": ""}).status_code == 302
    parent.refresh_from_db()
    assert parent.non_disclosure
    # the API refuses the same change
    import json

    response = client.patch(f"/api/v1/people/{parent.pk}", data=json.dumps({"non_disclosure": False}), content_type="application/json")
    assert response.status_code == 403
    parent.refresh_from_db()
    assert parent.non_disclosure


def test_one_clear_message_per_mistake_and_implausible_details_refused(client, world):
    client.force_login(world.worker)
    url = f"/families/{world.family.pk}/people/new/"
    code = identity_code(datetime.date(2019, 2, 3), 901)
    mismatch = client.post(url, {**VALID, "personal_identity_code": code, "birth_date": "2019-02-04"}).content.decode()
    assert "ei vastaa henkilötunnusta" in mismatch and "syntymäaika tarvitaan" not in mismatch  # not two contradicting messages
    too_old = client.post(url, {**VALID, "birth_date": "1990-05-05"}).content.decode()
    assert "alle 25-vuotias" in too_old
    assert "Tarkista syntymävuosi" in client.post(url, {**VALID, "relation": "parent", "birth_date": "1800-01-01"}).content.decode()
    bad_phone = client.post(url, {**VALID, "relation": "parent", "birth_date": "1985-01-01", "phone": "abcabc"}).content.decode()
    assert "Puhelinnumerossa voi olla numeroita" in bad_phone and 'value="abcabc"' in bad_phone
    assert not Person.objects.filter(first_names="Eino Juhani").exists()
    ok = client.post(url, {**VALID, "relation": "parent", "birth_date": "1985-01-01", "phone": "+358 40 000 1234"})
    assert ok.status_code == 302 and Person.objects.get(first_names="Eino Juhani").phone == "+358 40 000 1234"
