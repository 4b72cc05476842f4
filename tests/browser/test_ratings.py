"""Ratings in a real browser: a child marks the smiley lines by touch on a 360 px phone, an adult
with the keyboard only, a small child picks a face; the worker creates a link, shows its QR code
and finds the rating on the chart; used and expired links say so. axe-core checks every state."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.ratings.models import Rating
from tests import factories as f
from tests.browser.conftest import FOCUS_PROBE_JS, PHONE, assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNTOUCHED = "Merkitse vielä tämä jana: siirrä merkkiä tai napauta janaa."


def _years_ago(years, days=30):
    return timezone.localdate() - datetime.timedelta(days=years * 365 + days)


def _new_child(world, first, age):
    child = f.person(world.county, first, "Mäkinen", birth=_years_ago(age))
    world.family.members.create(county=world.county, person=child, relation="child")
    return child


def _parent(world):
    return world.family.members.filter(relation="parent").select_related("person").first().person


def _shown(page, i):
    """The value the page shows under line i, as a number (Finnish decimal comma)."""
    return Decimal(page.locator("output.vas-value").nth(i).inner_text().strip().replace(",", "."))


def _no_horizontal_scroll(page, width=360):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page is {scroll} px wide on a {width} px screen"


def _tab_to(page, selector, limit=12):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def _focus_ring_visible(page):
    probe = page.evaluate(FOCUS_PROBE_JS)
    assert probe and probe["visible"] and probe["contrast"] >= 3, probe


def test_child_rates_the_smiley_lines_by_touch_on_a_phone(new_context, live_server, world):
    child = _new_child(world, "Lilja", 9)
    _link, token = f.rating_link(world.family, child, world.worker)
    page = new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/r/{token}/")

    assert page.get_by_role("heading", level=1).inner_text() == "Lapsen tilannearvio (CORS)"
    assert page.locator(".vas-faces svg.face").count() == 8  # a sad and a happy face at each line's ends
    sliders = page.locator("input[type=range]")
    assert sliders.count() == 4
    assert page.get_by_role("slider", name="Minä (miten minulla menee)").is_visible()
    _no_horizontal_scroll(page)
    assert_accessible(page, "CORS rating page on a phone")

    wanted = [Decimal("2"), Decimal("7.5"), Decimal("4"), Decimal("9")]
    for i, value in enumerate(wanted[:3]):
        box = sliders.nth(i).bounding_box()
        sliders.nth(i).tap(position={"x": box["width"] * float(value) / 10, "y": box["height"] / 2})
        assert abs(_shown(page, i) - value) <= Decimal("0.5"), (i, _shown(page, i))
    assert _shown(page, 3) == 5  # not tapped yet: still in the middle

    # Sending with one line unmarked: the page asks for it, points at it, and sends nothing.
    page.get_by_role("button", name="Lähetä").tap()
    note = page.get_by_role("alert")
    assert note.inner_text() == UNTOUCHED
    assert page.evaluate("document.activeElement.id") == "vas-everything"
    assert "needs-mark" in page.locator(".vas").nth(3).get_attribute("class")
    assert "needs-mark" not in page.locator(".vas").nth(0).get_attribute("class")
    assert not Rating.objects.exists()
    _no_horizontal_scroll(page)
    assert_accessible(page, "CORS rating page asking for an unmarked line")

    box = sliders.nth(3).bounding_box()
    sliders.nth(3).tap(position={"x": box["width"] * 0.9, "y": box["height"] / 2})
    shown = [_shown(page, i) for i in range(4)]
    assert abs(shown[3] - wanted[3]) <= Decimal("0.5")
    assert "needs-mark" not in page.locator(".vas").nth(3).get_attribute("class")
    with page.expect_navigation():
        page.get_by_role("button", name="Lähetä").tap()

    assert page.get_by_role("heading", level=1).inner_text() == "Kiitos!"
    assert page.get_by_role("status").inner_text() == "Arviosi on lähetetty. Voit sulkea tämän sivun."
    _no_horizontal_scroll(page)
    assert_accessible(page, "thank-you page on a phone")

    rating = Rating.objects.get()
    assert rating.rater == child and rating.instrument.code == "CORS" and rating.mode == "phone"
    stored = [Decimal(rating.values[k]) for k in ["me", "family", "school", "everything"]]
    assert stored == shown  # what the child saw is what was saved
    for got, value in zip(stored, wanted, strict=True):
        assert abs(got - value) <= Decimal("0.5"), (stored, wanted)
    assert rating.total == sum(stored)


def test_adult_rates_with_the_keyboard_only(new_context, live_server, world):
    parent = _parent(world)
    _link, token = f.rating_link(world.family, parent, world.worker)
    page = new_context().new_page()
    page.goto(f"{live_server.url}/r/{token}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tilannearvio (ORS)"
    assert page.locator("svg.face").count() == 0

    _tab_to(page, "#vas-individually")
    _focus_ring_visible(page)
    page.keyboard.press("End")
    assert _shown(page, 0) == Decimal("10")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "vas-interpersonally"
    _focus_ring_visible(page)
    page.keyboard.press("Home")
    assert _shown(page, 1) == 0
    for _ in range(3):
        page.keyboard.press("PageUp")
    assert _shown(page, 1) == 3
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert _shown(page, 1) == Decimal("3.2")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "vas-socially"
    _focus_ring_visible(page)
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    assert _shown(page, 2) == Decimal("4.5")

    # Enter with the last line untouched: a message, focus on that line, nothing saved.
    url = page.url
    page.keyboard.press("Enter")
    assert page.get_by_role("alert").inner_text() == UNTOUCHED
    assert page.evaluate("document.activeElement.id") == "vas-overall"
    _focus_ring_visible(page)
    assert page.url == url and not Rating.objects.exists()
    assert_accessible(page, "ORS rating page asking for an unmarked line")

    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert _shown(page, 3) == Decimal("5.3")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Kiitos!"

    rating = Rating.objects.get()
    assert rating.rater == parent and rating.instrument.code == "ORS"
    assert rating.values == {"individually": "10.0", "interpersonally": "3.2", "socially": "4.5", "overall": "5.3"}
    assert rating.total == Decimal("23.0")


def test_a_value_the_server_refuses_gets_a_message_and_keeps_the_other_marks(new_context, live_server, world):
    _link, token = f.rating_link(world.family, _parent(world), world.worker)
    page = new_context().new_page()
    page.goto(f"{live_server.url}/r/{token}/")
    for key, value in [("individually", "3.3"), ("interpersonally", "6"), ("socially", "7.1")]:
        page.locator(f"#vas-{key}").fill(value)
    # A tampered (or stale) page posts a value off the line.
    page.locator("#vas-overall").evaluate("el => { el.max = '20'; el.value = '12'; el.dispatchEvent(new Event('input')); }")
    with page.expect_navigation():
        page.get_by_role("button", name="Lähetä").click()
    assert "0–10" in page.get_by_role("alert").inner_text()
    assert [page.locator(f"#vas-{k}").input_value() for k in ["individually", "interpersonally", "socially"]] == ["3.3", "6", "7.1"]
    assert not Rating.objects.exists()
    assert_accessible(page, "ORS rating page with the server's message")

    page.locator("#vas-overall").fill("8")
    with page.expect_navigation():
        page.get_by_role("button", name="Lähetä").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kiitos!"
    assert Rating.objects.get().values == {"individually": "3.3", "interpersonally": "6.0", "socially": "7.1", "overall": "8.0"}


def test_small_child_chooses_a_face_with_the_keyboard(new_context, live_server, world):
    child = _new_child(world, "Onni", 4)
    _link, token = f.rating_link(world.family, child, world.worker)
    page = new_context().new_page()
    page.goto(f"{live_server.url}/r/{token}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Pienen lapsen tilannearvio (YCORS)"
    assert page.locator("input[type=range]").count() == 0
    group = page.get_by_role("group", name="Miten minulla menee")
    assert group.get_by_role("radio").count() == 5
    assert_accessible(page, "faces page")

    _tab_to(page, "input[type=radio]")
    # The radio itself is transparent: its face carries the focus ring.
    ring = page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle")
    assert ring == "solid"
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert group.get_by_role("radio", name="Hyvin", exact=True).is_checked()
    page.keyboard.press("ArrowLeft")
    assert group.get_by_role("radio", name="Siltä väliltä").is_checked()
    assert_accessible(page, "faces page with a face chosen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Kiitos!"

    rating = Rating.objects.get()
    assert rating.rater == child and rating.instrument.code == "YCORS"
    assert rating.values == {"how_am_i": "5.0"} and rating.total is None


def test_worker_shows_a_link_the_parent_rates_and_the_chart_shows_it(new_context, live_server, world):
    parent = _parent(world)
    f.rating(world.family, parent, 18, rated_on=timezone.localdate() - datetime.timedelta(days=14))
    worker = new_context().new_page()
    login(worker, live_server, world.worker)
    ratings_url = f"{live_server.url}/families/{world.family.pk}/ratings/"
    worker.goto(ratings_url)
    worker.get_by_label("Kuka arvioi").select_option(str(parent.pk))
    worker.get_by_role("radio", name=re.compile("Tilannearvio")).check()
    worker.get_by_role("button", name="Luo linkki ja QR-koodi").click()
    worker.wait_for_url("**/ratings/links/*/")
    qr = worker.get_by_role("img", name="QR-koodi arviointilinkkiin")
    assert qr.is_visible() and qr.get_attribute("src").startswith("data:image/svg+xml")
    url = worker.get_by_label("Linkki", exact=True).input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/r/[\w-]+/", url), url
    assert_accessible(worker, "rating link with its QR code")

    # The parent's own phone: no login, no names.
    phone = new_context(**PHONE).new_page()
    phone.goto(url)
    body = phone.inner_text("body")
    assert "Tilannearvio (ORS)" in body and "Mäkinen" not in body and "Sanna" not in body
    for key, value in [("individually", "6"), ("interpersonally", "5.5"), ("socially", "7"), ("overall", "6.5")]:
        phone.locator(f"#vas-{key}").fill(value)
    # An impatient double tap sends once and ends on the thank-you page.
    with phone.expect_navigation():
        phone.get_by_role("button", name="Lähetä").dblclick()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", level=1).inner_text() == "Kiitos!"
    assert Rating.objects.filter(rater=parent, mode="phone").count() == 1

    # Opening the same link again: already sent.
    response = phone.goto(url)
    assert response.status == 410
    assert "jo lähetetty" in phone.get_by_role("alert").inner_text()
    assert_accessible(phone, "used link")

    worker.goto(ratings_url)
    name = f"{parent.first_names} {parent.last_name}"
    chart = worker.get_by_role("img", name=re.compile(rf"^{name} – Tilannearvio \(ORS\)\."))
    assert chart.evaluate("el => el.tagName") == "svg"
    assert chart.evaluate("el => document.getElementById(el.getAttribute('aria-labelledby')).tagName") == "FIGCAPTION"
    assert chart.locator("circle.point").count() == 2
    table = worker.get_by_role("table", name=f"{name}: Tilannearvio (ORS) taulukkona")
    today = timezone.localdate().strftime("%-d.%-m.%Y")
    row = table.get_by_role("row").filter(has_text=today)
    cells = [c.strip() for c in row.get_by_role("cell").all_inner_texts()]
    assert cells == ["2", today, "6,0", "5,5", "7,0", "6,5", "25,0", "perheenjäsenen omalla laitteella"]  # one decimal comma
    assert "vastattu" in worker.get_by_role("region", name="Viimeaikaiset linkit").inner_text()
    assert_accessible(worker, "family ratings with a chart")

    worker.goto(f"{live_server.url}/teams/{world.team.pk}/ratings/")
    assert worker.get_by_role("table", name="Arvioivat perheet ja muutos työntekijöittäin").is_visible()
    assert_accessible(worker, "team ratings")


def test_an_expired_link_says_so(new_context, live_server, world):
    link, token = f.rating_link(world.family, _parent(world), world.worker)
    link.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    link.save(update_fields=["expires_at"])
    page = new_context(**PHONE).new_page()
    response = page.goto(f"{live_server.url}/r/{token}/")
    assert response.status == 410
    assert "vanhentunut" in page.get_by_role("alert").inner_text()
    assert page.locator("form").count() == 1  # only the language form: nothing to rate
    _no_horizontal_scroll(page)
    assert_accessible(page, "expired link")


def test_a_rating_line_stays_long_enough_to_mark_at_200_percent_text_on_a_phone(new_context, live_server, world):
    """WCAG 1.4.4: with the text twice as large, the end labels move below the line instead of
    squeezing it to its thumb."""
    _link, token = f.rating_link(world.family, _parent(world), world.worker)
    page = new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/r/{token}/")
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # the CSP forbids an inline style tag
    widths = page.locator("input[type=range]").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
    assert widths and min(widths) >= 200, widths
    _no_horizontal_scroll(page)


def test_the_ratings_pages_fit_a_phone(new_context, live_server, world):
    parent = _parent(world)
    for i, total in enumerate([14, 18, 23, 27, 31]):
        f.rating(world.family, parent, total, rated_on=timezone.localdate() - datetime.timedelta(days=7 * (5 - i)))
    page = new_context(**PHONE).new_page()
    login(page, live_server, world.worker)
    for url in (f"/families/{world.family.pk}/ratings/", f"/teams/{world.team.pk}/ratings/"):
        page.goto(live_server.url + url)
        _no_horizontal_scroll(page)
        assert_accessible(page, f"{url} on a phone")
    chart = page.goto(f"{live_server.url}/families/{world.family.pk}/ratings/") and page.locator(".chart svg").first
    assert chart.bounding_box()["width"] >= 280  # the chart uses the phone's width (214 px with the default figure margins)
    axis_px = page.locator(".chart text.axis").first.evaluate("e => e.getBoundingClientRect().height")
    assert axis_px >= 9, axis_px  # axis figures readable, not 4 px


def test_a_tap_on_the_middle_counts_and_the_reminder_speaks_of_every_unmarked_line(new_context, live_server, world):
    _link, token = f.rating_link(world.family, _parent(world), world.worker)
    page = new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/r/{token}/")
    page.get_by_role("button", name="Lähetä").tap()
    assert page.get_by_role("alert").inner_text() == "Merkitse vielä korostetut janat: siirrä merkkiä tai napauta janaa."
    assert page.locator(".vas.needs-mark").count() == 4
    sliders = page.locator("input[type=range]")
    for i in range(4):  # "siltä väliltä": a tap exactly where the thumb starts
        box = sliders.nth(i).bounding_box()
        sliders.nth(i).tap(position={"x": box["width"] / 2, "y": box["height"] / 2})
    assert page.locator(".vas.needs-mark").count() == 0
    page.get_by_role("button", name="Lähetä").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kiitos!")
    assert Rating.objects.filter(rater=_parent(world)).count() == 1
    assert {str(v) for v in Rating.objects.get().values.values()} == {"5.0"}


def test_the_five_faces_keep_their_order_in_one_row_on_a_phone(new_context, live_server, world):
    _link, token = f.rating_link(world.family, _new_child(world, "Onni", 4), world.worker)
    page = new_context(**PHONE).new_page()
    page.goto(f"{live_server.url}/r/{token}/")
    boxes = page.locator(".face-choice svg.face").evaluate_all("els => els.map(e => e.getBoundingClientRect())")
    assert len({round(b["top"]) for b in boxes}) == 1, boxes  # one row
    assert [b["left"] for b in boxes] == sorted(b["left"] for b in boxes)  # "Tosi huonosti" ... "Tosi hyvin"
    _no_horizontal_scroll(page)
    assert_accessible(page, "faces page on a phone")
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # large text: a list, still in order
    boxes = page.locator(".face-choice svg.face").evaluate_all("els => els.map(e => e.getBoundingClientRect())")
    assert [b["top"] for b in boxes] == sorted(b["top"] for b in boxes) and len({round(b["top"]) for b in boxes}) == 5
    _no_horizontal_scroll(page)
