"""Ratings out of Systeemi: a CSV table and FHIR R4 QuestionnaireResponse resources.

The FHIR resources are built as plain dicts and then parsed by the SMART `fhirclient` R4 models
in strict mode, so a malformed resource fails here rather than in the receiving system.
"""

import io
import json
import uuid
from decimal import Decimal

from fhirclient.models.bundle import Bundle

from apps.core.spreadsheet import SpreadsheetWriter

from .models import Rating
from .selectors import instrument_specs

HETU_SYSTEM = "urn:oid:1.2.246.21"  # Finnish personal identity code
CSV_HEADER = ["date", "rater", "instrument", "version", "kind", "mode", "item", "value", "total"]


def _rows(ratings):
    specs = instrument_specs()
    for r in ratings:
        spec = specs[r.instrument_id]
        for item in spec.items:
            yield r, spec, item


def ratings_for_export(family):
    return list(Rating.objects.filter(family=family).select_related("rater", "instrument").order_by("rated_on", "created_at"))


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


def questionnaire_response(r: Rating, spec) -> dict:
    subject = {"display": f"{r.rater.first_names} {r.rater.last_name}"}
    if r.rater.personal_identity_code:
        subject["identifier"] = {"system": HETU_SYSTEM, "value": r.rater.personal_identity_code}
    items = [{"linkId": item.key, "text": item.label.fi, "answer": [{"valueDecimal": float(r.values[item.key])}]} for item in spec.items]
    if r.total is not None:
        items.append({"linkId": "total", "text": "Yhteensä", "answer": [{"valueDecimal": float(r.total)}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": f"rating-{r.pk}",
        "questionnaire": f"urn:systeemi:instrument:{spec.code}|{spec.version}",
        "status": "completed",
        "subject": subject,
        "authored": r.rated_on.isoformat(),
        "source": subject,
        "item": items,
    }


def as_fhir_bundle(ratings) -> str:
    specs = instrument_specs()
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {
                "fullUrl": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'systeemi:rating:{r.pk}')}",
                "resource": questionnaire_response(r, specs[r.instrument_id]),
            }
            for r in ratings
        ],
    }
    Bundle(bundle, strict=True)  # raises FHIRValidationError on anything R4 does not allow
    return json.dumps(bundle, ensure_ascii=False, indent=2)
