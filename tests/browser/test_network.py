"""The family drawn, in a real browser: a three-generation genogram built from an empty family by
keyboard (the editor redraws at once with htmx), a partnership, a household and a conflicted
relationship; the genogram in the meeting's live record with a hypothesis naming that relationship;
an ecomap from the child's view and two maps compared side by side. axe-core checks each page at
1280 px and the drawings on a 360 px phone."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.audit.models import AccessLogEntry
from apps.meetings.models import Hypothesis
from apps.network.models import Ecomap, GenogramPerson, Household, Partnership, Relationship
from tests import factories as f
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def section(page, heading_id):
    return page.locator("section", has=page.locator(f"#{heading_id}"))


def label(where, name):
    """The field labelled `name` (a required field's label ends with an asterisk)."""
    return where.get_by_label(re.compile(rf"^{re.escape(name)}( \*)?$"))


def type_into(field, text):
    field.focus()
    field.page.keyboard.type(text)


def submit(form_section, button):
    """Press Enter on the form's button, as a keyboard user does, and wait for htmx to redraw."""
    page = form_section.page
    with page.expect_response(lambda r: r.request.method == "POST"):
        form_section.get_by_role("button", name=button).focus()
        page.keyboard.press("Enter")
    expect(page.locator("#genogram-editor .messages")).to_be_visible()


@pytest.fixture
def family(db):
    """An empty family: two children and two parents in the client register, nothing drawn."""
    county = f.county()
    team = f.team(county, f.unit(county), "Systeemitiimi")
    worker = f.member(team, "social_worker", "selaintyontekija", first="Sari", last="Selain")
    fam = f.family(team, "Mäkinen", children=2, parents=2, worker=worker)
    return fam, worker


def test_a_three_generation_genogram_built_by_keyboard_and_used_in_the_meeting(family, page, live_server):
    fam, worker = family
    login(page, live_server, worker)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/families/{fam.pk}/")
    page.get_by_role("link", name="Sukupuu", exact=True).click()
    page.get_by_role("link", name="Muokkaa sukupuuta").click()
    expect(page.get_by_role("heading", name="Sukupuun muokkaus: Mäkinen")).to_be_visible()
    draft = page.get_by_role("button", name="Lisää perheen tiedoista 4 henkilöä")
    with page.expect_response(lambda r: r.request.method == "POST"):
        draft.focus()
        page.keyboard.press("Enter")
    expect(page.locator("#genogram-editor svg .person")).to_have_count(4)
    page.evaluate("window.sameDocument = true")  # gone if any form below reloads the page instead of redrawing in place

    person = section(page, "person-h")
    type_into(label(person, "Nimi tai kuvaus"), "Mummo")
    label(person, "Sukupuoli").select_option("female")
    type_into(label(person, "Syntymävuosi"), "1956")
    submit(person, "Lisää henkilö")
    expect(page.locator("#genogram-editor svg .person")).to_have_count(5)
    mummo = GenogramPerson.objects.get(family=fam, name="Mummo")
    mother = GenogramPerson.objects.get(family=fam, person__first_names="Sanna")
    father = GenogramPerson.objects.get(family=fam, person__first_names="Mikko")
    child = GenogramPerson.objects.get(family=fam, person__first_names="Aino")

    link = section(page, "child-h")
    label(link, "Lapsi").select_option(str(mother.pk))
    label(link, "Vanhempi").select_option(str(mummo.pk))
    submit(link, "Liitä lapsi")
    expect(page.locator("#genogram-editor .drawing-text")).to_contain_text("Sukupolvi 3")

    couple = section(page, "partnership-h")
    label(couple, "Puoliso").select_option(str(mother.pk))
    label(couple, "Toinen puoliso").select_option(str(father.pk))
    label(couple, "Suhde").select_option("married")
    type_into(label(couple, "Alkoi (vuosi)"), "2009")
    submit(couple, "Lisää parisuhde")

    home = section(page, "household-h")
    type_into(label(home, "Kotitalous"), "Koti")
    for name in ("Sanna Mäkinen", "Mikko Mäkinen", "Aino Mäkinen"):
        home.get_by_label(name).focus()
        page.keyboard.press("Space")
    submit(home, "Lisää kotitalous")

    tie = section(page, "relationship-h")
    label(tie, "Henkilö").select_option(str(child.pk))
    label(tie, "Toinen henkilö").select_option(str(father.pk))
    label(tie, "Suhteen laatu").select_option("conflicted")
    type_into(label(tie, "Lyhyt kuvaus"), "riitaa tapaamisista")
    submit(tie, "Kirjaa suhde")

    text = page.locator("#genogram-editor .drawing-text")
    expect(text).to_contain_text("Aino Mäkinen – Mikko Mäkinen: ristiriitainen (riitaa tapaamisista)")
    expect(text).to_contain_text("Sanna Mäkinen – Mikko Mäkinen: avioliitto 2009–")
    expect(text).to_contain_text("Koti: Sanna Mäkinen, Mikko Mäkinen, Aino Mäkinen")
    expect(page.locator("#genogram-editor svg .tie-conflicted")).to_have_count(1)
    expect(page.locator("#genogram-editor svg .household")).not_to_have_count(0)
    assert Partnership.objects.filter(family=fam).count() == 1 and Household.objects.filter(family=fam).count() == 1
    assert page.evaluate("window.sameDocument === true"), "the editor reloaded the page instead of redrawing with htmx"
    assert_accessible(page, "genogram editor")

    # A refusal comes back on its form, in words, with nothing lost.
    link = section(page, "child-h")
    label(link, "Lapsi").select_option(str(mummo.pk))
    label(link, "Vanhempi").select_option(str(child.pk))
    with page.expect_response(lambda r: r.request.method == "POST"):
        link.get_by_role("button", name="Liitä lapsi").click()
    expect(section(page, "child-h").get_by_role("alert")).to_contain_text("itsensä esivanhempi")
    expect(page.locator("#genogram-editor svg .person")).to_have_count(5)

    # The consultant and the therapist look at it in the meeting's live record.
    item = f.meeting_item(fam, worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    page.goto(f"{live_server.url}/meetings/{item.meeting_id}/items/{item.pk}/")
    # The drawing is an image of the genogram's own address: loaded, and logged by that request.
    drawing = page.locator("#genogram img")
    expect(drawing).to_be_visible()
    page.wait_for_function("() => { const i = document.querySelector('#genogram img'); return i.complete && i.naturalWidth > 100; }")
    assert AccessLogEntry.objects.filter(family_id=fam.pk, view_name="family-genogram-svg", actor=worker).exists()
    hyp = page.locator("#hypotheses")
    label(hyp, "Hypoteesi").fill("Tapaamisriidat kuormittavat Ainoa.")
    label(hyp, "Kenen näkökulmasta").fill("lapsi")
    relationship = Relationship.objects.get(family=fam)
    label(hyp, "Suhde, jota hypoteesi koskee").select_option(str(relationship.pk))
    hyp.get_by_role("button", name="Lisää hypoteesi").click()
    expect(page.locator("#hypotheses")).to_contain_text("Suhde: Aino Mäkinen – Mikko Mäkinen (ristiriitainen)")
    assert Hypothesis.objects.get(family=fam, perspective="lapsi", text__startswith="Tapaamisriidat").relationship_id == relationship.pk
    assert_accessible(page, "meeting record with the genogram")


def test_an_ecomap_from_the_childs_view_and_two_maps_compared(family, page, live_server, new_context):
    fam, worker = family
    child = fam.members.filter(relation="child").first().person
    login(page, live_server, worker)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/families/{fam.pk}/ecomaps/")
    form = section(page, "new-h")
    label(form, "Päivämäärä").fill((timezone.localdate() - datetime.timedelta(days=120)).isoformat())
    label(form, "Kenen näkökulma").select_option("child")
    label(form, "Kenen näkemys").select_option(str(child.pk))
    label(form, "Keskellä").select_option(str(child.pk))
    form.get_by_role("button", name="Luo kartta").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("lapsen näkökulma (Aino Mäkinen)")
    for name, service, ring, strength, support in (
        ("3B", "school", "1", "strong", "to_centre"),
        ("Leevi", "", "1", "strong", "both"),
        ("Isä", "", "3", "stressful", "none"),
    ):
        ties = section(page, "tie-h")
        label(ties, "Kuka tai mikä").fill(name)
        if service:
            label(ties, "Palvelu").select_option(service)
            label(ties, "Nimetty ammattilainen").fill("Olli Opettaja")
            label(ties, "Yhteystieto").fill("040 123 4567")
        else:
            label(ties, "Sektori").select_option("friends" if name == "Leevi" else "family")
        label(ties, "Läheisyys").select_option(ring)
        label(ties, "Yhteyden laatu").select_option(strength)
        label(ties, "Tuen suunta").select_option(support)
        with page.expect_response(lambda r: r.request.method == "POST"):
            ties.get_by_role("button", name="Lisää yhteys").click()
        expect(page.locator("#ecomap-editor svg .tie-node").filter(has_text=name)).to_have_count(1)
    expect(page.locator("#ecomap-editor .drawing-text")).to_contain_text(
        "3B (koulu, Olli Opettaja): vahva, lähellä, tukee keskushenkilöä; yhteystieto 040 123 4567"
    )
    # A tie to nobody is refused, in words.
    with page.expect_response(lambda r: r.request.method == "POST"):
        section(page, "tie-h").get_by_role("button", name="Lisää yhteys").click()
    expect(section(page, "tie-h").get_by_role("alert")).to_be_visible()
    expect(section(page, "tie-h")).to_contain_text("ei kehenkään")
    assert_accessible(page, "ecomap")

    first = Ecomap.objects.get(family=fam)
    page.goto(f"{live_server.url}/families/{fam.pk}/ecomaps/")
    form = section(page, "new-h")
    label(form, "Kenen näkökulma").select_option("worker")
    label(form, "Pohjaksi aiempi kartta").select_option(str(first.pk))
    form.get_by_role("button", name="Luo kartta").click()
    ties = section(page, "tie-h")
    label(ties, "Palvelu").select_option("family_guidance")
    label(ties, "Nimetty ammattilainen").fill("Sanni Sosiaaliohjaaja")
    with page.expect_response(lambda r: r.request.method == "POST"):
        ties.get_by_role("button", name="Lisää yhteys").click()
    page.get_by_role("link", name="Vertaa edelliseen").click()
    maps = page.locator(".compare section")
    expect(maps).to_have_count(2)
    expect(maps.nth(0)).to_contain_text("lapsen näkökulma")
    expect(maps.nth(1)).to_contain_text("Sanni Sosiaaliohjaaja")
    expect(maps.nth(0)).not_to_contain_text("Sanni Sosiaaliohjaaja")
    assert_accessible(page, "two ecomaps side by side")

    # On a phone: the drawings scroll inside their cards, the page does not.
    from tests.browser.conftest import PHONE

    phone = new_context(**PHONE).new_page()
    login(phone, live_server, worker)
    pages = ("ecomaps/compare/", f"ecomaps/{first.pk}/", "genogram/", "genogram/edit/")
    for url in (f"/families/{fam.pk}/{p}" for p in pages):
        phone.goto(live_server.url + url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, url
        assert_accessible(phone, f"{url} at 360 px")
