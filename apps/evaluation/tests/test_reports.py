"""Reports to hand on: the team, unit and county reports as pages and PDFs, with charts drawn on
the server beside their tables, and nothing drawn that a table hides."""

import re

import pytest
from django.test import Client

from apps.evaluation import charts
from tests import factories as f


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_bar_chart_draws_shown_values_and_labels_hidden_ones():
    chart = charts.bar_chart([("A", 50.0), ("B", None), ("C", 100.0)], high=100)
    assert [m.drawn for m in chart.marks] == [True, False, True]
    widths = [float(m.width) for m in chart.marks if m.drawn]
    assert widths[1] == pytest.approx(2 * widths[0])  # 100 is twice as long as 50
    assert charts.bar_chart([("A", None)]) is None


def test_an_interval_chart_places_the_line_of_no_difference():
    chart = charts.interval_chart([("x", 2.0, 1.0, 3.0)], null=0.0)
    mark = chart.marks[0]
    assert float(chart.zero_x) < float(mark.x_low) < float(mark.x) < float(mark.x_high)


@pytest.mark.parametrize("persona", ["worker", "consultant", "manager", "unit_manager"])
def test_the_team_report_is_for_the_team_and_its_managers(world, persona):
    f.meeting_item(world.family, world.coordinator)
    client = _client(getattr(world, persona))
    page = client.get(f"/teams/{world.team.pk}/report/")
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count('role="img"') == body.count("<figcaption") >= 1  # every chart has its caption
    assert "Mäkinen" not in body
    pdf = client.get(f"/teams/{world.team.pk}/report/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    csv = client.get(f"/teams/{world.team.pk}/report/", {"format": "csv"})
    assert csv.content.decode("utf-8-sig").splitlines()[0].startswith("team;unit;kind")


@pytest.mark.parametrize("persona", ["stranger", "foreigner", "other_unit_manager", "auditor", "researcher", "trainer"])
def test_the_team_report_is_not_found_for_others(world, persona):
    assert _client(getattr(world, persona)).get(f"/teams/{world.team.pk}/report/").status_code == 404


def test_the_unit_report_is_for_the_countys_managers_and_the_units_own(world):
    unit_id = world.team.unit_id
    assert _client(world.manager).get(f"/evaluation/units/{unit_id}/").status_code == 200
    assert _client(world.unit_manager).get(f"/evaluation/units/{unit_id}/").status_code == 200
    assert _client(world.other_unit_manager).get(f"/evaluation/units/{unit_id}/").status_code == 404
    assert _client(world.worker).get(f"/evaluation/units/{unit_id}/").status_code == 404
    pdf = _client(world.unit_manager).get(f"/evaluation/units/{unit_id}/", {"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")


def test_the_county_report_as_pdf(world):
    response = _client(world.manager).get("/evaluation/county/", {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_a_hidden_share_is_not_drawn(world):
    """world.team's families rate too little for a share: the improvement chart draws no bar for it."""
    child = world.family.relationships.first().child
    f.rating(world.family, child, 10)
    f.rating(world.family, child, 30)
    body = _client(world.manager).get(f"/teams/{world.team.pk}/report/").content.decode()
    improved = body[body.index('id="chart-improved-h"') :]
    section = improved[: improved.index('id="chart-caseload-h"')]
    assert "<rect" not in section and "Ei piirrettävää" in section
    assert re.search(r"Luotettava paraneminen", body)
