"""A whole weekly team meeting in a real browser, as the coordinator and the chair run it.

The coordinator builds the agenda from Systeemi's proposals (one family is proposed only because a
statutory deadline is overdue), orders the items and sets their times, records two cases with
hypotheses and plan steps while the record autosaves (htmx: each action swaps in the part of the
page it changed, nothing reloads), keeps typing through a lost connection, meets the chair's
simultaneous edit of the same record (the server merges; both texts survive, kept both with one
button), and ticks who was there. The chair approves; a worker shares the summary with the family,
and the family's page and PDF open. axe-core checks the meeting page, the record page and the
summary; one pass on the record page uses the keyboard only, another runs on a 360 px phone.
"""

import datetime
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.meetings.models import AgendaItem, Attendance, Hypothesis, Meeting, PlanStep
from tests import factories as f
from tests.browser.conftest import PHONE, assert_accessible, focus_problems, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = "Tallennettu"
OFFLINE = "Ei yhteyttä"


STATUS = "#record-status"


def saved(page):
    """Wait until the autosave status says the record is on the server."""
    expect(page.locator(STATUS)).to_contain_text(SAVED)


def record(item_id, field):
    return getattr(AgendaItem.objects.get(pk=item_id), field)


def eventually(page, check, what):
    """Autosave runs in the background: poll the database (not the clock) until it has the text."""
    for _ in range(100):
        if check():
            return
        page.wait_for_timeout(100)
    pytest.fail(f"never saved: {what}")


def add_hypothesis(page, text, perspective):
    section = page.locator("#hypotheses")
    section.get_by_role("textbox", name="Hypoteesi", exact=True).fill(text)
    section.get_by_label("Kenen näkökulmasta").fill(perspective)
    section.get_by_role("button", name="Lisää hypoteesi").click()
    expect(section.get_by_role("listitem").filter(has_text=text)).to_contain_text(f"{perspective}:")


def add_step(page, what, owner, due_on):
    section = page.locator("#steps")
    section.get_by_label("Mitä").fill(what)
    section.get_by_label("Kuka").select_option(label=owner)
    section.get_by_label("Mihin mennessä").fill(due_on.isoformat())
    section.get_by_role("button", name="Lisää askel").click()
    expect(section.get_by_role("listitem").filter(has_text=what)).to_contain_text(owner)


def test_a_whole_meeting_from_agenda_to_the_familys_pdf(new_context, live_server, world):
    today = timezone.localdate()
    # Järvinen was discussed last week, so only its overdue statutory deadline brings it back: the
    # notification came 30 days ago and the decision to investigate (7 working days) is late.
    jarvinen = f.family(world.team, "Järvinen", children=1, parents=1, worker=world.second_worker)
    f.meeting_item(jarvinen, world.second_worker, starts_at=timezone.now() - datetime.timedelta(days=7))
    child = jarvinen.relationships.select_related("child").first().child
    f.notification(jarvinen, child, world.second_worker, received_on=today - datetime.timedelta(days=30))
    starts = (timezone.localtime() + datetime.timedelta(hours=1)).replace(second=0, microsecond=0)
    due = today + datetime.timedelta(days=8)

    coordinator_context = new_context()
    page = coordinator_context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    login(page, live_server, world.coordinator)

    # --- The agenda, from Systeemi's proposals -------------------------------------------------
    page.goto(f"{live_server.url}/teams/{world.team.pk}/meetings/")
    page.get_by_label("Alkaa").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Tila").fill("Neuvotteluhuone Kuusi")
    page.get_by_role("button", name="Luo kokous").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get(team=world.team, starts_at=starts)
    meeting_url = page.url

    proposals = page.locator("section[aria-labelledby=proposals-h]")
    jarvinen_row = proposals.get_by_role("listitem").filter(has_text="Järvinen")
    expect(jarvinen_row).to_contain_text("määräaika lähellä tai ylittynyt")
    expect(jarvinen_row).not_to_contain_text("ei käsitelty sovitun ajan sisällä")
    expect(proposals.get_by_role("listitem").filter(has_text="Mäkinen")).to_contain_text("ei käsitelty sovitun ajan sisällä")
    expect(proposals).not_to_contain_text("Salainen")  # another team's family
    agenda = page.locator("ol.agenda > li")
    page.get_by_role("button", name="Lisää asialistalle: Mäkinen").click()
    expect(agenda).to_have_count(1)  # the agenda and the proposals change in place
    page.get_by_role("button", name="Lisää asialistalle: Järvinen").click()
    expect(agenda).to_have_count(2)
    expect(proposals.get_by_role("button", name="Lisää asialistalle: Järvinen")).to_have_count(0)
    # The overdue deadline goes first.
    page.get_by_role("button", name="Siirrä ylös: Järvinen").click()
    expect(agenda.nth(0).get_by_role("heading")).to_have_text("Järvinen")
    expect(agenda.nth(0)).to_contain_text("Miksi asialistalla: määräaika lähellä tai ylittynyt")
    page.get_by_label("Aikaa (Järvinen)").fill("30")
    page.get_by_label("Aikaa (Mäkinen)").fill("25")
    page.get_by_role("button", name="Tallenna ajat").click()
    end_of_first = starts + datetime.timedelta(minutes=30)
    end_of_second = end_of_first + datetime.timedelta(minutes=25)
    expect(agenda.nth(0)).to_contain_text(f"klo {starts.hour}.{starts:%M}–{end_of_first.hour}.{end_of_first:%M}")  # 9.05, no zero
    expect(agenda.nth(1)).to_contain_text(f"klo {end_of_first.hour}.{end_of_first:%M}–{end_of_second.hour}.{end_of_second:%M}")
    expect(page.locator(".subtitle")).to_contain_text("suunniteltu kesto 55 min")
    assert_accessible(page, "meeting page while preparing")
    jarvinen_item = AgendaItem.objects.get(meeting=meeting, family=jarvinen)
    makinen_item = AgendaItem.objects.get(meeting=meeting, family=world.family)
    assert (jarvinen_item.position, makinen_item.position) == (1, 2)
    assert jarvinen_item.presenter == world.second_worker and jarvinen_item.reasons == ["deadline"]

    # --- Case 1: Järvinen. Autosave, reload, hypotheses, steps, a lost connection -----------------
    page.get_by_role("link", name="Järvinen").click()
    jarvinen_url = page.url
    page.get_by_role("button", name="Aloita käsittely").click()
    expect(page.locator("#timer")).to_contain_text("Käsittely alkoi")
    page.get_by_role("textbox", name="Mitä tiedämme", exact=True).fill("Koulu: poissaoloja 12 tuntia syyskuussa.")
    page.get_by_role("textbox", name="Lapsen oma näkemys", exact=True).fill("Onni: aamulla on vaikea herätä.")
    saved(page)
    page.reload()
    expect(page.get_by_role("textbox", name="Mitä tiedämme", exact=True)).to_have_value("Koulu: poissaoloja 12 tuntia syyskuussa.")
    expect(page.get_by_role("textbox", name="Lapsen oma näkemys", exact=True)).to_have_value("Onni: aamulla on vaikea herätä.")
    assert record(jarvinen_item.pk, "what_we_know") == "Koulu: poissaoloja 12 tuntia syyskuussa."

    add_hypothesis(page, "Väsymys aamuisin kertoo illan rytmin puuttumisesta.", "koulu")
    add_hypothesis(page, "Äiti jaksaa huonosti yksin.", "lapsi")
    add_step(page, "Kotikäynti iltarutiinien tueksi", "Olli Ohjaaja", due)
    page.get_by_role("textbox", name="Tiimin sisäiset muistiinpanot", exact=True).fill("Sisäinen: selvitä isän tilanne.")
    page.get_by_role("textbox", name="Yhteenveto perheelle selkokielellä", exact=True).fill("Puhuimme aamuista. Olli tulee kotikäynnille.")
    saved(page)

    coordinator_context.set_offline(True)
    page.get_by_role("textbox", name="Reflektiot", exact=True).fill("Terapeutti: kenen ääni puuttuu?")
    expect(page.locator(STATUS)).to_contain_text(OFFLINE)
    page.get_by_role("textbox", name="Reflektiot", exact=True).press("End")
    page.keyboard.type(" Isän.")  # keeps typing while offline
    assert record(jarvinen_item.pk, "reflections") == ""
    coordinator_context.set_offline(False)
    saved(page)
    assert record(jarvinen_item.pk, "reflections") == "Terapeutti: kenen ääni puuttuu? Isän."
    page.get_by_role("button", name="Lopeta käsittely").click()
    expect(page.get_by_text(re.compile(r"Käsitelty \d+ min"))).to_be_visible()
    assert_accessible(page, "record page")

    hypotheses = Hypothesis.objects.filter(item=jarvinen_item).order_by("id")
    assert [(h.perspective, h.status) for h in hypotheses] == [("koulu", "active"), ("lapsi", "active")]
    step = PlanStep.objects.get(item=jarvinen_item)
    assert (step.what, step.owner, step.due_on) == ("Kotikäynti iltarutiinien tueksi", world.instructor, due)

    # --- Case 2: Mäkinen. The chair edits the same record at the same time ------------------------
    page.goto(meeting_url)
    page.get_by_role("link", name="Mäkinen").click()
    makinen_url = page.url
    page.get_by_role("button", name="Aloita käsittely").click()
    expect(page.get_by_role("textbox", name="Mitä tiedämme", exact=True)).to_be_visible()

    chair = new_context().new_page()
    chair.on("pageerror", lambda e: errors.append(str(e)))
    login(chair, live_server, world.consultant)
    chair.goto(makinen_url)
    chair.get_by_role("textbox", name="Mitä tiedämme", exact=True).fill("Puheenjohtaja: perhe muutti kesällä Tampereelta.")
    chair.get_by_role("textbox", name="Perheen näkemys", exact=True).fill("Äiti: tarvitsemme apua iltoihin.")
    saved(chair)

    # The coordinator's page was loaded before the chair saved.
    page.get_by_role("textbox", name="Mitä tiedämme", exact=True).fill("Koordinaattori: isä on työttömänä.")
    page.get_by_role("textbox", name="Reflektiot", exact=True).fill("Tiimi: muutto katkaisi tukiverkon.")
    conflict = page.locator("#conflict-what_we_know")
    expect(conflict).to_contain_text("Toisen tallentama versio – Mitä tiedämme")
    expect(conflict).to_contain_text("Puheenjohtaja: perhe muutti kesällä Tampereelta.")
    expect(page.get_by_role("textbox", name="Mitä tiedämme", exact=True)).to_have_value("Koordinaattori: isä on työttömänä.")  # mine stays
    # The chair's change to another field merges in without asking; my reflection is saved.
    expect(page.get_by_role("textbox", name="Perheen näkemys", exact=True)).to_have_value("Äiti: tarvitsemme apua iltoihin.")
    expect(page.locator(STATUS)).to_contain_text("Joku muu tallensi kirjauksen samaan aikaan")
    eventually(page, lambda: record(makinen_item.pk, "reflections") == "Tiimi: muutto katkaisi tukiverkon.", "the reflection")
    assert record(makinen_item.pk, "what_we_know") == "Puheenjohtaja: perhe muutti kesällä Tampereelta."
    assert_accessible(page, "record page with a conflict")
    conflict.get_by_role("button", name="Pidä molemmat").click()
    expect(conflict).to_have_count(0)
    saved(page)
    both = "Puheenjohtaja: perhe muutti kesällä Tampereelta.\n\nKoordinaattori: isä on työttömänä."
    expect(page.get_by_role("textbox", name="Mitä tiedämme", exact=True)).to_have_value(both)
    makinen_item.refresh_from_db()
    assert makinen_item.what_we_know == both
    assert makinen_item.family_view == "Äiti: tarvitsemme apua iltoihin."
    assert makinen_item.reflections == "Tiimi: muutto katkaisi tukiverkon."
    chair.reload()
    expect(chair.get_by_role("textbox", name="Mitä tiedämme", exact=True)).to_have_value(both)
    expect(chair.get_by_role("textbox", name="Reflektiot", exact=True)).to_have_value("Tiimi: muutto katkaisi tukiverkon.")

    add_hypothesis(page, "Muutto vei perheeltä isovanhempien avun.", "äiti")
    add_step(page, "Soita isälle työllisyyspalveluista", "Sari Sosiaalinen", due)

    # --- Keyboard only: Tab into the record, type, Ctrl+S; focus always visible ------------------
    page.goto(makinen_url)
    assert focus_problems(page, stops=60) == []
    page.goto(makinen_url)
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_child_view":
            break
    else:
        pytest.fail("Tab never reached the record's fields")
    ring = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth"
    )
    assert ring.startswith("solid") and not ring.endswith(" 0px"), ring
    page.keyboard.type("Eino: koulussa on kivaa.")
    page.keyboard.press("Control+s")
    saved(page)
    assert record(makinen_item.pk, "child_view") == "Eino: koulussa on kivaa."
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_family_view"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Control+End")
    page.keyboard.type(" Helmi: ikävä vanhoja kavereita.")
    page.keyboard.press("Control+s")
    saved(page)
    assert record(makinen_item.pk, "child_view") == "Eino: koulussa on kivaa. Helmi: ikävä vanhoja kavereita."
    page.get_by_role("button", name="Lopeta käsittely").click()
    expect(page.get_by_text(re.compile(r"Käsitelty \d+ min"))).to_be_visible()

    # --- Who was there --------------------------------------------------------------------------
    page.goto(meeting_url)
    attendance = page.locator("section[aria-labelledby=attendance-h]")
    expect(attendance.get_by_role("row").filter(has_text="Kaisa Konsultti").get_by_role("combobox")).to_have_value("chair")
    for name in ["Kaisa Konsultti", "Teemu Terapeutti", "Kirsi Koordinaattori", "Sari Sosiaalinen", "Toni Toinen"]:
        attendance.get_by_label(name, exact=True).check()
    attendance.get_by_label("Perhe paikalla: Mäkinen").check()
    attendance.get_by_label("Yhteistyökumppani paikalla: Järvinen").check()
    expect(attendance.get_by_role("row").filter(has_text="Järvinen")).to_contain_text(re.compile(r"\d+ min \(suunniteltu 30 min\)"))
    attendance.get_by_role("button", name="Tallenna läsnäolo").click()
    expect(attendance.get_by_text("Läsnäolo tallennettu.")).to_be_visible()
    expect(attendance.get_by_label("Olli Ohjaaja", exact=True)).not_to_be_checked()
    assert_accessible(page, "meeting page with attendance")
    assert dict(Attendance.objects.filter(meeting=meeting).values_list("user__username", "role")) == {
        "konsultti": "chair",
        "terapeutti": "therapist",
        "koordinaattori": "coordinator",
        "sosiaalityontekija": "worker",
        "toinen_tyontekija": "worker",
    }
    makinen_item.refresh_from_db()
    jarvinen_item.refresh_from_db()
    assert makinen_item.family_attended and not makinen_item.partner_attended
    assert jarvinen_item.partner_attended and not jarvinen_item.family_attended
    assert makinen_item.discussed_minutes and jarvinen_item.discussed_minutes

    # --- The chair approves -----------------------------------------------------------------------
    # Not before the meeting has begun: the chair tries, then the clock moves past its start.
    chair.goto(meeting_url)
    chair.get_by_role("button", name="Hyväksy kirjaus").click()
    expect(chair.locator("#approve").get_by_text("Kokousta ei voi hyväksyä ennen kuin se on alkanut")).to_be_visible()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=2))
    chair.goto(meeting_url)
    chair.get_by_role("button", name="Hyväksy kirjaus").click()
    expect(chair.get_by_text("Kokouksen kirjaus hyväksytty.")).to_be_visible()
    expect(chair.locator(".subtitle")).to_contain_text("hyväksytty (Kaisa Konsultti")
    expect(chair.locator("section[aria-labelledby=attendance-h]")).to_contain_text("Kaisa Konsultti – puheenjohtaja")
    assert_accessible(chair, "approved meeting page")
    chair.goto(makinen_url)
    expect(chair.locator("textarea")).to_have_count(0)  # an approved record does not change

    # --- A worker shares the summary; the family's page and PDF -----------------------------------
    worker = new_context().new_page()
    worker.on("pageerror", lambda e: errors.append(str(e)))
    login(worker, live_server, world.second_worker)
    worker.goto(jarvinen_url)
    worker.get_by_role("button", name="Merkitse jaetuksi perheelle").click()
    expect(worker.locator("#summary").get_by_text("Yhteenveto merkitty jaetuksi perheelle.")).to_be_visible()
    expect(worker.locator("#summary")).to_contain_text("Jaettu perheelle")
    worker.get_by_role("link", name="Tulostettava versio").click()
    worker.wait_for_url("**/summary/")
    body = worker.locator("main")
    expect(body).to_contain_text("Puhuimme aamuista. Olli tulee kotikäynnille.")
    expect(body).to_contain_text("Kotikäynti iltarutiinien tueksi")
    for hidden in ["Sisäinen", "poissaoloja", "Mäkinen", "Terapeutti:"]:
        expect(body).not_to_contain_text(hidden)  # internal notes, the team's record, other families
    assert_accessible(worker, "family summary")
    pdf = worker.request.get(f"{jarvinen_url}summary/?format=pdf&lang=fi")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    assert errors == []


def test_text_typed_offline_stays_in_the_form_and_is_saved_merged_when_back_online(new_context, live_server, world):
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    url = f"{live_server.url}/meetings/{item.meeting_id}/items/{item.pk}/"
    context = new_context()
    page = context.new_page()
    login(page, live_server, world.coordinator)
    page.goto(url)
    context.set_offline(True)
    page.get_by_role("textbox", name="Reflektiot", exact=True).fill("Kirjoitettu ilman yhteyttä.")
    expect(page.locator(STATUS)).to_contain_text(OFFLINE)
    # Meanwhile the chair saves another field of the same record.
    AgendaItem.objects.filter(pk=item.pk).update(what_we_know="Puheenjohtajan lisäys.", version=item.version + 1)
    # Leaving a page whose text the server does not have yet asks first; the coordinator stays.
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    page.evaluate("setTimeout(() => location.reload(), 0)")
    deadline = time.monotonic() + 5
    while not dialogs and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert dialogs == ["beforeunload"]
    expect(page.get_by_role("textbox", name="Reflektiot", exact=True)).to_have_value("Kirjoitettu ilman yhteyttä.")
    assert record(item.pk, "reflections") == ""
    # Back online, the form saves itself: merged with the chair's text, which comes into the form.
    context.set_offline(False)
    saved(page)
    item.refresh_from_db()
    assert (item.reflections, item.what_we_know) == ("Kirjoitettu ilman yhteyttä.", "Puheenjohtajan lisäys.")
    expect(page.get_by_role("textbox", name="Mitä tiedämme", exact=True)).to_have_value("Puheenjohtajan lisäys.")
    page.reload()  # saved: nothing to lose, no question asked
    expect(page.locator(STATUS)).to_have_text("Kirjaus tallentuu automaattisesti. Pikanäppäin: Ctrl+S.")
    assert dialogs == ["beforeunload"]


def test_a_conflict_on_a_phone_shows_both_texts_within_the_screen(new_context, live_server, world):
    """The conflict panel and its three buttons on a 360 px phone: no sideways scrolling, axe-clean,
    and 'keep mine' keeps mine."""
    item = f.meeting_item(world.family, world.worker, starts_at=timezone.now() + datetime.timedelta(hours=1))
    url = f"{live_server.url}/meetings/{item.meeting_id}/items/{item.pk}/"
    page = new_context(**PHONE).new_page()
    login(page, live_server, world.coordinator)
    page.goto(url)
    AgendaItem.objects.filter(pk=item.pk).update(what_we_know="Toisen pitkä teksti " * 20, version=item.version + 1)
    page.get_by_role("textbox", name="Mitä tiedämme", exact=True).fill("Oma tekstini puhelimella.")
    conflict = page.locator("#conflict-what_we_know")
    expect(conflict).to_contain_text("Toisen pitkä teksti")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the record with a conflict is {width}px wide on a 360px phone"
    assert_accessible(page, "record page with a conflict on a phone")
    conflict.get_by_role("button", name="Pidä oma versioni").click()
    expect(conflict).to_have_count(0)
    saved(page)
    assert record(item.pk, "what_we_know") == "Oma tekstini puhelimella."
    # Back in the text, not lost at the top of the page (focus returns after the swap: waited for).
    expect(page.locator("#id_what_we_know")).to_be_focused()
