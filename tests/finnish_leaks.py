"""Finds Finnish UI text in a page, CSV or PDF meant for a Swedish or English reader, a count of
one with a plural noun, and a time not written in the language's format.

Every msgid is Finnish, so a string that escapes gettext (translated at import time, built by hand,
left out of a template's {% translate %}) shows up in Finnish in every language. A leak is any of:

- a phrase of two or more words from a msgid (the parts between its placeholders and tags),
- a single-word msgid of four or more letters,
- a common Finnish function or unit word (ja, tai, ei, alkaen, kuukautta …) as a whole word,

found in the text a reader sees or hears (text, title, aria-label, placeholder, alt, button values
and the data- attributes that carry the scripts' messages), unless the phrase is also part of the
language's own translations (a law's abbreviation, a product name), it sits in an element marked
with another `lang` (the language menu, a link to the Finnish PDF), or it is data: every text value
stored in the database (names, municipalities, typed records) is taken out before looking.
"""

import csv
import io
import re
from dataclasses import dataclass
from functools import cache

import polib
from django.apps import apps
from django.conf import settings
from django.db import models

LOCALE = settings.LOCALE_PATHS[0]
# Placeholders (%(n)s, %s, {name}) and tags split a msgid into the parts that are shown verbatim.
SPLIT = re.compile(r"%%|%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{\{?[^}]*\}?\}|<[^>]+>")
WORD = re.compile(r"(?<!\w)[^\W\d_]+(?:[-'’][^\W\d_]+)*(?!\w)")  # letters only: not the KLO of KLO4

# Finnish words that no Swedish or English sentence has: conjunctions, negation, postpositions and
# the partitive unit words that follow a count ("3 kuukautta", "1.1.2024 alkaen").
_FUNCTION_WORDS = """
    ja tai sekä eikä ei ole on ovat oli olla myös vain että jos kun kuin mutta jotta koska vaan
    tämä tämän nämä tuo se sen ne niiden joka jonka jotka mikä mitä kuka
    alkaen asti saakka mennessä jälkeen ennen aikana kanssa ilman mukaan kohti varten kautta
    klo kpl noin yht
    päivä päivää päivän päivässä viikko viikkoa viikon kuukausi kuukautta kuukauden vuosi vuotta vuoden
    tunti tuntia minuutti minuuttia kertaa kerran kerta
    askel askelta perhe perhettä lasta lapsi henkilöä työntekijää arviota kokousta
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
# Words of the target language that are spelt like one of those.
OWN_WORDS = {"sv": {"ja", "se", "ne", "on", "kun"}, "en": {"on", "se", "ne", "vain"}}

HTML = "{http://www.w3.org/1999/xhtml}"
# Scripts, styles and machine text (a secret to type into an app, recovery codes) are no language.
SKIPPED_ELEMENTS = {HTML + "script", HTML + "style", HTML + "code", HTML + "kbd", HTML + "samp"}
SEEN_ATTRIBUTES = ("title", "aria-label", "aria-description", "aria-roledescription", "placeholder", "alt", "label")
BUTTON_TYPES = {"submit", "button", "reset"}
NOT_TEXT = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/|#|\{|\[)")  # URLs, paths, fragments, JSON


@dataclass(frozen=True)
class Leak:
    where: str
    found: str
    context: str

    def __str__(self):
        return f"{self.where}: {self.found!r} in …{self.context}…"


def _catalogue(lang):
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def _parts(text: str) -> list[str]:
    return [" ".join(p.split()) for p in SPLIT.split(text) if p.strip()]


@cache
def vocabulary(lang: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """(Finnish phrases, Finnish single words) that must not appear on a page in `lang`."""
    po = _catalogue(lang)
    own = " \n ".join(
        text for e in po if not e.obsolete for text in ([e.msgstr] if not e.msgid_plural else list(e.msgstr_plural.values()))
    ).lower()
    own_words = set(WORD.findall(own))
    phrases, words = set(), set()
    for entry in po:
        if entry.obsolete:
            continue
        for source in filter(None, (entry.msgid, entry.msgid_plural)):
            for part in _parts(source):
                found = WORD.findall(part)
                if len(found) >= 2:
                    phrase = part.lower().strip(" .,:;!?()–-")
                    if phrase and not _contains(own, phrase):
                        phrases.add(phrase)
                elif len(found) == 1 and part.strip(" .,:;!?()–-") == found[0] and len(found[0]) >= 4 and found[0].lower() not in own_words:
                    words.add(found[0].lower())
    return tuple(sorted(phrases, key=len, reverse=True)), frozenset(words)


def _contains(text: str, phrase: str) -> bool:
    start = text.find(phrase)
    while start != -1:
        before = text[start - 1] if start else " "
        after = text[start + len(phrase)] if start + len(phrase) < len(text) else " "
        if not (before.isalnum() or after.isalnum()):
            return True
        start = text.find(phrase, start + 1)
    return False


def stored_text() -> list[str]:
    """Every text value in the database (longest first): what people typed or the demo invented."""
    values = set()
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField)) and not f.choices]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if isinstance(value, str) and len(value.strip()) >= 3:
                    values.add(value.strip())
    return sorted(values, key=len, reverse=True)


def without_data(text: str, data: list[str]) -> str:
    """`text` with each stored value taken out where it stands as whole words."""
    present = [value for value in data if value in text]
    if not present:
        return text
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, present)) + r")(?!\w)")
    return pattern.sub(" ¦ ", text)


def html_text(content: bytes, lang: str) -> str:
    """What a reader of `lang` sees or hears on the page, one line per piece, without the parts
    marked as another language."""
    import tinyhtml5

    root = tinyhtml5.parse(content)
    pieces: list[str] = []

    def walk(element, inherited):
        own = element.get("lang", inherited) or inherited
        if element.tag in SKIPPED_ELEMENTS or own.split("-")[0] != lang:
            return
        if element.text:
            pieces.append(element.text)
        for name, value in element.attrib.items():
            shown = name in SEEN_ATTRIBUTES or (name.startswith("data-") and not NOT_TEXT.match(value.strip()))
            if element.tag == HTML + "input" and name == "value" and element.get("type") in BUTTON_TYPES:
                shown = True
            if shown and value.strip():
                pieces.append(value)
        for child in element:
            walk(child, own)
            if child.tail:
                pieces.append(child.tail)

    walk(root, root.get("lang", lang))
    return "\n".join(" ".join(p.split()) for p in pieces if p.strip())


def csv_text(content: bytes) -> str:
    text = content.decode("utf-8").removeprefix("\ufeff")
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=";,")
    return "\n".join(cell for row in csv.reader(io.StringIO(text), dialect) for cell in row if cell.strip())


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def leaks(text: str, lang: str, where: str, data: list[str]) -> list[Leak]:
    """The Finnish UI text in `text`, shown to a reader of `lang` (sv or en)."""
    phrases, words = vocabulary(lang)
    found = []
    for line in without_data(text, data).split("\n"):
        cut = line.rstrip("…. ")
        if len(cut) >= 12 and any(value.startswith(cut) for value in data):
            continue  # stored text cut short for a list (a hypothesis as a choice: its first 60 characters)
        lower = line.lower()
        for phrase in phrases:
            if phrase in lower and _contains(lower, phrase):
                found.append(Leak(where, phrase, line[:160]))
                lower = lower.replace(phrase, " ¦ ")
        for word in WORD.findall(lower):
            if (word in FUNCTION_WORDS and word not in OWN_WORDS[lang]) or word in words:
                found.append(Leak(where, word, line[:160]))
    return found


# ---- a count of one with the plural noun ("1 askelta", "1 steps") ----------------------------------

COUNT_THEN_WORD = re.compile(r"(?:%\(\w+\)[sd]|%[sd]|\{\{ ?\w+ ?\}\}) ([^\W\d_]+)")
# Finnish puts the noun after a number above one in the partitive (-a, -ä); English adds -s.
PLURAL_ENDING = {"fi": ("a", "ä"), "en": ("s",)}


@cache
def plural_nouns(lang: str) -> frozenset[str]:
    """Nouns the catalogue puts after a count in their plural form only: "%(n)s askelta" outside a
    plural entry, or the plural form of one, and not the singular form of any."""
    plural, singular = set(), set()
    for entry in _catalogue("en"):
        if entry.obsolete:
            continue
        if lang == "fi":
            forms = [(entry.msgid, entry.msgid_plural)] if entry.msgid_plural else [(None, entry.msgid)]
        else:
            forms = [(entry.msgstr_plural[0], entry.msgstr_plural[1])] if entry.msgid_plural else [(None, entry.msgstr)]
        for one, many in forms:
            plural.update(w.lower() for w in COUNT_THEN_WORD.findall(many))
            if one:
                singular.update(w.lower() for w in COUNT_THEN_WORD.findall(one))
    return frozenset(w for w in plural - singular if len(w) >= 4 and w.endswith(PLURAL_ENDING[lang]))


def one_with_plural(text: str, lang: str, where: str) -> list[Leak]:
    nouns = plural_nouns(lang)
    found = []
    for match in re.finditer(r"(?<![\w.,/:–-])1 ([^\W\d_]+)", text):
        if match.group(1).lower() in nouns:
            found.append(Leak(where, match.group(0), text[max(0, match.start() - 60) : match.end() + 60].replace("\n", " ")))
    return found


# ---- times as the language writes them (systeemi/formats/) -----------------------------------------

# Every language writes 8.30 and 16.19 (TIME_FORMAT "G.i"): a colon or a leading zero is a time
# formatted by hand.
HAND_MADE_TIME = re.compile(r"(?<![\w.:,/-])(?:\d{1,2}:\d{2}|0\d\.\d{2})(?![\w.:,/-]|\.\d)")


def hand_made_times(text: str, where: str) -> list[Leak]:
    return [Leak(where, m.group(0), text[max(0, m.start() - 60) : m.end() + 60].replace("\n", " ")) for m in HAND_MADE_TIME.finditer(text)]
