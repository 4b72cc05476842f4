"""The genogram and ecomap pages: built from an empty family by forms (with and without htmx), each
read logged for the people it draws, strangers refused."""

import datetime

import pytest
from django.test import Client

from apps.audit.models import AccessLogEntry
from apps.network.models import Ecomap, GenogramPerson, GenogramVersion, Parentage, Partnership, Relationship


@pytest.fixture
def client(world):
    c = Client()
    c.force_login(world.worker)
    return c


def _gid(world, first_names):
    return GenogramPerson.objects.get(family=world.family, person__first_names=first_names).pk


def _build(client, world, htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    base = f"/families/{world.family.pk}/genogram"
    assert client.post(f"{base}/draft/", **headers).status_code == (200 if htmx else 302)
    r = client.post(f"{base}/people/", {"person-name": "Mummo", "person-sex": "female", "person-birth_year": "1955"}, **headers)
    assert r.status_code == (200 if htmx else 302)
    grandma = GenogramPerson.objects.get(family=world.family, name="Mummo").pk
    mother, father = _gid(world, "Sanna"), _gid(world, "Mikko")
    r = client.post(f"{base}/children/", {"child-child": mother, "child-parent": grandma, "child-kind": "biological"}, **headers)
    assert r.status_code == (200 if htmx else 302)
    r = client.post(
        f"{base}/partnerships/",
        {"partnership-first": mother, "partnership-second": father, "partnership-kind": "married", "partnership-started_year": "2010"},
        **headers,
    )
    assert r.status_code == (200 if htmx else 302)
    r = client.post(
        f"{base}/households/", {"household-name": "Koti", "household-members": [mother, father, _gid(world, "Aino")]}, **headers
    )
    assert r.status_code == (200 if htmx else 302)
    r = client.post(
        f"{base}/relationships/",
        {
            "relationship-first": _gid(world, "Aino"),
            "relationship-second": father,
            "relationship-quality": "conflicted",
            "relationship-note": "riitoja",
        },
        **headers,
    )
    assert r.status_code == (200 if htmx else 302)
    return r


def test_a_three_generation_genogram_built_by_forms(client, world):
    _build(client, world)
    assert Partnership.objects.filter(family=world.family).count() == 1
    assert Relationship.objects.get(family=world.family).quality == "conflicted"
    page = client.get(f"/families/{world.family.pk}/genogram/")
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "Sukupolvi 3" in body and "Mummo" in body
    assert "Aino Mäkinen – Mikko Mäkinen: ristiriitainen (riitoja)" in body
    versions = GenogramVersion.objects.filter(family=world.family).count()
    assert versions == 6
    old = client.get(f"/families/{world.family.pk}/genogram/?version=2")
    assert old.status_code == 200 and "Sukupolvi 2" in old.content.decode() and "riitoja" not in old.content.decode()


def test_the_editor_redraws_at_once_with_htmx(client, world):
    response = _build(client, world, htmx=True)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="genogram-editor"') and "<html" not in body
    assert 'class="tie tie-conflicted"' in body and "Suhteen laatu kirjattu." in body


def test_a_refused_change_comes_back_on_its_form_with_what_was_typed(client, world):
    client.post(f"/families/{world.family.pk}/genogram/draft/")
    child, mother = _gid(world, "Aino"), _gid(world, "Sanna")
    links = Parentage.objects.count()
    r = client.post(
        f"/families/{world.family.pk}/genogram/children/",
        {"child-child": mother, "child-parent": child, "child-kind": "biological"},
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 200 and "itsensä esivanhempi" in body and 'role="alert"' in body
    assert Parentage.objects.count() == links
    r = client.post(
        f"/families/{world.family.pk}/genogram/people/", {"person-name": "Isoisä", "person-birth_year": "1950", "person-death_year": "1940"}
    )
    assert r.status_code == 200 and "ennen syntymävuotta" in r.content.decode() and 'value="Isoisä"' in r.content.decode()


def test_reading_the_drawing_logs_each_client_drawn_and_the_family_for_relatives(client, world):
    _build(client, world)
    last = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first()
    for url in (f"/families/{world.family.pk}/genogram/", f"/families/{world.family.pk}/genogram.svg"):
        assert client.get(url).status_code == 200
    entries = AccessLogEntry.objects.filter(id__gt=last)
    members = set(world.family.members.values_list("person_id", flat=True))
    for view in ("family-genogram", "family-genogram-svg"):
        logged = {e.person_id for e in entries.filter(view_name=view)}
        assert logged == members | {None}, view


def test_the_svg_download_is_a_drawing_with_its_text(client, world):
    _build(client, world)
    r = client.get(f"/families/{world.family.pk}/genogram.svg")
    assert r["Content-Type"].startswith("image/svg+xml") and "attachment" in r["Content-Disposition"]
    body = r.content.decode()
    assert body.startswith("<?xml") and "<desc>" in body and "Mummo" in body


def test_strangers_and_a_partner_get_404(world):
    # A partner's consent opens the shared plan only, never the family's drawings.
    for persona, status in (("stranger", 404), ("foreigner", 404), ("manager", 404), ("partner", 404)):
        c = Client()
        c.force_login(getattr(world, persona))
        assert c.get(f"/families/{world.family.pk}/genogram/").status_code == status, persona


def test_ecomaps_dated_from_a_viewpoint_and_compared_side_by_side(client, world):
    child = world.family.members.filter(relation="child").first().person
    base = f"/families/{world.family.pk}/ecomaps"
    earlier = (datetime.date.today() - datetime.timedelta(days=90)).isoformat()
    r = client.post(f"{base}/new/", {"drawn_on": earlier, "viewpoint": "child", "viewpoint_person": child.pk, "centre": child.pk})
    first = Ecomap.objects.get(family=world.family)
    assert r.status_code == 302
    r = client.post(
        f"{base}/{first.pk}/ties/",
        {
            "tie-service": "school",
            "tie-name": "3B",
            "tie-ring": "1",
            "tie-strength": "strong",
            "tie-support": "to_centre",
            "tie-professional": "Olli Opettaja",
            "tie-contact": "040 123",
        },
    )
    assert r.status_code == 302
    r = client.post(
        f"{base}/{first.pk}/ties/",
        {"tie-name": "", "tie-sector": "friends", "tie-ring": "2", "tie-strength": "weak", "tie-support": "none"},
    )
    assert r.status_code == 200 and "ei kehenkään" in r.content.decode()
    r = client.post(f"{base}/new/", {"drawn_on": datetime.date.today().isoformat(), "viewpoint": "worker", "copy_from": first.pk})
    second = Ecomap.objects.filter(family=world.family).exclude(pk=first.pk).get()
    client.post(
        f"{base}/{second.pk}/ties/",
        {"tie-name": "Jalkapallo", "tie-sector": "leisure", "tie-ring": "2", "tie-strength": "stressful", "tie-support": "none"},
    )
    page = client.get(f"{base}/{first.pk}/").content.decode()
    assert "lapsen näkökulma" in page and "Olli Opettaja" in page and "040 123" in page
    compare = client.get(f"{base}/compare/").content.decode()
    compare = compare[compare.index('class="grid-2 compare"') :]
    assert (
        compare.count("<svg") == 2
        and "Jalkapallo" in compare
        and compare.index("lapsen näkökulma") < compare.index("työntekijän näkökulma")
    )
    assert client.get(f"{base}/compare/?a={first.pk}&b=999999").status_code == 404


def test_the_familys_summary_pdf_includes_the_genogram_when_the_worker_chooses(client, world):
    from django.utils import timezone

    from apps.audit.models import EntryKind
    from tests import factories as f

    _build(client, world)
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now())
    base = f"/meetings/{item.meeting_id}/items/{item.pk}/"
    assert client.post(f"{base}share/").status_code == 302
    record = client.get(base).content.decode()
    assert 'id="genogram"' in record and "genogram=1" in record
    without = client.get(f"{base}summary/").content.decode()
    chosen = client.get(f"{base}summary/?genogram=1").content.decode()
    assert "<svg" not in without and "<svg" in chosen and "Mummo" in chosen
    pdf = client.get(f"{base}summary/?format=pdf&lang=fi&genogram=1")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert len(pdf.content) > len(client.get(f"{base}summary/?format=pdf&lang=fi").content)
    disclosed = AccessLogEntry.objects.filter(kind=EntryKind.DISCLOSURE, view_name="meeting-summary").order_by("-id")
    assert disclosed.filter(family_id=world.family.pk, person_id__isnull=True).exists()  # the relatives drawn
