"""Working with the network in a real browser: the worker records a family's consent, the partner
signs in (password and second factor) and sees only the shared plan, marks their step done, the
worker sees the note, withdraws the consent and the partner's next request finds nothing; the
worker compares two versions of the plan. axe-core checks every page."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from apps.clients.access import family_access
from apps.clients.models import Relation
from apps.partnership import services
from apps.partnership.models import Consent, JointAnswer, SharedStep
from tests import factories as f
from tests.browser.conftest import PHONE, assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _save_plan(page, goals, note=""):
    page.get_by_label("Perheen tavoitteet omin sanoin").fill(goals)
    if note:
        page.get_by_label("Mitä muuttui (näkyy versiohistoriassa)").fill(note)
    page.get_by_role("button", name="Tallenna uusi versio").click()
    expect(page.locator(".messages")).to_contain_text("Suunnitelma tallennettu")


def test_consent_partner_sees_only_the_plan_marks_a_step_and_withdrawal_ends_access(new_context, live_server, world):
    neuvola = world.partner_without_consent  # a neuvola nurse the family has not consented to yet
    neuvola.title = "Terveydenhoitaja"
    neuvola.save()
    worker = new_context().new_page()
    login(worker, live_server, world.worker)
    worker.goto(f"{live_server.url}/families/{world.family.pk}/")
    worker.get_by_role("link", name="Suostumukset ja kumppanit").click()
    assert_accessible(worker, "the family's consents")

    # First without a giver and with a last day in the past: told what is wrong, nothing lost.
    worker.get_by_label("Yhteistyökumppani").select_option(str(neuvola.pk))
    worker.get_by_label("Käyttötarkoitus").fill("Neuvolan perhetyö")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    worker.get_by_label("Voimassa asti").fill(yesterday.isoformat())
    worker.get_by_role("button", name="Kirjaa suostumus").click()
    errors = worker.locator(".form-errors, .error")
    expect(errors.first).to_be_visible()
    assert "menneisyydessä" in worker.inner_text("main") and "12 vuotta" in worker.inner_text("main")
    assert worker.get_by_label("Käyttötarkoitus").input_value() == "Neuvolan perhetyö"
    assert_accessible(worker, "consent form with errors")

    parent = world.family.members.filter(relation=Relation.PARENT).select_related("person").first()
    worker.get_by_label("Voimassa asti").fill((timezone.localdate() + datetime.timedelta(days=60)).isoformat())
    worker.get_by_label(f"{parent.person.first_names} {parent.person.last_name} (vanhempi)").check()
    for child in world.family.members.filter(relation=Relation.CHILD).select_related("person"):
        worker.get_by_label(f"{child.person.first_names}: oma näkemys").fill("Saa kertoa neuvolaan.")
    worker.get_by_label("Kumppani saa nähdä myös perheen ekokartan").check()
    worker.get_by_role("button", name="Kirjaa suostumus").click()
    expect(worker.locator(".messages")).to_contain_text("Suostumus kirjattu")
    consent = Consent.objects.get(partner=neuvola)
    assert consent.ecomap and consent.parties.filter(gave=True).get().member == parent

    # The worker writes the plan and gives the nurse a step.
    worker.goto(f"{live_server.url}/families/{world.family.pk}/plan/")
    _save_plan(worker, "Haluamme rauhallisemmat illat.")
    worker.locator("#id_what").fill("Neuvolakäynti vanhempien jaksamisesta")
    worker.locator("#id_owner").select_option(label=neuvola.professional_label)
    worker.locator("#id_due_on").fill((timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    worker.get_by_role("button", name="Lisää askel").click()
    expect(worker.locator(".messages")).to_contain_text("Askel lisätty")
    assert_accessible(worker, "the team's shared plan")

    # The team has drawn the family's ecomap with the family.
    from apps.network import services as network
    from apps.network.access import open_network

    drawing = open_network(world.worker, world.family.pk, need="network.edit")
    ecomap = network.ecomap_create(access=drawing, drawn_on=timezone.localdate(), viewpoint="worker")
    network.tie_add(access=drawing, ecomap=ecomap, service="school", name="Testilän koulu")

    # The nurse signs in like everyone: password, then the second factor; lands on their plans.
    nurse = new_context(**PHONE).new_page()
    login(nurse, live_server, neuvola)
    expect(nurse).to_have_url(f"{live_server.url}/partner/")
    assert "Mäkinen" in nurse.inner_text("main") and "Salainen" not in nurse.inner_text("main")
    assert_accessible(nurse, "the partner's home on a phone")
    nurse.get_by_role("link", name="Perhe Mäkinen").click()
    main = nurse.inner_text("main")
    assert "Haluamme rauhallisemmat illat." in main and "Neuvolakäynti vanhempien jaksamisesta" in main
    assert "Koulun oppilashuolto" not in main  # world.partner's part is not the nurse's
    nav = nurse.inner_text("header")
    assert "Oma tiimi" not in nav and "Omat määräajat" not in nav
    assert_accessible(nurse, "the partner's view of the plan on a phone")
    for url in (f"/families/{world.family.pk}/", f"/families/{world.family.pk}/plan/", f"/teams/{world.team.pk}/", "/deadlines/"):
        response = nurse.goto(f"{live_server.url}{url}")
        assert response.status == 404, url

    # The consent includes the ecomap: the nurse reads the team's latest map, drawn and as text.
    nurse.goto(f"{live_server.url}/partner/plans/{consent.family.shared_plan.pk}/")
    nurse.get_by_role("link", name="Perheen verkostokartta").click()
    expect(nurse.locator(".drawing svg")).to_be_visible()
    assert "Testilän koulu" in nurse.inner_text(".drawing-text") and "Tallenna" not in nurse.inner_text("main")
    _no_horizontal_scroll(nurse)
    assert_accessible(nurse, "the partner's view of the ecomap on a phone")
    ecomap_url = nurse.url

    nurse.goto(f"{live_server.url}/partner/plans/{consent.family.shared_plan.pk}/")
    nurse.get_by_label("Lyhyt huomio työntekijälle").fill("Käynti sovittu ensi viikolle.")
    nurse.get_by_role("button", name="Merkitse tehdyksi").click()
    expect(nurse.locator(".messages")).to_contain_text("Askel merkitty tehdyksi")
    assert SharedStep.objects.get(owner_user=neuvola).status == "done"

    worker.goto(f"{live_server.url}/families/{world.family.pk}/plan/")
    assert "Käynti sovittu ensi viikolle." in worker.inner_text("#steps")

    # The family withdraws the consent: the nurse's next request finds nothing.
    worker.goto(f"{live_server.url}/families/{world.family.pk}/consents/")
    article = worker.locator("article", has_text=neuvola.professional_label)
    article.get_by_label("Perumisen syy tai kuka perui").fill("Äiti perui puhelimessa")
    article.get_by_role("button", name="Peru suostumus").click()
    expect(worker.locator(".messages")).to_contain_text("Suostumus peruttu")
    response = nurse.reload()
    assert response.status == 404
    assert nurse.goto(ecomap_url).status == 404
    nurse.goto(f"{live_server.url}/partner/")
    assert "Mäkinen" not in nurse.inner_text("main")
    assert_accessible(nurse, "the partner's home after the withdrawal")


def test_the_worker_compares_two_versions_of_the_plan(page, live_server, world):
    f.consent(world.family, world.partner, world.worker)
    login(page, live_server, world.worker)
    page.goto(f"{live_server.url}/families/{world.family.pk}/plan/")
    _save_plan(page, "Aamut sujuvat ilman riitaa.")
    _save_plan(page, "Aamut sujuvat ilman riitaa.\nViikonloppuisin teemme jotain yhdessä.", note="Viikonloput lisätty")
    page.get_by_role("link", name="Versiot ja muutokset").click()
    diff = page.locator(".plan-diff")
    expect(diff.locator("ins")).to_contain_text("Viikonloppuisin teemme jotain yhdessä.")
    assert "Viikonloput lisätty" in page.inner_text("main")
    assert_accessible(page, "comparing versions")
    page.get_by_label("Vanhempi versio").select_option("2")
    page.get_by_label("Uudempi versio").select_option("1")
    page.get_by_role("button", name="Vertaa").click()
    expect(page.locator("h2", has_text="Muutokset versiosta 1 versioon 2")).to_be_visible()  # put in order


def _young_child(world, age):
    child = f.person(world.county, "Lilja", "Mäkinen", birth=timezone.localdate() - datetime.timedelta(days=age * 366))
    return world.family.members.create(county=world.county, person=child, relation="child")


def _no_horizontal_scroll(page, width=360):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page is {scroll} px wide on a {width} px screen"


def test_a_child_fills_the_joint_assessment_by_touch_on_a_phone(new_context, live_server, world):
    assessment, _l, _t = f.joint_assessment(world.family, world.worker)
    child = _young_child(world, 8)
    _link, token = services.joint_link_issue(access=family_access(world.worker, world.family), assessment=assessment, member_id=child.pk)
    page = new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/y/{token}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Miten sinulla menee?"
    assert page.locator("svg.face").count() == 40 and page.locator("svg.area-icon").count() == 8
    assert "Mäkinen" not in page.content() and "Lilja" not in page.content()
    _no_horizontal_scroll(page)
    assert_accessible(page, "the joint assessment on a child's phone")

    page.get_by_role("button", name="Lähetä").tap()  # nothing chosen yet: told, nothing sent
    expect(page.get_by_role("alert")).to_contain_text("Valitse ainakin yhdestä kohdasta")
    assert not JointAnswer.objects.exists()
    _no_horizontal_scroll(page)
    assert_accessible(page, "the joint assessment with its message")

    safety = page.get_by_role("group", name="Turvallisuus")
    safety.get_by_text("Huonosti", exact=True).tap()
    page.get_by_role("group", name="Koulu, päivähoito tai työ").get_by_text("Tosi hyvin").tap()
    safety.get_by_label("Omin sanoin (ei pakollinen)").fill("Illalla pelottaa.")
    with page.expect_navigation():
        page.get_by_role("button", name="Lähetä").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiitos!")
    _no_horizontal_scroll(page)
    answer = JointAnswer.objects.get(member=child)
    assert answer.marks == {"safety": 2, "school_work": 5} and answer.words == {"safety": "Illalla pelottaa."}


def test_a_young_person_fills_the_joint_assessment_by_keyboard(new_context, live_server, world):
    _assessment, link, token = f.joint_assessment(world.family, world.worker)  # the family's first child, 14
    page = new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/y/{token}/")
    assert page.locator("svg.face").count() == 0 and page.locator(".scale-number").count() == 40
    # Tab to the first group, choose with the arrow keys (a radio group moves and checks together).
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "daily_life":
            break
    assert page.evaluate("document.activeElement.name") == "daily_life"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.querySelector('input[name=daily_life]:checked').value") == "3"
    focus = page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle")
    assert focus != "none"  # the chosen number shows the keyboard focus
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "words_daily_life"
    page.keyboard.type("Aamut ovat kiireisiä.")
    page.get_by_role("button", name="Lähetä").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiitos!")
    answer = JointAnswer.objects.get(member=link.member)
    assert answer.marks == {"daily_life": 3} and answer.words == {"daily_life": "Aamut ovat kiireisiä."}
    assert_accessible(page, "thank-you page")


def test_a_handover_at_closure_is_edited_shared_and_read_by_the_partner_on_a_phone(new_context, live_server, world):
    summary = f.handover(world.family, world.worker)  # Lotta's relationship closed last week
    worker = new_context().new_page()
    login(worker, live_server, world.worker)
    worker.goto(f"{live_server.url}/families/{world.family.pk}/")
    worker.get_by_role("link", name="Siirtoyhteenvedot").click()
    worker.get_by_role("link", name=f"Lotta, asiakkuus päättyi {summary.relationship.closed_on:%-d.%-m.%Y}").click()
    assert "Paula Kumppani" in worker.get_by_label("Keneen ottaa yhteyttä").input_value()  # drafted from the consents
    worker.get_by_label("Mikä auttoi").fill("Kotikäynnit ja koulun aamupalaverit.")
    worker.get_by_role("button", name="Tallenna", exact=True).click()
    expect(worker.locator(".messages")).to_contain_text("Yhteenveto tallennettu")
    worker.get_by_label("Jaa yhteistyökumppanille").select_option(str(world.partner.pk))
    worker.get_by_role("button", name="Jaa yhteenveto").click()
    expect(worker.locator(".messages")).to_contain_text("Yhteenveto jaettu")
    assert_accessible(worker, "the handover summary")

    partner = new_context(**PHONE).new_page()
    login(partner, live_server, world.partner)
    partner.get_by_role("link", name="Perhe Mäkinen: Lotta").click()
    assert "Kotikäynnit ja koulun aamupalaverit." in partner.inner_text("main")
    _no_horizontal_scroll(partner)
    assert_accessible(partner, "the partner's handover summary on a phone")

    # The notifier of the family's notification is told the matter is being handled: recorded, logged.
    child = world.family.relationships.first().child
    notification = f.notification(world.family, child, world.worker)
    worker.goto(f"{live_server.url}/families/{world.family.pk}/")
    worker.get_by_role("link", name="Palaute ilmoittajalle").click()
    worker.locator("#id_notification").select_option(str(notification.pk))
    worker.get_by_label("Miten kerrottu").fill("puhelimitse")
    worker.get_by_label("vain tieto, että ilmoitus on vastaanotettu ja asia on käsittelyssä").check()
    worker.get_by_label("Mitä ilmoittajalle kerrottiin").fill("Ilmoitus on vastaanotettu ja asia on käsittelyssä.")
    worker.get_by_role("button", name="Kirjaa", exact=True).click()
    expect(worker.locator(".messages")).to_contain_text("Palaute ilmoittajalle kirjattu")
    assert_accessible(worker, "feedback to the notifier")


def test_a_team_starts_a_peer_group_and_records_a_meeting(page, live_server, world):
    young = f.person(world.county, "Niko", "Mäkinen", birth=timezone.localdate() - datetime.timedelta(days=19 * 366))
    member = world.family.members.create(county=world.county, person=young, relation="child")
    login(page, live_server, world.worker)
    page.goto(f"{live_server.url}/teams/{world.team.pk}/")
    page.get_by_role("link", name="Vertaisryhmät").click()
    page.get_by_label("Ryhmän nimi").fill("Nuorten ilta")
    page.get_by_label("jälkihuollon nuorten vertaisryhmä").check()
    page.get_by_role("button", name="Perusta", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nuorten ilta")
    page.get_by_label("Kutsuttava").select_option(str(member.pk))
    # A contact that is neither an e-mail address nor a Finnish number: told so, nothing lost.
    page.get_by_label("Yhteystieto, johon kutsun saa lähettää").fill("niko(at)example.org")
    page.get_by_label("Kutsun kieli").select_option("en")
    page.get_by_role("button", name="Lähetä kutsu").click()
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.get_by_label("Yhteystieto, johon kutsun saa lähettää")).to_have_value("niko(at)example.org")
    expect(page.get_by_label("Kutsun kieli")).to_have_value("en")
    assert_accessible(page, "a peer group's invitation refused")
    page.get_by_label("Yhteystieto, johon kutsun saa lähettää").fill("niko@example.org")
    page.get_by_role("button", name="Lähetä kutsu").click()
    expect(page.locator(".messages")).to_contain_text("Kutsu lähetetty sähköpostilla osoitteeseen niko@example.org")
    assert [m.to for m in mail.outbox] == [["niko@example.org"]] and "Nuorten ilta" in mail.outbox[0].body
    page.get_by_label("Aihe").fill("Ensimmäinen oma koti")
    page.get_by_label("Niko Mäkinen").check()
    page.get_by_role("button", name="Kirjaa tapaaminen").click()
    expect(page.locator(".messages")).to_contain_text("Tapaaminen kirjattu")
    assert "paikalla 1 kerran" in page.inner_text("main")
    assert_accessible(page, "a peer group")

    # Experts by experience: a parent invited by phone (the text to read out), a contribution recorded.
    parent = world.family.members.filter(relation="parent").select_related("person").order_by("id").first()
    page.get_by_role("link", name="Vertaisryhmät").click()
    page.get_by_label("Ryhmän nimi").fill("Kokemusasiantuntijat")
    page.get_by_label("kokemusasiantuntijat kehittämistyössä").check()
    page.get_by_role("button", name="Perusta", exact=True).click()
    page.get_by_label("Kutsuttava").select_option(str(parent.pk))
    page.get_by_label("Yhteystieto, johon kutsun saa lähettää").fill("040 765 4321")
    page.get_by_role("button", name="Lähetä kutsu").click()
    expect(page.locator(".messages")).to_contain_text("puhelimitse numeroon 040 765 4321")
    expect(page.locator(".invitation-text")).to_contain_text("Sinut kutsutaan mukaan ryhmään Kokemusasiantuntijat.")
    assert len(mail.outbox) == 1  # nothing sent to a phone number
    page.get_by_label("Mihin kehittämistyöhön").fill("Perheen sivun selkokieli")
    page.get_by_label("Panos omin sanoin").fill("Kirjoittakaa niin kuin puhutte.")
    page.get_by_role("group", name="Kuka antoi panoksen").get_by_label(f"{parent.person.first_names} Mäkinen").check()
    page.get_by_role("button", name="Kirjaa panos").click()
    expect(page.locator(".messages")).to_contain_text("Panos kirjattu")
    contributions = page.locator("section", has=page.get_by_role("heading", name="Panokset kehittämistyöhön"))
    expect(contributions.locator("ul").first).to_contain_text("1 kokemusasiantuntija")
    assert_accessible(page, "an experts' group with a contribution")
    page.set_viewport_size({"width": PHONE["viewport"]["width"], "height": 800})
    assert_accessible(page, "an experts' group on a phone")
