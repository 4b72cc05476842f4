"""CSV files that people open in a spreadsheet: the auditor's log extract, the ratings export, the
county report.

Finnish Excel splits columns on ';', reads UTF-8 only after a byte-order mark and reads '11,0' as
a number where '11.0' becomes text or a date ('4.6' is the fourth of June), so the files are
written that way — in every UI language: the ';' separator already makes the file a Finnish (or
other decimal-comma) spreadsheet's, and one file must not mix '4.6' with '21,7'. Every number goes
through `cell`; a caller holding a number as text (a JSON value) passes it as a Decimal. A text cell that
starts with = + - @ (or a tab or carriage return) would be run as a formula — a recipient typed as
=HYPERLINK(...) became a live link in the log handed to a family — so such cells get a leading
apostrophe, which spreadsheets show as text and never evaluate (OWASP "CSV injection").
The research export is for statistics software, not spreadsheets, and keeps plain CSV.
"""

import csv
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def cell(value):
    """One value as a spreadsheet should receive it."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
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
