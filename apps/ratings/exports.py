"""Ratings out of Systeemi: a CSV table of a family's ratings, and a FHIR R4 Bundle about one child.

The Bundle holds the child as a `Patient`, every other rater as a `RelatedPerson` of that child,
and one `QuestionnaireResponse` per rating whose `subject` is the child and whose `source` is who
answered, both as references to the entries' `urn:uuid` fullUrls: a name appears once, in its
person's own resource, never as display text. The child's personal identity code goes out only
when the worker chose it for this recipient and legal basis (data minimisation, GDPR art. 5(1)(c)),
and nobody else's ever. Each response's `questionnaire` is the absolute URL at which the site
serves the instrument as a FHIR `Questionnaire` (view `fhir_questionnaire`).

Resources are built as plain dicts and parsed by the SMART `fhirclient` R4 models in strict
mode, so a malformed resource fails here rather than in the receiving system.
"""

import io
import json
import re
import uuid
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from fhirclient.models.bundle import Bundle
from fhirclient.models.questionnaire import Questionnaire

from apps.clients.models import FamilyMember, Person, Relation
from apps.core.spreadsheet import SpreadsheetWriter

from .definitions import Text
from .models import Instrument, Mode, Rating
from .selectors import instrument_specs

# The Finnish personal identity code (henkilötunnus), as the Finnish FHIR base profiles name it.
HETU_SYSTEM = "urn:oid:1.2.246.21"
HETU_TYPE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "NNFIN"}]}
ROLE_CODES = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
RELATION_ROLES = {
    Relation.PARENT: "PRN",
    Relation.GUARDIAN: "GUARD",
    Relation.STEP_PARENT: "STPPRN",
    Relation.GRANDPARENT: "GRPRN",
    Relation.SIBLING: "SIB",
    Relation.CHILD: "SIB",
}
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
TOTAL = "total"
# Other children's own ratings concern their own client matters: a disclosure about one child
# leaves them out.
CHILD_RELATIONS = (Relation.CHILD, Relation.SIBLING)
# Written after the legal basis in the disclosure log when the child's identity code went out.
IDENTITY_CODE_NOTE = " [henkilötunnus luovutettu]"
CSV_HEADER = ["date", "rater", "instrument", "version", "kind", "mode", "item", "value", "total"]


def _rows(ratings):
    specs = instrument_specs()
    for r in ratings:
        spec = specs[r.instrument_id]
        for item in spec.items:
            yield r, spec, item


def family_children(family) -> list[Person]:
    """The children an export can be about, eldest first."""
    members = FamilyMember.objects.filter(family=family, relation=Relation.CHILD).select_related("person")
    return sorted((m.person for m in members), key=lambda p: (p.birth_date is None, p.birth_date, p.pk))


def ratings_for_export(family, child: Person | None = None) -> list[Rating]:
    """The family's ratings; about one child: that child's own and those of the family's adults."""
    ratings = Rating.objects.filter(family=family)
    if child is not None:
        others = FamilyMember.objects.filter(family=family, relation__in=CHILD_RELATIONS).exclude(person=child)
        ratings = ratings.exclude(rater_id__in=others.values("person_id"))
    return list(ratings.select_related("rater", "instrument").order_by("rated_on", "created_at"))


def legal_basis_text(legal_basis: str, *, identity_code: bool) -> str:
    return legal_basis + IDENTITY_CODE_NOTE if identity_code else legal_basis


def _number(value):
    """An item's value is stored as JSON text ("4.6"): the spreadsheet gets it as a number."""
    return "" if value in (None, "") else Decimal(str(value))


def as_csv(ratings) -> str:
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    writer.writerow(CSV_HEADER)
    for r, spec, item in _rows(ratings):
        rater = f"{r.rater.first_names} {r.rater.last_name}"
        writer.writerow(
            [
                r.rated_on.isoformat(),
                rater,
                spec.code,
                spec.version,
                spec.kind,
                r.mode,
                item.key,
                _number(r.values.get(item.key)),
                "" if r.total is None else r.total,
            ]
        )
    return out.getvalue()


# ---- Questionnaires: the instruments, served at their canonical URLs ---------------------------


def site_url(request) -> str:
    """The site's address as recipients reach it: SYSTEEMI_SITE_URL, or the one this request used."""
    return settings.SYSTEEMI_SITE_URL.rstrip("/") or f"{request.scheme}://{request.get_host()}"


def questionnaire_id(instrument: Instrument) -> str:
    """A FHIR id ([A-Za-z0-9.-], at most 64) naming one version of one instrument: ORS-2.0-fi."""
    return re.sub(r"[^A-Za-z0-9.-]", "-", f"{instrument.code}-{instrument.version}")[:64]


def questionnaire_url(instrument: Instrument, site: str) -> str:
    return site + reverse("fhir-questionnaire", kwargs={"questionnaire_id": questionnaire_id(instrument)})


def instrument_by_questionnaire_id(value: str) -> Instrument | None:
    return next((i for i in Instrument.objects.all() if questionnaire_id(i) == value), None)


def _translations(texts: dict[str, str]) -> dict:
    """The Swedish and English wording beside the Finnish text (FHIR's translation extension)."""
    return {
        "extension": [
            {"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": lang}, {"url": "content", "valueString": texts[lang]}]}
            for lang in ("sv", "en")
        ]
    }


def _text(text: Text) -> dict:
    return _translations({"sv": text.sv, "en": text.en})


def _total_label(lang: str) -> str:
    with translation.override(lang):
        return gettext("Yhteensä")


def _bounds(high) -> list[dict]:
    return [{"url": MIN_VALUE, "valueDecimal": 0}, {"url": MAX_VALUE, "valueDecimal": float(high)}]


def as_questionnaire(instrument: Instrument, url: str) -> dict:
    spec = instrument.spec
    items = [
        {
            "extension": _bounds(spec.scale_max),
            "linkId": item.key,
            "text": item.label.fi,
            "_text": _text(item.label),
            "type": "decimal",
            "required": True,
        }
        for item in spec.items
    ]
    if spec.scored:
        items.append(
            {
                "extension": _bounds(spec.total_max),
                "linkId": TOTAL,
                "text": _total_label("fi"),
                "_text": _translations({lang: _total_label(lang) for lang in ("sv", "en")}),
                "type": "decimal",
                "readOnly": True,
            }
        )
    resource = {
        "resourceType": "Questionnaire",
        "id": questionnaire_id(instrument),
        "language": "fi",
        "url": url,
        "version": instrument.version,
        "name": re.sub(r"[^A-Za-z0-9_]", "_", spec.code),
        "title": spec.name.fi,
        "_title": _text(spec.name),
        "status": "active" if instrument.active else "retired",
        "subjectType": ["Patient"],
        "description": spec.instructions.fi,
        "_description": _text(spec.instructions),
        "copyright": spec.licence,
        "item": items,
    }
    Questionnaire(resource, strict=True)
    return resource


def questionnaire_json(instrument: Instrument, url: str) -> str:
    return json.dumps(as_questionnaire(instrument, url), ensure_ascii=False, indent=2)


# ---- The Bundle ------------------------------------------------------------------------------


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _name(person: Person) -> list[dict]:
    return [{"family": person.last_name, "given": person.first_names.split()}]


def _patient(child: Person, *, identity_code: bool) -> dict:
    patient = {"resourceType": "Patient", "name": _name(child)}
    if identity_code and child.personal_identity_code:
        patient["identifier"] = [{"use": "official", "type": HETU_TYPE, "system": HETU_SYSTEM, "value": child.personal_identity_code}]
    if child.birth_date:
        patient["birthDate"] = child.birth_date.isoformat()
    return patient


def _related_person(person: Person, member: FamilyMember | None, patient_ref: str) -> dict:
    resource = {"resourceType": "RelatedPerson", "patient": {"reference": patient_ref}, "name": _name(person)}
    roles = []
    if member is not None and member.relation in RELATION_ROLES:
        roles.append(RELATION_ROLES[member.relation])
    if member is not None and member.is_guardian and "GUARD" not in roles:
        roles.append("GUARD")
    if roles:
        resource["relationship"] = [{"coding": [{"system": ROLE_CODES, "code": code}]} for code in roles]
    return resource


def _answers(r: Rating, spec) -> list[dict]:
    items = []
    for item in spec.items:
        entry = {"linkId": item.key, "text": item.label.fi}
        if r.values.get(item.key) not in (None, ""):
            entry["answer"] = [{"valueDecimal": float(r.values[item.key])}]
        items.append(entry)
    if r.total is not None:
        items.append({"linkId": TOTAL, "text": _total_label("fi"), "answer": [{"valueDecimal": float(r.total)}]})
    return items


def as_fhir_bundle(ratings, *, family, child: Person, site: str, identity_code: bool) -> str:
    """One child's Bundle: the child, the other raters, and each rating referring to them."""
    patient_ref = _urn()
    entries = [{"fullUrl": patient_ref, "resource": _patient(child, identity_code=identity_code)}]
    members = {m.person_id: m for m in FamilyMember.objects.filter(family=family)}
    refs = {child.pk: patient_ref}
    for r in ratings:
        if r.rater_id not in refs:
            refs[r.rater_id] = _urn()
            entries.append({"fullUrl": refs[r.rater_id], "resource": _related_person(r.rater, members.get(r.rater_id), patient_ref)})
    organisation_ref = None
    if any(r.mode == Mode.PAPER for r in ratings):
        # A paper form is typed in by a worker of the county that keeps the register.
        organisation_ref = _urn()
        entries.append({"fullUrl": organisation_ref, "resource": {"resourceType": "Organization", "name": family.county.name}})
    instruments = Instrument.objects.in_bulk({r.instrument_id for r in ratings})
    urls = {pk: questionnaire_url(instrument, site) for pk, instrument in instruments.items()}
    for r in ratings:
        source = {"reference": refs[r.rater_id]}
        entries.append(
            {
                "fullUrl": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'systeemi:rating:{r.pk}')}",
                "resource": {
                    "resourceType": "QuestionnaireResponse",
                    "questionnaire": urls[r.instrument_id],
                    "status": "completed",
                    "subject": {"reference": patient_ref},
                    "authored": r.rated_on.isoformat(),
                    "author": {"reference": organisation_ref} if r.mode == Mode.PAPER else source,
                    "source": source,
                    "item": _answers(r, instruments[r.instrument_id].spec),
                },
            }
        )
    bundle = {"resourceType": "Bundle", "type": "collection", "timestamp": timezone.now().isoformat(), "entry": entries}
    Bundle(bundle, strict=True)  # raises FHIRValidationError on anything R4 does not allow
    return json.dumps(bundle, ensure_ascii=False, indent=2)
