"""A partner professional reads the family's ecomap only by a consent that includes it."""

import datetime

from django.test import Client

from apps.audit.models import AccessLogEntry
from apps.network.models import Ecomap
from apps.partnership.models import Consent
from tests import factories


def test_a_partner_sees_the_latest_ecomap_only_when_the_consent_includes_it(world):
    """The school's kuraattori (consent with the ecomap) reads the latest map, read-only, as a logged
    disclosure; a partner whose consent covers only the plan, and one whose consent ended, get 404."""
    client = Client()
    client.force_login(world.worker)
    base = f"/families/{world.family.pk}/ecomaps"
    old = (datetime.date.today() - datetime.timedelta(days=200)).isoformat()
    client.post(f"{base}/new/", {"drawn_on": old, "viewpoint": "worker", "note": "Vanha kartta"})
    client.post(f"{base}/new/", {"drawn_on": datetime.date.today().isoformat(), "viewpoint": "worker", "note": "Kotikäynnillä"})
    latest = Ecomap.objects.get(family=world.family, note="Kotikäynnillä")
    client.post(
        f"{base}/{latest.pk}/ties/",
        {"tie-service": "school", "tie-name": "Testilän koulu", "tie-ring": "1", "tie-strength": "strong", "tie-support": "both"},
    )
    url = f"/partner/families/{world.family.pk}/ecomap/"
    partner = Client()
    partner.force_login(world.partner)
    home = partner.get("/partner/").content.decode()
    assert url in home
    last_id = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first()
    page = partner.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "Testilän koulu" in body and "Kotikäynnillä" in body
    assert "Vanha kartta" not in body and "/ties/" not in body  # the latest map, nothing to edit
    new = AccessLogEntry.objects.filter(id__gt=last_id)
    assert {(e.kind, e.actor_role, e.view_name) for e in new} >= {
        ("access", "partner", "partner-ecomap"),
        ("disclosure", "partner", "partner-ecomap"),
    }
    assert "Koulun oppilashuolto" in new.get(kind="disclosure", person_id__isnull=True).legal_basis
    # The team's own map pages stay closed to the partner.
    assert partner.get(f"{base}/{latest.pk}/").status_code == 404
    api = partner.get(f"/api/v1/partner/families/{world.family.pk}/ecomap")
    assert api.status_code == 200 and api.json()["ecomap"]["id"] == latest.pk

    plan_only = factories.partner(world.county, "vain_suunnitelma")
    factories.consent(world.family, plan_only, world.worker)
    other = Client()
    other.force_login(plan_only)
    assert url not in other.get("/partner/").content.decode()
    before = AccessLogEntry.objects.count()
    assert other.get(url).status_code == 404
    assert other.get(f"/api/v1/partner/families/{world.family.pk}/ecomap").status_code == 404
    Consent.objects.filter(partner=world.partner).update(ecomap=False)
    assert partner.get(url).status_code == 404
    assert AccessLogEntry.objects.count() == before
