"""End-to-end checks in a real browser: the pages a team uses, their accessibility (axe-core,
WCAG 2.1 AA), a phone-sized viewport, printing, language switching and who may see what."""

import re

import pytest
from django.utils import timezone

from tests.browser.conftest import assert_accessible, focus_problems, login
from tests.factories import identity_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Nothing of world.family may appear to someone outside its team.
FAMILY_WORDS = ["Mäkinen", "Aino", "Eino", "Sanna", "Mikko"]
FAMILIES_TABLE = "Perheet, lapset ja työntekijät"


def team_url(live_server, team):
    return f"{live_server.url}/teams/{team.pk}/"


def family_url(live_server, family):
    return f"{live_server.url}/families/{family.pk}/"


def member(family, first):
    return family.members.select_related("person").get(person__first_names=first).person


def test_axe_check_reports_violations(page):
    """The harness itself: a page with known WCAG failures must not pass."""
    page.set_content("<html><body><img src='data:,'><input></body></html>")
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_accessible(page, "broken page")
    for rule in ["html-has-lang", "document-title", "image-alt", "label"]:
        assert rule in str(failed.value)


def test_login_page_with_wrong_password(page, live_server, world):
    page.goto(f"{live_server.url}/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    assert_accessible(page, "login page")

    page.get_by_label("Käyttäjätunnus").fill(world.worker.username)
    page.get_by_label("Salasana").fill("väärä-salasana")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirjaudu", exact=True).click()
    assert "/accounts/login/" in page.url
    assert page.get_by_role("alert").inner_text()
    assert page.get_by_label("Käyttäjätunnus").input_value() == world.worker.username
    assert_accessible(page, "login page with an error")


def test_worker_lands_on_team_page(page, live_server, world):
    login(page, live_server, world.worker)

    assert page.url == team_url(live_server, world.team)
    assert page.get_by_role("heading", level=1).inner_text() == world.team.name
    members = page.locator("section[aria-labelledby=members-h]")
    for name, role in [
        ("Sari Sosiaalinen", "sosiaalityöntekijä"),
        ("Kaisa Konsultti", "konsultoiva sosiaalityöntekijä"),
        ("Kirsi Koordinaattori", "koordinaattori"),
        ("Teemu Terapeutti", "perheterapeutti"),
    ]:
        assert members.get_by_role("listitem").filter(has_text=name).inner_text().endswith(f"– {role}")
    assert "Ville Vieras" not in members.inner_text()

    families = page.get_by_role("table", name=FAMILIES_TABLE)
    assert families.get_by_role("link", name="Mäkinen").is_visible()
    assert "Aino – avohuollon asiakkuus" in families.inner_text()
    assert "Salainen" not in page.content()  # another team's family

    caseload = page.get_by_role("table", name="Vastuulapset työntekijöittäin")
    row = caseload.get_by_role("row").filter(has_text="Sari Sosiaalinen")
    assert row.locator("td.num").inner_text().strip() == "2"

    assert_accessible(page, "team page")


def test_family_page_from_team_page(page, live_server, world):
    login(page, live_server, world.worker)
    page.get_by_role("table", name=FAMILIES_TABLE).get_by_role("link", name="Mäkinen").click()

    page.wait_for_url(family_url(live_server, world.family))
    assert page.get_by_role("heading", level=1).inner_text() == "Perhe Mäkinen"
    assert page.title() == "Mäkinen – Systeemi"

    children = page.locator("section[aria-labelledby=children-h]")
    for first in ["Aino", "Eino"]:
        text = children.get_by_role("article", name=f"{first} Mäkinen").inner_text()
        assert "Vaihe: avohuollon asiakkuus" in text
        assert "Vastuusosiaalityöntekijä: Sari Sosiaalinen" in text
        history = children.get_by_role("article", name=f"{first} Mäkinen").get_by_role("list", name="Asiakkuuden vaiheet")
        assert [li.split(" ", 1)[1] for li in history.get_by_role("listitem").all_inner_texts()] == [
            "lastensuojeluilmoitus",
            "avohuollon asiakkuus",
        ]

    adults = page.locator("section[aria-labelledby=adults-h]")
    for first in ["Sanna", "Mikko"]:
        text = adults.get_by_role("article", name=f"{first} Mäkinen").inner_text()
        assert "Vanhempi, huoltaja" in text
        assert "Koivukuja 3 A 5" in text

    assert_accessible(page, "family page")


def test_edit_person_with_invalid_then_valid_identity_code(page, live_server, world):
    aino = member(world.family, "Aino")
    login(page, live_server, world.worker)
    page.goto(family_url(live_server, world.family))
    page.get_by_role("link", name="Muokkaa: Aino").click()
    page.wait_for_url(re.compile(rf"/families/{world.family.pk}/people/{aino.pk}/edit/$"))

    code_input = page.get_by_label("Henkilötunnus")
    page.get_by_label("Etunimet").fill("Aino Maria")
    page.get_by_label("Lisätieto").fill("Käy koulua Koivukylässä")
    code_input.fill("131052-308U")  # wrong check character
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna").click()

    # Still on the form, nothing saved: a summary on top and the message beside the field.
    assert page.url.endswith(f"/people/{aino.pk}/edit/")
    assert page.get_by_role("alert").inner_text().startswith("Tarkista merkityt kohdat.")
    field = page.locator(".field").filter(has=code_input)
    assert "field-error" in field.get_attribute("class")
    error = field.locator(".error").inner_text()
    assert "tarkistusmerkki" in error.lower(), error
    # Screen readers hear the message with the field.
    assert code_input.get_attribute("aria-invalid") == "true"
    described = code_input.get_attribute("aria-describedby").split()
    assert error in " ".join(page.locator(f"#{d}").inner_text() for d in described)
    # Everything typed is still there.
    assert code_input.input_value() == "131052-308U"
    assert page.get_by_label("Etunimet").input_value() == "Aino Maria"
    assert page.get_by_label("Lisätieto").input_value() == "Käy koulua Koivukylässä"
    aino.refresh_from_db()
    assert aino.first_names == "Aino"
    assert_accessible(page, "person form with errors")

    valid = identity_code(aino.birth_date, 987)
    code_input.fill(valid)
    page.get_by_role("button", name="Tallenna").click()

    page.wait_for_url(family_url(live_server, world.family))
    assert page.get_by_role("status").inner_text() == "Muutokset tallennettu."
    text = page.get_by_role("article", name="Aino Maria Mäkinen").inner_text()
    assert valid in text
    assert "Käy koulua Koivukylässä" in text
    aino.refresh_from_db()
    assert (aino.first_names, aino.personal_identity_code) == ("Aino Maria", valid)


def test_non_disclosure_hides_contact_details_from_other_team_members(new_context, live_server, world):
    sanna, aino = member(world.family, "Sanna"), member(world.family, "Aino")
    sanna.non_disclosure = True
    sanna.street_address, sanna.phone = "Piilotie 9 B 12", "050 765 4321"
    sanna.save()
    aino.non_disclosure = True
    aino.street_address, aino.postal_code, aino.post_office, aino.phone = "Salatie 4", "00200", "Helsinki", "044 111 2222"
    aino.save()
    secrets = ["Piilotie", "050 765 4321", "Salatie", "044 111 2222"]

    # The therapist and the coordinator are in the team but responsible for neither person.
    for user in [world.therapist, world.coordinator]:
        page = new_context().new_page()
        login(page, live_server, user)
        page.goto(family_url(live_server, world.family))
        html = page.content()
        assert not [s for s in secrets if s in html], f"{user.username} sees contact details under turvakielto"
        for first in ["Sanna", "Aino"]:
            text = page.get_by_role("article", name=f"{first} Mäkinen").inner_text()
            assert "Turvakielto" in text
            assert "Yhteystiedot piilotettu turvakiellon vuoksi" in text
        # Mikko has no turvakielto: the whole team sees his address.
        assert "Koivukuja 3 A 5" in page.get_by_role("article", name="Mikko Mäkinen").inner_text()

    # The coordinator may edit people, but the form leaves the contact fields out.
    page.goto(f"{live_server.url}/families/{world.family.pk}/people/{sanna.pk}/edit/")
    assert page.get_by_label("Etunimet").input_value() == "Sanna"
    assert page.locator("input[name=street_address], input[name=phone]").count() == 0
    assert not [s for s in secrets if s in page.content()]
    assert_accessible(page, "person form under turvakielto")

    # The child's responsible worker sees the child's details; the parents' worker the parent's.
    for user, first, shown in [
        (world.worker, "Aino", "Salatie 4, 00200 Helsinki · 044 111 2222"),
        (world.second_worker, "Sanna", "Piilotie 9 B 12"),
    ]:
        page = new_context().new_page()
        login(page, live_server, user)
        page.goto(family_url(live_server, world.family))
        assert shown in page.get_by_role("article", name=f"{first} Mäkinen").inner_text()


def test_phone_viewport_has_no_horizontal_overflow(phone_page, live_server, world):
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.evaluate("window.innerWidth") == 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    login(page, live_server, world.worker)
    aino = member(world.family, "Aino")
    from tests import factories

    factories.notification(world.family, aino, world.worker)  # an undecided notification: the family has deadlines
    for url in [
        team_url(live_server, world.team),
        family_url(live_server, world.family),
        f"{live_server.url}/families/{world.family.pk}/people/{aino.pk}/edit/",
        f"{live_server.url}/families/{world.family.pk}/discussions/",
    ]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{url} is {width}px wide on a 360px phone"
        assert_accessible(page, f"{url} on a phone")
        # No table scrolls sideways in its own box either: wide tables are stacked as cards.
        boxes = page.locator(".table-wrap").evaluate_all("els => els.map(e => [e.scrollWidth, e.clientWidth])")
        assert all(scroll <= client for scroll, client in boxes), f"{url}: a table scrolls sideways on a phone: {boxes}"
        if url == family_url(live_server, world.family):
            deadlines = page.get_by_role("table", name="Perheen määräajat")
            labels = deadlines.locator("tbody td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
            assert labels[:4] == ['"Määräpäivä"', '"Määräaika"', '"Lapsi ja perhe"', '"Vastuutyöntekijä"']
        if url == team_url(live_server, world.team):
            # The families table is stacked on a phone, its headers hidden: each cell names its column.
            families = page.get_by_role("table", name=FAMILIES_TABLE)
            labels = families.locator("tbody td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
            assert labels[1:] == [
                '"Asiakaslapset ja vaihe"',
                '"Vastuutyöntekijät"',
                '"Vanhempien työntekijä"',
                '"Viimeksi käsitelty"',
                '"Avoimet askeleet"',
            ]


def test_a_meetings_attendance_reads_on_a_phone_without_sideways_scrolling(phone_page, live_server, world):
    """The coordinator marks attendance on a 360 px phone: the members' and the families' tables are
    stacked as cards, each cell naming its column, and nothing scrolls sideways."""
    from tests import factories

    item = factories.meeting_item(world.family, world.coordinator)
    page = phone_page
    login(page, live_server, world.coordinator)
    url = f"{live_server.url}/meetings/{item.meeting_id}/"
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the meeting page is {width}px wide on a 360px phone"
    boxes = page.locator("#attendance .table-wrap").evaluate_all("els => els.map(e => [e.scrollWidth, e.clientWidth])")
    assert len(boxes) == 2 and all(scroll <= client for scroll, client in boxes), f"an attendance table scrolls sideways: {boxes}"
    members = page.get_by_role("table", name="Tiimin jäsenet")
    labels = members.locator("tbody tr").first.locator("td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
    assert labels == ['"Paikalla"', '"Rooli tiimissä"', '"Rooli kokouksessa"']
    families = page.get_by_role("table", name="Perheet ja yhteistyökumppanit")
    assert "Mäkinen" in families.inner_text()
    labels = families.locator("tbody td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
    assert labels == ['"Perhe paikalla"', '"Yhteistyökumppani paikalla"', '"Käsittelyaika"']
    # Still a form that works by touch: tick the first member present and save.
    page.locator("#attendance tbody input[type=checkbox]").first.check()
    page.locator("#attendance-save").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#attendance tbody input[type=checkbox]").first.is_checked()
    assert_accessible(page, "the meeting's attendance on a phone")


def test_family_page_prints_without_tools(page, live_server, world):
    login(page, live_server, world.worker)
    page.goto(family_url(live_server, world.family))
    page.emulate_media(media="print")

    def display(selector):
        return page.eval_on_selector_all(selector, "els => els.map(e => getComputedStyle(e).display)")

    for selector in [".site-header nav", ".header-tools", ".skip-link", ".actions", "a.btn-small", "button", "form", ".site-footer"]:
        shown = display(selector)
        assert shown, f"nothing matches {selector}"
        assert set(shown) == {"none"}, f"{selector} would be printed: {shown}"
    # The content itself is printed, on white.
    assert page.get_by_role("heading", name="Perhe Mäkinen").is_visible()
    assert page.get_by_role("article", name="Aino Mäkinen").is_visible()
    assert page.get_by_role("list", name="Asiakkuuden vaiheet").first.is_visible()
    for selector in ["body", ".site-header"]:  # no dark ink-hungry bars
        assert page.eval_on_selector(selector, "e => getComputedStyle(e).backgroundColor") in {"rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"}
    assert page.pdf(format="A4").startswith(b"%PDF")


def test_language_switcher_changes_html_lang(page, live_server, world):
    login(page, live_server, world.worker)
    assert page.get_attribute("html", "lang") == "fi"
    # Each language is offered in its own name and marked with its own language.
    options = page.locator("#lang-select option")
    assert options.evaluate_all("os => os.map(o => [o.value, o.lang, o.textContent])") == [
        ["fi", "fi", "suomi"],
        ["sv", "sv", "svenska"],
        ["en", "en", "English"],
    ]

    for label, code in [("svenska", "sv"), ("English", "en"), ("suomi", "fi")]:
        page.locator("#lang-select").select_option(label=label)
        with page.expect_navigation(url=team_url(live_server, world.team)):  # back where the user was
            page.locator(".lang-form button[type=submit]").click()
        assert page.get_attribute("html", "lang") == code
        assert page.get_by_role("heading", level=1).inner_text() == world.team.name
        assert page.get_by_role("table", name=re.compile(".")).count() >= 2
        assert page.locator("#lang-select").input_value() == code
        if code == "sv":
            assert_accessible(page, "team page in Swedish")


def test_stranger_gets_404_without_family_details(page, live_server, world):
    login(page, live_server, world.stranger)
    response = page.goto(family_url(live_server, world.family))

    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Sivua ei löytynyt"
    title, body, html = page.title(), page.locator("body").inner_text(), page.content()
    leaked = [w for w in FAMILY_WORDS if w in title or w in body or w in html]
    assert not leaked, f"the 404 page shows {leaked}"
    assert_accessible(page, "404 page")


def test_manager_sees_caseloads_but_not_families(page, live_server, world):
    login(page, live_server, world.manager)
    assert page.url == f"{live_server.url}/caseloads/"
    text = page.locator("main").inner_text()
    assert world.team.name in text and world.other_team.name in text
    assert not [w for w in [*FAMILY_WORDS, "Salainen"] if w in page.content()]
    assert_accessible(page, "caseload overview")
    page.get_by_role("link", name=world.team.name, exact=True).first.click()
    assert "Sari Sosiaalinen" in page.locator("main").inner_text()  # the team's workers month by month
    assert not [w for w in [*FAMILY_WORDS, "Salainen"] if w in page.content()]
    assert_accessible(page, "a team's caseload months, for a manager")

    response = page.goto(family_url(live_server, world.family))
    assert response.status == 404
    assert not [w for w in FAMILY_WORDS if w in page.content()]


def test_auditor_finds_who_viewed_a_child(new_context, live_server, world):
    worker_page = new_context().new_page()
    login(worker_page, live_server, world.worker)
    worker_page.goto(family_url(live_server, world.family))
    assert worker_page.get_by_role("heading", name="Perhe Mäkinen").is_visible()

    page = new_context().new_page()
    login(page, live_server, world.auditor)
    assert page.url == f"{live_server.url}/audit/"
    assert_accessible(page, "audit search")
    page.get_by_label("Henkilötunnus tai nimi").fill("Aino Mäkinen")
    with page.expect_navigation():
        page.get_by_role("button", name="Hae").click()
    results = page.locator("section[aria-labelledby=results-h]")
    assert results.get_by_role("link").all_inner_texts() == ["Mäkinen, Aino"]
    assert_accessible(page, "audit search results")
    results.get_by_role("link", name="Mäkinen, Aino").click()

    aino = member(world.family, "Aino")
    page.wait_for_url(re.compile(rf"/audit/people/{aino.pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Käyttö- ja luovutusloki: Aino Mäkinen"
    rows = page.get_by_role("table", name="Lokimerkinnät").locator("tbody tr")
    visits = rows.filter(has_text="Sari Sosiaalinen").filter(has_text="Perheen sivu")
    assert visits.count() >= 1
    today = timezone.localdate()
    assert f"{today.day}.{today.month}.{today.year}" in visits.first.inner_text()
    assert_accessible(page, "audit log")


def test_keyboard_focus_is_visible_and_skip_link_works(page, live_server, world):
    login(page, live_server, world.worker)
    page.goto(family_url(live_server, world.family))

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Siirry sisältöön")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the skip link stays off screen when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    aino = member(world.family, "Aino")
    for url in [family_url(live_server, world.family), f"{live_server.url}/families/{world.family.pk}/people/{aino.pk}/edit/"]:
        page.goto(url)
        problems = focus_problems(page)
        assert not problems, f"weak or missing focus indicators on {url}:\n" + "\n".join(problems)


def test_every_form_page_is_accessible(page, live_server, world):
    aino = member(world.family, "Aino")
    rel = aino.client_relationships.get()
    fam = f"{live_server.url}/families/{world.family.pk}"
    login(page, live_server, world.worker)
    for url in [
        f"{live_server.url}/teams/{world.team.pk}/families/new/",
        f"{fam}/edit/",
        f"{fam}/people/new/",
        f"{fam}/relationships/new/",
        f"{fam}/relationships/{rel.pk}/phases/new/",
        f"{fam}/relationships/{rel.pk}/worker/",
    ]:
        assert page.goto(url).status == 200
        assert_accessible(page, url)
    # An empty submit shows every error at once, accessibly.
    page.goto(f"{fam}/people/new/")
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna").click()
    assert page.locator(".field-error").count() >= 2
    assert_accessible(page, "empty person form")


def test_non_responsible_editor_cannot_lift_non_disclosure(page, live_server, world):
    sanna = member(world.family, "Sanna")
    sanna.non_disclosure, sanna.street_address = True, "Piilotie 9 B 12"
    sanna.save()
    login(page, live_server, world.coordinator)
    page.goto(f"{live_server.url}/families/{world.family.pk}/people/{sanna.pk}/edit/")
    checkbox = page.get_by_label("Turvakielto")
    if checkbox.count() and checkbox.is_enabled():
        checkbox.uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna").click()

    sanna.refresh_from_db()
    assert sanna.non_disclosure
    page.goto(family_url(live_server, world.family))
    assert "Piilotie" not in page.content()


def test_manager_reads_the_county_report_and_a_teams_fidelity_without_family_names(page, live_server, world):
    login(page, live_server, world.manager)
    page.get_by_role("link", name="Alueen raportti").click()
    page.wait_for_url(f"{live_server.url}/evaluation/county/")
    assert world.county.name in page.get_by_role("heading", level=1).inner_text()
    assert not [w for w in [*FAMILY_WORDS, "Salainen"] if w in page.content()]
    assert_accessible(page, "county report")
    for width in (1366, 360):  # its wide tables scroll in their own box; the page keeps the screen's width
        page.set_viewport_size({"width": width, "height": 800})
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the county report is {scroll} px wide on a {width} px screen"
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_role("link", name=world.team.name).click()
    page.wait_for_url(re.compile(rf".*/teams/{world.team.pk}/fidelity/.*"))
    text = page.locator("main").inner_text()
    assert "Viikkokokous pidetty" in text and "THL" in text
    assert not [w for w in FAMILY_WORDS if w in page.content()]
    assert_accessible(page, "team fidelity")

    page.get_by_role("link", name="Arviot ja muutos").click()  # the team's ratings, from where the manager sees the team
    page.wait_for_url(f"{live_server.url}/teams/{world.team.pk}/ratings/")
    assert "Piilotettu luku" in page.locator("main").inner_text()  # the hidden mark explained once
    assert not [w for w in FAMILY_WORDS if w in page.content()]
    assert_accessible(page, "team ratings, for a manager")


def test_researcher_lands_on_the_export_form_and_sees_no_family(page, live_server, world):
    login(page, live_server, world.researcher)
    assert page.url == f"{live_server.url}/evaluation/research/"
    assert page.get_by_role("heading", level=1).inner_text() == "Pseudonymisoitu tutkimusaineisto"
    assert not [w for w in FAMILY_WORDS if w in page.content()]
    assert_accessible(page, "research export form")
    assert page.goto(family_url(live_server, world.family)).status == 404
