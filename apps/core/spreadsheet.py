"""CSV files that people open in a spreadsheet: the auditor's log extract, the ratings export, the
county report.

Finnish Excel splits columns on ';', reads UTF-8 only after a byte-order mark and reads '11,0' as
a number where '11.0' becomes text or a date, so the files are written that way. A text cell that
starts with = + - @ (or a tab or carriage return) would be run as a formula — a recipient typed as
=HYPERLINK(...) became a live link in the log handed to a family — so such cells get a leading
apostrophe, which spreadsheets show as text and never evaluate (OWASP "CSV injection").
The research export is for statistics software, not spreadsheets, and keeps plain CSV.
"""

import csv
from decimal import Decimal

from django.http import HttpResponse
from django.utils import formats

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def cell(value):
    """One value as a spreadsheet should receive it."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float | Decimal):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SpreadsheetWriter:
    def __init__(self, out):
        out.write(BOM)
        self._writer = csv.writer(out, delimiter=";")

    def writerow(self, values):
        self._writer.writerow([cell(v) for v in values])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_response(filename: str) -> tuple[HttpResponse, SpreadsheetWriter]:
    """An attachment response and a writer into it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response, SpreadsheetWriter(response)
