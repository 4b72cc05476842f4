"""Swedish and English catalogues stay complete, well-formed and compiled.

Finnish is the source language: every msgid is Finnish and there is no fi catalogue. After adding
or changing a UI string, run `make messages`, translate the new entries in locale/sv and
locale/en, run `make messages` again to compile, and commit the .po and .mo files together.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

# Templates, catalogues and code, not the database's behaviour: checked once, on SQLite (Makefile).
pytestmark = pytest.mark.engine_agnostic

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ("sv", "en")
FIX = "run `make messages`, translate the new or fuzzy entries in locale/sv and locale/en, run `make messages` again and commit"

# %(name)s and %s style (python-format), a literal %% (doubled by {% translate %}), {name} (brace
# format) and HTML tags: a translation must carry exactly the same ones as its msgid.
PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{\w*\}|</?[a-zA-Z][^>]*>")


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def key(entry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def translations(entry) -> list[tuple[str, str]]:
    """(source, translation) pairs: one for a singular entry, one per form for a plural entry."""
    if entry.msgid_plural:
        return [(entry.msgid if int(n) == 0 else entry.msgid_plural, text) for n, text in sorted(entry.msgstr_plural.items())]
    return [(entry.msgid, entry.msgstr)]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def edges(text: str) -> tuple[str, str]:
    return (text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(lang):
    po = catalogue(lang)
    assert live_entries(po), f"locale/{lang} has no entries; {FIX}"
    missing = [key(e)[1] for e in live_entries(po) if "fuzzy" in e.flags or not all(text for _, text in translations(e))]
    assert not missing, f"{len(missing)} untranslated or fuzzy entries in locale/{lang}; {FIX}:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_tags_and_edge_whitespace_are_preserved(lang):
    wrong = []
    for entry in live_entries(catalogue(lang)):
        if "fuzzy" in entry.flags:
            continue  # not used at run time; test_every_entry_is_translated_and_not_fuzzy reports it
        for source, text in translations(entry):
            if text and (placeholders(source) != placeholders(text) or edges(source) != edges(text)):
                wrong.append(f"{source!r} -> {text!r}")
    assert not wrong, f"Translations in locale/{lang} that change placeholders, HTML tags or edge whitespace:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_po(lang):
    """The committed .mo is what Django reads; it must hold exactly the .po's translations."""

    def messages(entries):
        return {key(e): tuple(text for _, text in translations(e)) for e in entries}

    po = catalogue(lang)
    mo_path = LOCALE / lang / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{mo_path} is missing; {FIX}"
    mo = polib.mofile(str(mo_path))
    expected = messages(e for e in live_entries(po) if "fuzzy" not in e.flags and all(text for _, text in translations(e)))
    compiled = messages(e for e in mo if e.msgid)
    stale = sorted(
        {k[1] for k in expected.keys() ^ compiled.keys()} | {k[1] for k in expected.keys() & compiled.keys() if expected[k] != compiled[k]}
    )
    assert not stale, f"locale/{lang}/LC_MESSAGES/django.mo is stale ({len(stale)} messages differ); {FIX}:\n" + "\n".join(stale)


# The team page: a heading from a template and a role name from a model's choices.
TEAM_PAGE = {
    "fi": ("Tiimin jäsenet", "konsultoiva sosiaalityöntekijä"),
    "sv": ("Teamets medlemmar", "konsulterande socialarbetare"),
    "en": ("Team members", "consultant social worker"),
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("choice", ["cookie", "accept-language", "set_language"])
def test_team_page_is_shown_in_chosen_language(client, world, lang, choice):
    client.force_login(world.worker)
    url = f"/teams/{world.team.pk}/"
    if choice == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        response = client.get(url)
    elif choice == "accept-language":
        response = client.get(url, headers={"accept-language": f"{lang},fi;q=0.5"})
    else:
        response = client.post("/i18n/setlang/", {"language": lang, "next": url}, follow=True)
        assert response.redirect_chain[-1][0] == url
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == lang
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{lang}"' in body
    for text in TEAM_PAGE[lang]:
        assert text in body
    for text in TEAM_PAGE["fi"]:
        assert text not in body


def test_finnish_is_the_default(client, world):
    client.force_login(world.worker)
    body = client.get(f"/teams/{world.team.pk}/").content.decode()
    assert '<html lang="fi"' in body
    for text in TEAM_PAGE["fi"]:
        assert text in body


# Not source: dot-directories (.venv, .git, caches), dependencies, generated and local files.
NOT_SOURCE_NAMES = shutil.ignore_patterns(".*", "__pycache__", "*.pyc", "*.sqlite3*")
NOT_SOURCE_DIRS = {"node_modules", "var", "staticfiles", "locale", "test-results", "bench/results"}


def not_source(root: Path):
    def ignore(directory: str, names: list[str]) -> set[str]:
        relative = Path(directory).relative_to(root)
        return set(NOT_SOURCE_NAMES(directory, names)) | {n for n in names if (relative / n).as_posix() in NOT_SOURCE_DIRS}

    return ignore


def test_every_source_string_is_in_the_catalogues(tmp_path):
    """Extract the strings of the current source (as `make messages` does) and look them up.

    makemessages writes next to the source (temporary .py files beside templates) and into the
    locale directory, so it runs in a copy of the tree with an empty locale directory.
    """
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        pytest.skip("GNU gettext (xgettext, msguniq) is not installed; apt-get install gettext")
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(root, copy, ignore=not_source(root))
    (copy / "locale").mkdir()
    env = {**os.environ, "SYSTEEMI_DEMO": "1", "DJANGO_SETTINGS_MODULE": "systeemi.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-location", "--ignore=var", "--ignore=staticfiles"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    extracted = live_entries(polib.pofile(str(copy / "locale" / "sv" / "LC_MESSAGES" / "django.po")))
    assert extracted, "makemessages found no strings in the source"
    for lang in LANGUAGES:
        committed = {key(e) for e in live_entries(catalogue(lang))}
        missing = sorted(e.msgid for e in extracted if key(e) not in committed)
        assert not missing, f"{len(missing)} UI strings in the source are missing from locale/{lang}; {FIX}:\n" + "\n".join(missing)


GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}


def _calls_in_fstrings(tree) -> list[int]:
    """Lines where a gettext call sits inside an f-string's {…}: xgettext does not look there, so
    the string never reaches the catalogues and shows in Finnish in every language."""
    import ast

    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                for inner in ast.walk(part):
                    if isinstance(inner, ast.Call) and getattr(inner.func, "id", getattr(inner.func, "attr", None)) in GETTEXT_NAMES:
                        lines.append(inner.lineno)
    return lines


def test_no_gettext_call_hides_inside_an_f_string():
    import ast

    root = Path(settings.BASE_DIR)
    found = []
    for path in sorted((root / "apps").rglob("*.py")) + sorted((root / "systeemi").rglob("*.py")):
        found += [f"{path.relative_to(root)}:{line}" for line in _calls_in_fstrings(ast.parse(path.read_text(), str(path)))]
    assert not found, "translate outside the f-string and interpolate the result:\n" + "\n".join(found)


def test_the_f_string_check_finds_what_it_looks_for():
    import ast

    assert _calls_in_fstrings(ast.parse("x = f\"<small>{escape(_('ei avointa'))}</small>\"")) == [1]
    assert _calls_in_fstrings(ast.parse('label = _("ei avointa")\nx = f"<small>{label}</small>"')) == []
