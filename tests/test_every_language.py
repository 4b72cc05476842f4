"""Every page, form error, message, CSV and PDF in Swedish and in English, with no Finnish UI text.

The walk is the access walk's (tests/test_access_walk.py): every URL, as a persona permitted to
open it, blank and, where it has a form, sent back empty so every field shows its error; each
action that only takes a POST, followed to the page that says what it did; the pages that refuse
(403, 404); the downloads (ratings CSV, county report CSV, the auditor's log extract, the family's
summary as PDF) and the API's answers. tests/finnish_leaks.py says what counts as Finnish.
"""

import json
import re

import pytest
from django.conf import settings

from apps.core import marks
from tests import factories
from tests.finnish_leaks import csv_text, hand_made_times, html_text, leaks, one_with_plural, pdf_text, stored_text
from tests.test_access_walk import (
    API_BODIES,
    PERMITTED,
    POST_ONLY,
    _api_call,
    _api_url,
    _client,
    _fill,
    _post_data,
    _targets,
    api_operations,
    app_patterns,
)

READER = {marks.PUBLIC: "anonymous", marks.DISCLOSURE: "researcher", marks.AGGREGATE: "manager"}
LANGUAGES = ("sv", "en")


def _in(client, lang):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    return client


def _richer(world):
    """The family's records, a shared summary, ratings over time and a handled notification, so
    the pages show their full tables, charts and histories."""
    from django.utils import timezone

    targets = _targets(world)
    parent = world.family.members.filter(relation="parent").first().person
    child = world.family.relationships.first().child
    today = timezone.localdate()
    for days, total in ((70, 14), (42, 19.5), (14, 27)):
        factories.rating(world.family, parent, total, rated_on=today - timezone.timedelta(days=days))
        factories.rating(world.family, child, total - 2, rated_on=today - timezone.timedelta(days=days))
    factories.rating(world.family, parent, 36, code="SRS", rated_on=today - timezone.timedelta(days=14))
    item = world.family.agenda_items.select_related("meeting").get(pk=targets["item_id"])
    eight_thirty = timezone.localtime(item.meeting.starts_at).replace(hour=8, minute=30)  # a time with a leading zero
    type(item.meeting).objects.filter(pk=item.meeting_id).update(starts_at=eight_thirty)
    item.summary_shared_at = eight_thirty + timezone.timedelta(hours=1)
    item.started_at = timezone.now() - timezone.timedelta(minutes=10)
    item.save(update_fields=["summary_shared_at", "started_at"])
    return targets


def _responses(world, lang):
    """(where, response) for every page and download of the walk, in `lang`."""
    targets = _richer(world)
    clients = {}

    def client_of(persona):
        if persona not in clients:
            clients[persona] = _in(_client(world, persona), lang)
        return clients[persona]

    for route, pattern in app_patterns():
        exposure = pattern.callback.systeemi_exposure
        url = _fill(route, pattern, world).replace("<str:token>", targets["token"])
        url = url.replace("<str:questionnaire_id>", targets["questionnaire_id"])
        persona = PERMITTED.get(pattern.name) or READER.get(exposure, "worker")
        if persona == "worker" and client_of(persona).get(url).status_code == 403:
            persona = "coordinator"  # the meeting's chair and scribe
        client = client_of(persona)
        if exposure == marks.WRITE or pattern.name in POST_ONLY:
            response = client.post(url, _post_data(pattern.name, world), follow=True)
            yield f"POST {url} as {persona}", response
            continue
        response = client.get(url)
        yield f"GET {url} as {persona}", response
        body = response.content if not response.streaming else b""
        if response.status_code == 200 and b"<form" in body and b'method="post"' in body:
            yield f"POST (empty) {url} as {persona}", client.post(url, {})
    # Refusals: a read-only role on an edit page, a stranger on the family page.
    yield "403", client_of("therapist").get(f"/families/{world.family.pk}/edit/")
    yield "404", client_of("stranger").get(f"/families/{world.family.pk}/")
    # Downloads.
    base = f"/meetings/{targets['meeting_id']}/items/{targets['item_id']}/summary/"
    yield "PDF summary", client_of("worker").get(base, {"format": "pdf", "lang": lang})
    yield (
        "ratings CSV",
        client_of("worker").post(
            f"/families/{world.family.pk}/ratings/export/", {"format": "csv", "recipient": "Perheneuvola", "legal_basis": "Suostumus"}
        ),
    )
    yield "county report CSV", client_of("manager").get("/evaluation/county/", {"format": "csv"})
    # The API, read and written.
    for path, method, _op in api_operations():
        url = _api_url(path, world)
        body = API_BODIES.get((method, path), lambda w: {})(world)
        yield f"{method.upper()} {url}", _api_call(client_of("worker"), method, url, body)


def _text(response, lang):
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("text/html"):
        return html_text(content, lang)
    if kind.startswith("text/csv"):
        return csv_text(content)
    if kind.startswith("application/pdf"):
        return pdf_text(content)
    if kind.startswith("application/json"):
        return "\n".join(_json_strings(json.loads(content or b"null"), lang))
    return ""


def _json_strings(value, lang):
    """The strings of a JSON document, less those given in another language on purpose (an
    instrument's wording in every language: {"fi": …, "sv": …, "en": …})."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == lang or key not in dict(settings.LANGUAGES):
                yield from _json_strings(item, lang)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, lang)


@pytest.mark.parametrize("lang", ["fi", *LANGUAGES])
def test_every_page_and_download_is_whole_in_its_language(world, lang):
    """sv and en: no Finnish UI text. fi and en: no count of one with a plural noun. Every
    language: times in its own format on pages and PDFs (a colon or a leading zero is hand-made)."""
    found, kinds = {"Finnish": [], "plural": [], "time": []}, set()
    for where, response in _responses(world, lang):
        assert response.status_code < 500, f"{where}: {response.status_code}"
        text = _text(response, lang)
        if not text:
            continue
        kind = response.get("Content-Type", "").split(";")[0]
        kinds.add(kind)
        where = f"{where} ({response.status_code})"
        if lang != "fi":
            found["Finnish"] += leaks(text, lang, where, stored_text())
        if lang != "sv":  # Swedish plurals often look like singulars (ett steg, två steg)
            found["plural"] += one_with_plural(text, lang, where)
        if kind in ("text/html", "application/pdf"):
            found["time"] += hand_made_times(text, where)
    assert {"text/html", "text/csv", "application/pdf", "application/json"} <= kinds, kinds
    report = "\n".join(f"{what}: {leak}" for what, leaks_ in found.items() for leak in leaks_)
    assert not report, f"{sum(map(len, found.values()))} problem(s) on {lang} pages:\n{report}"


def test_the_leak_finder_finds_what_escapes_gettext(world):
    """The finder itself: a msgid phrase, a single-word msgid, function words; not data or lang="fi"."""
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>Family</title></head><body>'
        "<p>Period: 3 kuukautta</p><p>LsL 13 b § (HE 170/2021), 1.1.2024 alkaen</p>"
        '<button aria-label="Tallenna">Save</button><p>Mäkinen</p><p lang="fi">suomi</p></body></html>'
    )
    found = {leak.found for leak in leaks(html_text(page.encode(), "en"), "en", "test", stored_text())}
    assert {"kuukautta", "alkaen", "tallenna"} <= found, found
    assert not {"mäkinen", "suomi"} & found
    assert not leaks("Save · Family Mäkinen · 3 months", "en", "test", stored_text())


# ---- one format per language: dates and times only through the format names ----------------------

FORMAT_NAMES = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
}
# Formats that carry no language: the weekday's name (Django names it in the reader's language) and
# a caseload month's column header (1/2026).
NEUTRAL = {"D", "n/Y"}
TEMPLATE_FILTER = re.compile(r"\|(?:date|time)(?::(\"[^\"]*\"|'[^']*'))?")
MACHINE_ATTRIBUTE = re.compile(r"\bdatetime=\"[^\"]*$")  # <time datetime="…">: for machines, ISO 8601
PYTHON_FORMAT_CALL = re.compile(r"\b(?:date_format|time_format)\([^()]*?,\s*(\"[^\"]*\"|'[^']*')")
# strftime codes a person reads (day or month without zeros, dotted or slashed dates, clock times);
# ISO 8601 (%Y-%m-%d, %H:%M after a date or a T) is for machines and files.
HUMAN_STRFTIME = re.compile(r"%-[dmHI]|%d[./]%m|%m/%d|%H[.]%M|(?<![dT] )(?<!T)%H:%M|%[IpbBaA]")


def _sources(*patterns):
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    for pattern in patterns:
        for path in sorted(root.glob(pattern)):
            if "/tests/" not in str(path) and "/migrations/" not in str(path):
                yield path.relative_to(root), path.read_text()


def test_dates_and_times_are_written_only_through_the_languages_formats():
    hand_made = []
    for path, text in _sources("apps/*/templates/**/*.html", "templates/**/*.html"):
        for match in TEMPLATE_FILTER.finditer(text):
            argument = (match.group(1) or '""')[1:-1]
            if argument and argument not in FORMAT_NAMES | NEUTRAL and not MACHINE_ATTRIBUTE.search(text[: match.start()]):
                hand_made.append(f"{path}: {match.group(0)}")
    for path, text in _sources("apps/**/*.py", "systeemi/*.py"):
        for match in PYTHON_FORMAT_CALL.finditer(text):
            if match.group(1)[1:-1] not in FORMAT_NAMES:
                hand_made.append(f"{path}: {match.group(0)}")
        hand_made += [f"{path}: {m.group(0)}" for m in HUMAN_STRFTIME.finditer(text)]
    assert not hand_made, "formats made by hand; use SHORT_DATE_FORMAT, |time or apps.core.dates.short:\n" + "\n".join(hand_made)


def test_the_format_check_finds_what_it_looks_for():
    assert TEMPLATE_FILTER.search('{{ t|time:"H:i" }}').group(1) == '"H:i"'
    assert MACHINE_ATTRIBUTE.search('<time datetime="{{ d')
    assert HUMAN_STRFTIME.search('d.strftime("%-d.%-m.%Y")') and HUMAN_STRFTIME.search('f"{t:%H.%M}"')
    assert not HUMAN_STRFTIME.search('strftime("%Y-%m-%d %H:%M:%S")') and not HUMAN_STRFTIME.search('"%Y-%m-%dT%H:%M"')
    assert PYTHON_FORMAT_CALL.search('date_format(day, "j.n.Y")').group(1) == '"j.n.Y"'
