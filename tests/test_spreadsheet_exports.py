"""Every CSV made for a spreadsheet writes its numbers with a decimal comma, in every UI language:
a Finnish spreadsheet reads "4.6" as the fourth of June."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from tests import factories as f

DECIMAL_POINT = re.compile(r"^-?\d+\.\d+$")


def _cells(response) -> list[str]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";") for cell in row]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_no_spreadsheet_export_writes_a_decimal_point(client, world, language):
    parent = world.family.members.filter(relation="parent").first().person
    child = world.family.relationships.first().child
    start = timezone.localdate() - datetime.timedelta(days=20)
    f.rating(world.family, parent, 18.5, rated_on=start)  # items 4,6 4,6 4,6 4,7
    f.rating(world.family, parent, 21.7, rated_on=start + datetime.timedelta(days=7))
    f.family(world.team, "Yksi", children=1, worker=world.second_worker)
    f.family(world.team, "Kolme", children=3, worker=f.member(world.team, "social_worker"))  # caseloads 0 1 2 3: median 1,5
    client.cookies["django_language"] = language
    exports = {}
    client.force_login(world.worker)
    exports["ratings"] = client.post(
        f"/families/{world.family.pk}/ratings/export/",
        {"format": "csv", "recipient": "Perheneuvola", "legal_basis": "Suostumus"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    client.force_login(world.manager)
    exports["county report"] = client.get("/evaluation/county/", {"format": "csv"}, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(world.auditor)
    exports["log extract"] = client.post(
        f"/audit/people/{child.pk}/export/", {"recipient": "Huoltaja", "legal_basis": "Tarkastusoikeus"}, HTTP_ACCEPT_LANGUAGE=language
    )
    cells = {name: _cells(response) for name, response in exports.items()}
    for name, found in cells.items():
        assert not [c for c in found if DECIMAL_POINT.match(c)], name
    assert {"4,6", "4,7", "18,5", "21,7"} <= set(cells["ratings"])
    assert "1,5" in cells["county report"]
