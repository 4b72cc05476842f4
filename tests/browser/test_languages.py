"""The times a script writes in the browser are the server's: the meeting record's autosave says
when it saved as the page's language writes a time (systeemi/formats/: 8.30 in every language),
not as the browser's own locale would (08:30 in Swedish, 8:30 AM in English)."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = {"fi": "Tallennettu klo ", "sv": "Sparat kl. ", "en": "Saved at "}
TIME_FORMAT = re.compile(r"^(?:1?\d|2[0-3])\.[0-5]\d$")  # G.i: 8.30, 16.19


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_autosave_says_when_it_saved_in_the_languages_time_format(new_context, live_server, world, lang):
    item = f.meeting_item(world.family, world.coordinator)
    context = new_context()
    page = context.new_page()
    login(page, live_server, world.coordinator)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    page.goto(f"{live_server.url}/meetings/{item.meeting_id}/items/{item.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.locator("textarea[name=what_we_know]").fill("Perhe on muuttanut kesällä. Koulu alkoi hyvin.")
    status = page.locator("#record-status")
    expect(status).to_contain_text(SAVED[lang])
    said = status.inner_text().strip()
    time = said.split(SAVED[lang], 1)[1].strip().rstrip(".")
    assert TIME_FORMAT.match(time), f"{lang}: {said!r}"
