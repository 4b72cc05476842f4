"""The FHIR export as the receiving system reads it: checked by FHIR libraries nobody here wrote
(the SMART `fhirclient` models for R4 4.0.1, `fhir.resources` for R4B 4.3.0), each person once,
the child's identity code only when chosen, and every questionnaire URL answering with the
questionnaire the answers follow."""

import json
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings
from fhir.resources.R4B.bundle import Bundle as R4BBundle
from fhir.resources.R4B.organization import Organization as R4BOrganization
from fhir.resources.R4B.patient import Patient as R4BPatient
from fhir.resources.R4B.questionnaire import Questionnaire as R4BQuestionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse as R4BQuestionnaireResponse
from fhir.resources.R4B.relatedperson import RelatedPerson as R4BRelatedPerson
from fhirclient.models.bundle import Bundle as R4Bundle
from fhirclient.models.organization import Organization as R4Organization
from fhirclient.models.patient import Patient as R4Patient
from fhirclient.models.questionnaire import Questionnaire as R4Questionnaire
from fhirclient.models.questionnaireresponse import QuestionnaireResponse as R4QuestionnaireResponse
from fhirclient.models.relatedperson import RelatedPerson as R4RelatedPerson

from apps.audit.models import AccessLogEntry, EntryKind
from apps.clients.models import Relation
from apps.ratings.models import Instrument
from tests import factories as f

HETU = "urn:oid:1.2.246.21"
VALIDATORS = {
    "Patient": (R4Patient, R4BPatient),
    "RelatedPerson": (R4RelatedPerson, R4BRelatedPerson),
    "QuestionnaireResponse": (R4QuestionnaireResponse, R4BQuestionnaireResponse),
    "Questionnaire": (R4Questionnaire, R4BQuestionnaire),
    "Organization": (R4Organization, R4BOrganization),
}


def _children(world):
    return [r.child for r in world.family.relationships.order_by("child__birth_date")]


def _parents(world):
    return [m.person for m in world.family.members.filter(relation=Relation.PARENT).order_by("person__first_names")]


def _export(client, world, *, fmt="fhir", child=None, identity_code=False, legal_basis="Huoltajan suostumus", **extra):
    data = {"format": fmt, "recipient": "Perheneuvola", "legal_basis": legal_basis}
    if child is not None:
        data["child"] = child.pk
    if identity_code:
        data["identity_code"] = "on"
    return client.post(f"/families/{world.family.pk}/ratings/export/", data, **extra)


def _assert_fhir_json(value, path="$"):
    """FHIR's JSON rules that schema libraries let pass: no empty array, object or string, no null."""
    assert value not in ([], {}, "", None), f"{path} is empty"
    if isinstance(value, dict):
        for key, item in value.items():
            _assert_fhir_json(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _assert_fhir_json(item, f"{path}[{i}]")


def _validate(resource):
    r4, r4b = VALIDATORS[resource["resourceType"]]
    r4(resource, strict=True)
    r4b.model_validate(resource)


def _bundle(response):
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"].startswith("application/fhir+json")
    bundle = json.loads(response.content)
    _assert_fhir_json(bundle)
    R4Bundle(bundle, strict=True)
    R4BBundle.model_validate(bundle)
    for entry in bundle["entry"]:
        _validate(entry["resource"])
    return bundle


def _by_type(bundle, kind):
    return [e for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.fixture
def rated(world):
    """The elder child rated on the phone, both parents on paper, the younger child too."""
    elder, younger = _children(world)
    mother, father = _parents(world)
    f.rating(world.family, elder, 22, mode="phone")
    f.rating(world.family, mother, 18)
    f.rating(world.family, mother, 36, code="SRS")
    f.rating(world.family, father, 30)
    f.rating(world.family, younger, 12, mode="phone")
    return world


def test_fhir_export_is_valid_r4_and_r4b_with_the_child_and_raters_as_resources(client, rated):
    world = rated
    elder, younger = _children(world)
    mother, father = _parents(world)
    client.force_login(world.worker)
    bundle = _bundle(_export(client, world, child=elder))

    [patient] = _by_type(bundle, "Patient")
    assert patient["resource"]["name"] == [{"family": elder.last_name, "given": elder.first_names.split()}]
    related = {e["fullUrl"]: e["resource"] for e in _by_type(bundle, "RelatedPerson")}
    assert sorted(r["name"][0]["given"][0] for r in related.values()) == sorted([mother.first_names, father.first_names])
    for person in related.values():
        assert person["patient"] == {"reference": patient["fullUrl"]}
        assert {c["coding"][0]["code"] for c in person["relationship"]} == {"PRN", "GUARD"}
    responses = [e["resource"] for e in _by_type(bundle, "QuestionnaireResponse")]
    assert len(responses) == 4  # the younger child's own rating concerns the younger child: not here
    assert all(r["subject"] == {"reference": patient["fullUrl"]} for r in responses)
    own = [r for r in responses if r["source"]["reference"] == patient["fullUrl"]]
    assert len(own) == 1 and own[0]["author"] == own[0]["source"]  # typed in on the child's own phone
    for r in responses:
        if r not in own:
            assert r["source"]["reference"] in related
            [organisation] = [e for e in bundle["entry"] if e["fullUrl"] == r["author"]["reference"]]
            assert organisation["resource"] == {"resourceType": "Organization", "name": world.county.name}  # paper, typed in by a worker

    content = json.dumps(bundle, ensure_ascii=False)
    assert '"display"' not in content
    for person in (elder, mother, father):
        assert content.count(person.first_names) == 1, f"{person.first_names} appears more than once"
    assert younger.first_names not in content


@pytest.mark.parametrize("chosen", [False, True])
def test_the_childs_identity_code_goes_out_once_and_only_when_chosen(client, rated, chosen):
    world = rated
    elder, younger = _children(world)
    client.force_login(world.worker)
    response = _export(client, world, child=elder, identity_code=chosen)
    content = response.content.decode()
    bundle = _bundle(response)
    assert content.count(elder.personal_identity_code) == (1 if chosen else 0)
    for person in [younger, *_parents(world)]:
        assert person.personal_identity_code not in content
    assert HETU in content if chosen else HETU not in content
    if chosen:
        [patient] = _by_type(bundle, "Patient")
        [identifier] = patient["resource"]["identifier"]
        assert identifier["system"] == HETU and identifier["value"] == elder.personal_identity_code
    entries = AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE, view_name="ratings-export")
    expected = "Huoltajan suostumus [henkilötunnus luovutettu]" if chosen else "Huoltajan suostumus"
    assert {e.legal_basis for e in entries} == {expected} and {e.recipient for e in entries} == {"Perheneuvola"}


def test_every_questionnaire_url_in_an_export_answers_with_the_questionnaire_its_answers_follow(client, rated):
    world = rated
    client.force_login(world.worker)
    bundle = _bundle(_export(client, world, child=_children(world)[0]))
    responses = [e["resource"] for e in _by_type(bundle, "QuestionnaireResponse")]
    assert {urlsplit(r["questionnaire"]).path for r in responses} == {"/fhir/Questionnaire/ORS-2.0-fi", "/fhir/Questionnaire/SRS-3.0-fi"}
    recipient = Client()  # the receiving system has no account here
    for r in responses:
        assert r["questionnaire"].startswith("http://testserver/")
        served = recipient.get(r["questionnaire"])
        assert served.status_code == 200 and served["Content-Type"].startswith("application/fhir+json")
        questionnaire = json.loads(served.content)
        _assert_fhir_json(questionnaire)
        _validate(questionnaire)
        assert questionnaire["url"] == r["questionnaire"]
        assert [i["linkId"] for i in questionnaire["item"]] == [i["linkId"] for i in r["item"]]


@override_settings(SYSTEEMI_SITE_URL="https://systeemi.example.fi/")
def test_the_questionnaire_urls_follow_the_configured_site_address(client, rated):
    world = rated
    client.force_login(world.worker)
    bundle = _bundle(_export(client, world, child=_children(world)[0]))
    for entry in _by_type(bundle, "QuestionnaireResponse"):
        url = entry["resource"]["questionnaire"]
        assert url.startswith("https://systeemi.example.fi/fhir/Questionnaire/")
        assert json.loads(Client().get(urlsplit(url).path).content)["url"] == url


def test_every_instrument_is_served_as_a_valid_questionnaire(db):
    client = Client()
    instruments = list(Instrument.objects.all())
    assert len(instruments) >= 6
    for instrument in instruments:
        spec = instrument.spec
        response = client.get(f"/fhir/Questionnaire/{instrument.code}-{instrument.version}")
        assert response.status_code == 200, instrument
        questionnaire = json.loads(response.content)
        _assert_fhir_json(questionnaire)
        _validate(questionnaire)
        assert questionnaire["version"] == instrument.version and questionnaire["title"] == spec.name.fi
        keys = [i["linkId"] for i in questionnaire["item"]]
        assert keys == [i.key for i in spec.items] + (["total"] if spec.scored else [])
    missing = client.get("/fhir/Questionnaire/ORS-0.1-xx")
    assert missing.status_code == 404 and json.loads(missing.content)["resourceType"] == "OperationOutcome"


MESSAGES = {
    "fi": "Vietäviä arvioita ei ole",
    "sv": "Det finns inga skattningar att exportera",
    "en": "There are no ratings to export",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("fmt", ["fhir", "csv"])
def test_an_export_without_ratings_is_refused_in_the_users_language_and_not_logged(client, world, fmt, lang):
    client.force_login(world.worker)
    client.cookies["django_language"] = lang
    response = _export(client, world, fmt=fmt, child=_children(world)[0])
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html") and MESSAGES[lang] in response.content.decode()
    assert not AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE).exists()


def test_a_child_with_no_ratings_of_the_family_adults_or_own_is_refused_even_if_siblings_rated(client, world):
    elder, younger = _children(world)
    f.rating(world.family, younger, 12, mode="phone")
    client.force_login(world.worker)
    assert _export(client, world, child=elder).status_code == 400
    assert not AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE).exists()


def test_a_successful_fhir_export_logs_each_person_it_names(client, rated):
    world = rated
    elder, _younger = _children(world)
    mother, father = _parents(world)
    client.force_login(world.worker)
    _bundle(_export(client, world, child=elder))
    entries = AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE, view_name="ratings-export")
    assert sorted(e.person_id for e in entries) == sorted([elder.pk, mother.pk, father.pk])
    assert {(e.family_id, e.recipient, e.legal_basis, e.actor_id) for e in entries} == {
        (world.family.pk, "Perheneuvola", "Huoltajan suostumus", world.worker.pk)
    }


def test_a_family_of_several_children_must_name_the_child_and_the_identity_code_is_fhir_only(client, rated):
    world = rated
    client.force_login(world.worker)
    unnamed = _export(client, world)
    assert unnamed.status_code == 200 and "Valitse lapsi, jota FHIR-vienti koskee." in unnamed.content.decode()
    in_csv = _export(client, world, fmt="csv", identity_code=True)
    assert in_csv.status_code == 200 and "Henkilötunnuksen voi liittää vain FHIR-vientiin." in in_csv.content.decode()
    long_basis = _export(client, world, child=_children(world)[0], identity_code=True, legal_basis="x" * 190)
    assert long_basis.status_code == 200 and "Lyhennä perustetta" in long_basis.content.decode()
    assert not AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE).exists()


def test_a_family_of_one_child_exports_that_child_without_choosing(client, world):
    only = f.family(world.team, "Ainoa", children=1, parents=1, worker=world.worker)
    child = only.relationships.get().child
    parent = only.members.get(relation=Relation.PARENT).person
    f.rating(only, parent, 20)
    client.force_login(world.worker)
    response = client.post(
        f"/families/{only.pk}/ratings/export/", {"format": "fhir", "recipient": "Perheneuvola", "legal_basis": "Suostumus"}
    )
    [patient] = _by_type(_bundle(response), "Patient")
    assert patient["resource"]["name"][0]["given"] == child.first_names.split()
