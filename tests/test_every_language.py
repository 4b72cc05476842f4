"""Every page, form error, message, CSV and PDF in Swedish and in English, with no Finnish UI text.

The walk is the access walk's (tests/test_access_walk.py): every URL, as a persona permitted to
open it, blank and, where it has a form, sent back empty so every field shows its error; each
action that only takes a POST, followed to the page that says what it did; the pages that refuse
(403, 404); the downloads (ratings CSV, county report CSV, the auditor's log extract, the family's
summary as PDF) and the API's answers. tests/finnish_leaks.py says what counts as Finnish.
"""

import datetime
import functools
import json
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from apps.core import marks
from tests import factories
from tests.finnish_leaks import csv_text, hand_made_times, html_text, leaks, one_with_plural, pdf_text, stored_text, without_data
from tests.test_access_walk import (
    API_BODIES,
    PERMITTED,
    POST_ONLY,
    _api_call,
    _api_url,
    _client,
    _fill,
    _finished_export,
    _post_data,
    _targets,
    api_operations,
    app_patterns,
    partnership_targets,
)

# Templates, catalogues and code, not the database's behaviour: checked once, on SQLite (Makefile).
pytestmark = pytest.mark.engine_agnostic

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


def _clients(world, lang, login=_client):
    clients = {}

    def client_of(persona):
        if persona not in clients:
            clients[persona] = _in(login(world, persona), lang)
        return clients[persona]

    return client_of


def _pages(world, lang, client_of, *, forms=True):
    """(where, response) for every page of the walk, in `lang`: each URL as a persona who may open
    it, each form sent back empty (`forms`), each POST-only action followed to where it leads."""
    targets = _targets(world)
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
        if forms and response.status_code == 200 and b"<form" in body and b'method="post"' in body:
            yield f"POST (empty) {url} as {persona}", client.post(url, {})


def _downloads(world, lang, client_of):
    targets = _targets(world)
    base = f"/meetings/{targets['meeting_id']}/items/{targets['item_id']}/summary/"
    yield "PDF summary", client_of("worker").get(base, {"format": "pdf", "lang": lang})
    export = {"format": "csv", "recipient": "Perheneuvola", "legal_basis": "Suostumus"}
    yield "ratings CSV", client_of("worker").post(f"/families/{world.family.pk}/ratings/export/", export)
    yield "county report CSV", client_of("manager").get("/evaluation/county/", {"format": "csv"})


def _api(world, client_of, *, writes=True):
    for path, method, _op in api_operations():
        if method != "get" and not writes:
            continue
        url = _api_url(path, world)
        body = API_BODIES.get((method, path), lambda w: {})(world)
        yield f"{method.upper()} {url}", _api_call(client_of("worker"), method, url, body)


def _responses(world, lang):
    """(where, response) for every page, refusal, download and API operation, in `lang`."""
    _richer(world)
    client_of = _clients(world, lang)
    yield from _pages(world, lang, client_of)
    # Refusals: a read-only role on an edit page, a stranger on the family page.
    yield "403", client_of("therapist").get(f"/families/{world.family.pk}/edit/")
    yield "404", client_of("stranger").get(f"/families/{world.family.pk}/")
    yield "403 CSRF", _in(Client(enforce_csrf_checks=True), lang).post("/accounts/login/", {"username": "x", "password": "y"})
    yield from _downloads(world, lang, client_of)
    yield from _api(world, client_of)


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


@functools.cache
def _choice_codes() -> frozenset:
    from django.apps import apps

    return frozenset(
        str(code)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "flatchoices", None)
        for code, _label in field.flatchoices
    )


def _json_strings(value, lang):
    """The strings of a JSON document, less those given in another language on purpose (an
    instrument's wording in every language: {"fi": …, "sv": …, "en": …})."""
    if isinstance(value, str):
        if value not in _choice_codes():  # a stored choice's code is for machines (the label is translated)
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == lang or key not in dict(settings.LANGUAGES):
                yield from _json_strings(item, lang)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item, lang)


def _api_body_texts() -> list[str]:
    """The texts the walk's API bodies send (the string constants of each body's maker)."""
    return [c for body in API_BODIES.values() for c in body.__code__.co_consts if isinstance(c, str)]


def _problems(responses, lang):
    """What is wrong with each response's text in `lang`; the texts are read first and the data
    taken out after, so that what the walk itself typed counts as data too."""
    texts, kinds = [], set()
    for where, response in responses:
        assert response.status_code < 500, f"{where}: {response.status_code}"
        text = _text(response, lang)
        if text:
            kind = response.get("Content-Type", "").split(";")[0]
            kinds.add(kind)
            texts.append((f"{where} ({response.status_code})", kind, text))
    samples = [sample for sample in POST_ONLY.values() if isinstance(sample, dict)]
    typed = {value for sample in samples for value in sample.values() if isinstance(value, str) and len(value) >= 3}
    typed |= {value for value in _api_body_texts() if len(value) >= 3}  # what the API answers back
    stored = stored_text()
    lines = {line.strip() for value in stored if "\n" in value for line in value.splitlines() if len(line.strip()) >= 3}
    data = sorted(set(stored) | lines | typed, key=len, reverse=True)  # a refused save shows what was typed
    found = {"Finnish": [], "plural": [], "time": []}
    for where, kind, text in texts:
        if lang != "fi":
            found["Finnish"] += leaks(text, lang, where, data)
        if lang != "sv":  # Swedish plurals often look like singulars (ett steg, två steg)
            found["plural"] += one_with_plural(without_data(text, data), lang, where)
        if kind in ("text/html", "application/pdf"):  # CSV and JSON write ISO 8601 for machines
            found["time"] += hand_made_times(without_data(text, data), where)
    report = "\n".join(f"{what}: {leak}" for what, items in found.items() for leak in items)
    return kinds, len(texts), report


@pytest.mark.parametrize("lang", ["fi", *LANGUAGES])
def test_every_page_and_download_is_whole_in_its_language(world, lang):
    """sv and en: no Finnish UI text. fi and en: no count of one with a plural noun. Every
    language: times in its own format on pages and PDFs (a colon or a leading zero is hand-made)."""
    kinds, pages, report = _problems(_responses(world, lang), lang)
    assert {"text/html", "text/csv", "application/pdf", "application/json"} <= kinds, kinds
    assert pages >= 80, pages
    assert not report, f"problems on {lang} pages:\n{report}"


DEMO_TODAY = datetime.date(2026, 3, 31)


def _demo_world():
    """The demo generator's team (two years of meetings, casework, ratings and log) as the walk's
    world: its richest family, that family's latest discussed meeting, and the team's people."""
    from django.db.models import Count

    from apps.accounts.models import User
    from apps.casework.models import Assessment, Notification
    from apps.clients.models import Family
    from apps.demo.generate import generate
    from apps.training.models import Training

    generate("team", 1, DEMO_TODAY)
    family = Family.objects.annotate(n=Count("ratings", distinct=True) + Count("agenda_items", distinct=True)).order_by("-n").first()
    relationship = family.relationships.select_related("child").order_by("-opened_on").first()
    item = family.agenda_items.order_by("-meeting__starts_at").first()
    users = {u.username: u for u in User.objects.all()}
    world = SimpleNamespace(
        county=family.county,
        team=family.team,
        family=family,
        worker=relationship.responsible_worker or users["t1-sosiaalityontekija1"],
        coordinator=users["t1-koordinaattori"],
        therapist=users["t1-terapeutti"],
        manager=users["esihenkilo"],
        auditor=users["tarkastaja"],
        researcher=users["tutkija"],
        trainer=users["kouluttaja"],
        partner=factories.partner(family.county, "kumppani_kielikavely"),
    )
    factories.consent(family, world.partner, world.worker)
    notification = Notification.objects.filter(family=family).order_by("-received_on").first()
    assessment = Assessment.objects.filter(family=family).order_by("-started_on").first()
    link, token = factories.rating_link(family, relationship.child, world.worker)
    world._walk_targets = {
        "family_id": family.pk,
        "team_id": family.team_id,
        "person_id": relationship.child_id,
        "relationship_id": relationship.pk,
        "notification_id": notification.pk if notification else 999999,
        "assessment_id": assessment.pk if assessment else 999999,
        "meeting_id": item.meeting_id,
        "item_id": item.pk,
        "step_id": item.steps.first().pk if item.steps.exists() else 999999,
        "hypothesis_id": item.hypotheses.first().pk if item.hypotheses.exists() else 999999,
        **_demo_drawings(family),
        **partnership_targets(world),
        "key": "ors_share",
        "unit_id": family.team.unit_id,
        "training_id": Training.objects.filter(team=family.team).order_by("pk").first().pk,
        "job_id": _finished_export(world).pk,
        "link_id": link.pk,
        "token": token,
        "questionnaire_id": "ORS-2.0-fi",
    }
    return world


def _demo_drawings(family) -> dict:
    """The generated family's own genogram and ecomap, as the access walk's world has them."""
    from apps.network.models import Ecomap, EcomapTie, GenogramPerson, Relationship

    people = list(GenogramPerson.objects.filter(family=family).order_by("pk").select_related("person"))
    ecomap = Ecomap.objects.filter(family=family).order_by("-drawn_on").first()
    relationship = Relationship.objects.filter(family=family).first()
    tie = EcomapTie.objects.filter(ecomap=ecomap).first()
    clients = [p for p in people if p.person_id]
    return {
        "genogram_person_id": next(p.pk for p in people if not p.person_id),
        "ecomap_id": ecomap.pk,
        "genogram_ids": {"Aino": clients[0].pk, "Mikko": clients[-1].pk, "Sanna": clients[1].pk, "Eino": clients[-1].pk},
        "genogram_relationship": relationship.pk if relationship else 999999,
        "tie": tie.pk if tie else 999999,
    }


def _force_login(world, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


@pytest.mark.parametrize("lang", ["fi", *LANGUAGES])
def test_the_demo_teams_pages_are_whole_in_every_language(db, lang):
    """The same checks over two years of a generated team: histories, closed relationships,
    approved meetings, rating flags and charts that the small fixture world does not have."""
    with time_machine.travel(datetime.datetime.combine(DEMO_TODAY, datetime.time(12)), tick=True):
        world = _demo_world()
        client_of = _clients(world, lang, _force_login)
        responses = [
            *_pages(world, lang, client_of, forms=False),
            *_downloads(world, lang, client_of),
            *_api(world, client_of, writes=False),
        ]
    kinds, pages, report = _problems(responses, lang)
    assert pages >= 50, pages
    assert not report, f"problems on {lang} pages of the demo team:\n{report}"


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


# ---- no translation forced while a module is imported ---------------------------------------------

TRANSLATING = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "npgettext"}
EAGER = {"gettext", "ngettext", "pgettext", "npgettext"}


def _forced_at_import(tree, lazy_names) -> list[int]:
    """Lines where module or class code (run once, at import, in the default language) translates:
    an eager gettext, or a lazy one turned into text by %, .format(), str() or an f-string. The
    string then stays Finnish in every language (the period select's "3 kuukautta" did)."""
    import ast

    def name(call):
        return getattr(call.func, "id", getattr(call.func, "attr", None)) if isinstance(call, ast.Call) else None

    def translates(node):
        return name(node) in TRANSLATING

    def eager(node):
        called = name(node)
        return called in EAGER or (called == "_" and "_" not in lazy_names)

    def forced(node):
        if eager(node):
            return True
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            return translates(node.left)
        if name(node) == "str":
            return bool(node.args) and translates(node.args[0])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return translates(node.func.value)
        return isinstance(node, ast.FormattedValue) and translates(node.value)

    lines = []

    def visit(node):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return  # runs when called, in the caller's language
        if forced(node):
            lines.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return lines


def _lazy_aliases(tree) -> set[str]:
    import ast

    return {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name.endswith("_lazy")
    }


def test_no_translation_is_forced_while_a_module_is_imported():
    import ast

    found = []
    for path, text in _sources("apps/**/*.py", "systeemi/**/*.py"):
        tree = ast.parse(text, str(path))
        found += [f"{path}:{line}" for line in _forced_at_import(tree, _lazy_aliases(tree))]
    assert not found, "translated at import, so Finnish in every language; make it lazy (django.utils.functional.lazy):\n" + "\n".join(
        found
    )


def test_the_import_check_finds_what_it_looks_for():
    import ast

    def check(source):
        tree = ast.parse(source)
        return _forced_at_import(tree, _lazy_aliases(tree))

    lazy = "from django.utils.translation import gettext_lazy as _\n"
    assert check(lazy + 'CHOICES = [(m, _("%(n)s kuukautta") % {"n": m}) for m in (3, 6)]') == [2]
    assert check('from django.utils.translation import gettext as _\nLABEL = _("Jakso")') == [2]
    assert check(lazy + 'LABEL = _("Jakso")\ndef f(n):\n    return _("%(n)s") % {"n": n}') == []
