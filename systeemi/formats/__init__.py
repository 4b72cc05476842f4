"""Dates and times as each UI language writes them in Finland (settings.FORMAT_MODULE_PATH).

Every team, family and worker is in Finland, so every language takes the Finnish region's
conventions from the Unicode CLDR (what a browser set to fi-FI, sv-FI or en-FI shows, and what
static/js/record.js asks the browser for): a time is 8.30 and 16.19 in all three, a short date
1.1.2026 in Finnish and Swedish and 01/01/2026 in English. Django's own fi formats already are
CLDR's fi-FI; its sv and en formats are Sweden's (2026-01-01, 08:30) and the United States'
(01/01/2026, 8:30 a.m.), overridden here. Pages write dates and times only through these names
(|date:"SHORT_DATE_FORMAT", |time, apps.core.dates.short); tests/test_every_language.py fails on a
hand-made format. Numbers keep each language's own decimal sign on pages (spreadsheets always
get a comma: apps/core/spreadsheet.py).
"""
