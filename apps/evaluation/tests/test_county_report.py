"""The county report: one page of aggregates for the county's managers, fast at any size."""

import csv
import datetime
import io
import re

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.audit.models import AccessLogEntry
from apps.evaluation.selectors import Period, county_report, outcome_groups
from apps.organisations.models import TeamKind
from apps.ratings.selectors import team_outcomes
from tests import factories as f


def test_manager_sees_teams_by_kind_without_families(client, world):
    world.other_team.kind = TeamKind.COMPARISON
    world.other_team.save()
    client.force_login(world.manager)
    response = client.get("/evaluation/county/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Systeemitiimi A" in body and "Systeemitiimi B" in body and "Vieras tiimi" not in body
    for name in ("Mäkinen", "Salainen", "Aino", "Sanna", world.worker.last_name):
        assert name not in body
    kinds = {k.kind: k for k in county_report(world.county.pk).kinds}
    assert kinds["systemic"].teams == 1 and kinds["comparison"].teams == 1
    assert kinds["systemic"].children == 2 and kinds["comparison"].children == 1


def test_only_managers_of_the_county_open_it(client, world):
    for persona in ("worker", "consultant", "auditor", "researcher", "foreigner", "partner"):
        client.force_login(getattr(world, persona))
        assert client.get("/evaluation/county/").status_code == 404, persona


def test_small_groups_are_suppressed(client, world):
    client.force_login(world.manager)
    row = next(r for r in county_report(world.county.pk).teams if r.team == world.team)
    assert row.outcomes.families == 1 and all(figure.hidden for figure in row.outcomes.figures.values())


def test_csv_download_is_aggregate_and_not_logged(client, world):
    client.force_login(world.manager)
    before = AccessLogEntry.objects.count()
    response = client.get("/evaluation/county/", {"format": "csv", "months": 3})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {r["team"] for r in rows} == {"Systeemitiimi A", "Systeemitiimi B"}
    assert "Mäkinen" not in response.content.decode()
    team_a = next(r for r in rows if r["team"] == "Systeemitiimi A")
    assert team_a["children_open"] == "2" and team_a["improved_share"] == "*"  # hidden: under 5
    assert AccessLogEntry.objects.count() == before  # aggregates only: no disclosure to log


def test_outcomes_agree_with_the_team_view(world):
    today = timezone.localdate()
    for n in range(6):
        fam = f.family(world.team, f"Arvioiva{n}", children=1, parents=1, worker=world.worker)
        parent = fam.members.filter(relation="parent").first().person
        f.rating(fam, parent, 10 + n, rated_on=today - datetime.timedelta(days=60))
        f.rating(fam, parent, 12 + 3 * n, rated_on=today - datetime.timedelta(days=30))
        f.rating(fam, parent, 14 + 4 * n, rated_on=today - datetime.timedelta(days=5))
    since = today - datetime.timedelta(days=365)
    ours = outcome_groups([world.team.pk], since=since)[world.team.pk]
    theirs = team_outcomes(world.team, since=since)["team"]
    assert (ours.families, ours.rating_families) == (len(theirs.families), len(theirs.rating_families))
    assert (ours.with_change, ours.improved, ours.deteriorated, ours.significant) == (
        theirs.with_change,
        theirs.improved,
        theirs.deteriorated,
        theirs.significant,
    )
    assert ours.with_change == 6


def test_county_report_queries_do_not_grow_with_teams(world):
    period_today = timezone.localdate()
    with CaptureQueriesContext(connection) as small:
        county_report(world.county.pk, today=period_today)
    for i in range(4):
        team = f.team(world.county, world.team.unit, f"Lisätiimi {i}")
        worker = f.member(team, "social_worker")
        fam = f.family(team, f"P{i}", children=3, worker=worker)
        f.notification(fam, fam.relationships.first().child, worker, received_on=period_today - datetime.timedelta(days=60))
        f.meeting_item(fam, worker)
    with CaptureQueriesContext(connection) as large:
        report = county_report(world.county.pk, today=period_today)
    assert len(report.teams) == 6
    assert sum(r.overdue for r in report.teams) >= 4
    assert len(small) == len(large)


def test_the_period_is_whole_weeks_before_today():
    period = Period.last(3, datetime.date(2026, 11, 25))  # a Wednesday
    assert period.end == datetime.date(2026, 11, 22) and period.end.weekday() == 6
    assert period.start.weekday() == 0 and period.start >= datetime.date(2026, 8, 25)


def test_county_page_queries_do_not_grow_with_teams(client, world):
    client.force_login(world.manager)
    client.get("/evaluation/county/")
    with CaptureQueriesContext(connection) as small:
        client.get("/evaluation/county/?refresh=1")  # computed, not read from the cache
    for i in range(3):
        team = f.team(world.county, world.team.unit, f"Lisätiimi {i}")
        worker = f.member(team, "social_worker")
        f.meeting_item(f.family(team, f"P{i}", children=2, worker=worker), worker)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/evaluation/county/?refresh=1")
    assert response.content.decode().count("/fidelity/?months=") == 5  # one row per team
    assert len(small) == len(large)


def _stamp_and_families(response) -> tuple[str, int]:
    """The page's "computed at" line and the families column of Systeemitiimi A's row."""
    body = response.content.decode()
    stamp = re.search(r"Luvut laskettu ([0-9.]+ [0-9.]+)", body).group(1)
    row = re.search(r">Systeemitiimi A</a>.*?</th>\s*<td class=\"num\">(\d+)</td>", body, re.S)
    return stamp, int(row.group(1))


def test_county_report_is_reused_for_ten_minutes_says_when_it_was_computed_and_recomputes_on_request(client, world):
    with time_machine.travel(timezone.localtime().replace(hour=10, minute=0), tick=False):
        # Signed in at the travelled-to time: a session from the real clock would have expired when
        # 10.00 is more than the 30-minute timeout ahead (any run between midnight and 9.30).
        client.force_login(world.manager)
        stamp, families = _stamp_and_families(client.get("/evaluation/county/"))
        f.family(world.team, "Uusi", children=1, worker=world.worker)
    assert stamp == f"{timezone.localdate():%-d.%-m.%Y} 10.00"
    with time_machine.travel(timezone.localtime().replace(hour=10, minute=5), tick=False):
        with CaptureQueriesContext(connection) as reading:
            again = client.get("/evaluation/county/")
        assert _stamp_and_families(again) == (stamp, families)  # the figures as computed at 10.00
        assert len(reading) < 10  # session, user, teams: the figures come from the cache
        csv_download = client.get("/evaluation/county/", {"format": "csv"}).content
        assert csv_download == client.get("/evaluation/county/", {"format": "csv"}).content
        fresh = client.get("/evaluation/county/", {"refresh": "1"})
        assert _stamp_and_families(fresh)[1] == families + 1
        assert client.get("/evaluation/county/", {"format": "csv"}).content != csv_download  # recomputed for both
    with time_machine.travel(timezone.localtime().replace(hour=10, minute=16), tick=False):
        later = client.get("/evaluation/county/")
        assert _stamp_and_families(later) == (f"{timezone.localdate():%-d.%-m.%Y} 10.16", families + 1)  # older than ten minutes
        # a unit manager sees only the unit's teams, never the county-wide figures cached above
        world.manager.managed_unit = f.unit(world.county, "Toinen yksikkö")
        world.manager.save()
        body = client.get("/evaluation/county/").content.decode()
    assert "Systeemitiimi A" not in body and "Ei tiimejä." in body


def _figures(body: str) -> tuple[str, list[str]]:
    """The "computed at" time and every figure of the report's tables, in the page's reading order."""
    # the date as the language writes it (7.12.2026 in Finnish, 07/12/2026 in English), day first in both
    stamp = tuple(map(int, re.findall(r"\d+", re.search(r"\d+[./]\d+[./]\d{4} \d+\.\d+", body).group(0))))
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<td class="num">(.*?)</td>', body, re.S)]
    # numbers as numbers (12,5 in Finnish is 12.5 in English), a hidden figure as its mark
    return stamp, [("*" in c, re.findall(r"\d+(?:[.,]\d+)?", c.replace(",", "."))) for c in cells]


def test_every_language_shows_the_figures_of_one_computation(client, world):
    """Finnish read at 10.00, a family added, English read at 10.05: the same figures, in English."""
    with time_machine.travel(timezone.localtime().replace(hour=10, minute=0), tick=False):
        client.force_login(world.manager)
        fi = client.get("/evaluation/county/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
        f.family(world.team, "Uusi", children=1, worker=world.worker)
    with time_machine.travel(timezone.localtime().replace(hour=10, minute=5), tick=False):
        client.cookies["django_language"] = "en"
        en = client.get("/evaluation/county/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        en_csv = client.get("/evaluation/county/", {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="en").content.decode("utf-8-sig")
    assert 'lang="en"' in en and "Tiimityyppi" in fi and "Tiimityyppi" not in en
    assert _figures(en) == _figures(fi)
    team_a = next(r for r in csv.DictReader(io.StringIO(en_csv), delimiter=";") if r["team"] == "Systeemitiimi A")
    fi_families = re.search(r">Systeemitiimi A</a>.*?</th>\s*<td class=\"num\">(\d+)</td>", fi, re.S).group(1)
    assert team_a["families_open"] == fi_families
