"""No aggregate that leaves a team shows a count of 1-4 clients, or a share that gives one away.

A county built to have small cells inside large groups (the cases testers found: a worker with 9
families of which 1 rates, "3 (23 %)" reliably worse, 17 families of which 1 rates, a comparison
team where 1 family of 20 rates) is read through every aggregate output — the team's ratings page
and fidelity page for a member and for a manager, the county report and its CSV, the API — and
every figure about clients is checked the way a reader would attack it:

- a count of 1-4 shown;
- a share whose count, worked back from its denominator, can only be 1-4 (or leave 1-4 over);
- "n (p %)" whose whole, worked back from n and p, leaves 1-4 over;
- a hidden cell that a column's total and the other rows give back (complementary suppression).

The checks read the pages as text, with their own list of which columns count clients (taken
from the pages' headers), not from the code that hides them.
"""

import csv
import datetime
import io
import re
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from apps.clients.models import Person
from apps.evaluation.tests.test_fidelity import _meeting
from apps.meetings.models import AgendaItem
from apps.organisations.models import TeamKind, TeamRole
from apps.ratings.models import Rating
from tests import factories as f

HIDDEN = "*"

# Columns (page headers, Finnish) whose cells count clients by a characteristic of their own.
CLIENT_COLUMNS = {
    "Arvioivia perheitä",
    "Arvioijia, joilla muutos",
    "Luotettava paraneminen",
    "Luotettava heikkeneminen",
    "Kliinisesti merkittävä muutos",
    "Arvioijia",
    "ORS jaksolla",
}
# Rows of the fidelity table that count clients.
CLIENT_INDICATORS = {
    "Perhe mukana käsittelyssä",
    "Avoimista perheistä tilannearvio (ORS) jaksolla",
    "Perheen läsnä ollessa pidetyistä käsittelyistä istuntoarvio (SRS)",
}


def small(n) -> bool:
    return 0 < n < 5


class Tables(HTMLParser):
    """Every table of a page: its header row, and its body and foot rows as cell texts."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: list[dict] = []
        self._section = self._row = self._cell = None
        self._span = 1
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"head": [], "rows": []})
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = tag
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
            self._span = int(dict(attrs).get("colspan") or 1)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row += [" ".join("".join(self._cell).split())] * self._span
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            if self._section == "thead":
                table["head"] = self._row
            else:
                table["rows"].append((self._section, self._row))
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def leaks(text: str, whole: int | None = None) -> list[str]:
    """What a cell gives away: a count of 1-4, or a share or fraction that works back to one."""
    if HIDDEN in text or text in ("", "–"):
        return []
    found = []
    fraction = re.search(r"\((\d+)/(\d+)\)", text)
    if fraction:
        n, d = map(int, fraction.groups())
        if small(n) or small(d - n):
            found.append(f"{text}: {n} of {d}")
        text = text[: fraction.start()]
    percents = [int(p) for p in re.findall(r"(\d+) %", text)]
    counts = [int(n) for n in re.findall(r"(?<![\d,.])(\d+)(?![\d,.]|\s*%)", text)]
    found += [f"{text}: count {n}" for n in counts if small(n)]
    for p in percents:
        if counts:  # "n (p %)": the whole is what makes n p %
            n = counts[0]
            wholes = [d for d in range(max(n, 1), 100 * n + 2) if round(100 * n / d) == p]
            if wholes and all(small(d - n) for d in wholes):
                found.append(f"{text}: leaves {wholes[0] - n} over")
        elif whole:
            parts = [n for n in range(whole + 1) if round(100 * n / whole) == p]
            if parts and all(small(n) or small(whole - n) for n in parts):
                found.append(f"{text}: {parts[0]} of {whole}")
    return found


def _count(text: str) -> int | None:
    m = re.match(r"(\d+)", text)
    return int(m.group(1)) if m and HIDDEN not in text else None


def column_gives_away(rows: list[list[str]], total: list[str], columns: list[int]) -> list[str]:
    """Rows that add up to the total: one hidden cell among them and the total is their difference."""
    found = []
    for c in columns:
        cells = [row[c] for row in rows] + [total[c]]
        hidden = [cell for cell in cells if HIDDEN in cell]
        if len(hidden) == 1:
            found.append(f"column {c}: {cells} gives its hidden cell away")
    return found


@pytest.fixture
def county(world):
    """The test world's two teams with small cells inside large groups."""
    start = timezone.localdate() - datetime.timedelta(days=30)
    later = start + datetime.timedelta(days=14)
    world.family.parents_worker = None  # each family under one worker: the rows add up to the team
    world.family.save(update_fields=["parents_worker"])
    world.other_team.kind = TeamKind.COMPARISON
    world.other_team.save(update_fields=["kind"])
    wilma = f.member(world.team, TeamRole.SOCIAL_WORKER, "wilma", first="Wilma", last="Kolmas")
    truth = {"families": {}, "raters": {}}

    def families(team, worker, n, rated: list[int], name):
        """n families of `worker`; `rated` lists each rating family's change (+12 better, -7 worse)."""
        made = []
        for i in range(n):
            made.append(f.family(team, f"{name}{i}", children=1, parents=1, worker=worker))
            # The factory's synthetic identity codes run out for this many people born on one day.
            Person.objects.filter(county=team.county).update(personal_identity_code="")
        for fam, change in zip(made, rated, strict=False):
            parent = fam.members.get(relation="parent").person
            f.rating(fam, parent, 15, rated_on=start)
            f.rating(fam, parent, 15 + change, rated_on=later)
        return made

    families(world.team, world.worker, 8, [12], "Sari")  # with Mäkinen: 9 families, 1 rates
    toni = families(world.team, world.second_worker, 13, [12] * 10 + [-7] * 3, "Toni")  # 3 of 13 worse
    families(world.team, wilma, 17, [12], "Wilma")  # 17 families, 1 rates
    families(world.other_team, world.stranger, 19, [12], "Vertailu")  # with Salainen: 20, 1 rates
    truth["families"] = {world.team.name: 39, world.other_team.name: 20, "systeeminen tiimi": 39, "vertailutiimi": 20}
    truth["raters"] = {world.team.name: 15, world.other_team.name: 1, "systeeminen tiimi": 15, "vertailutiimi": 1}
    # Meetings: team A discusses ten families, two attend and one gives a session rating; team B
    # discusses six, five attend (one did not).
    day = timezone.localdate() - datetime.timedelta(days=10)
    meeting = _meeting(world.team, day, chair=world.consultant, therapist=world.therapist, items=[(fam, 20) for fam in toni[:10]])
    items = list(meeting.items.order_by("position"))
    AgendaItem.objects.filter(pk__in=[items[0].pk, items[1].pk]).update(family_attended=True)
    parent = toni[0].members.get(relation="parent").person
    f.rating(toni[0], parent, 30, code="SRS", rated_on=day)
    Rating.objects.filter(family=toni[0], instrument__code="SRS").update(agenda_item=items[0])
    others = list(world.other_team.families.all()[:6])
    meeting_b = _meeting(world.other_team, day, chair=world.stranger, items=[(fam, 20) for fam in others])
    AgendaItem.objects.filter(meeting=meeting_b).exclude(family=others[0]).update(family_attended=True)
    truth["discussions"] = {world.team.name: (10, 2, 1), world.other_team.name: (6, 5, 0)}  # all, attended, rated
    return truth


def _ratings_page(body: str) -> list[str]:
    found = []
    workers, bins = Tables(body).tables
    head = workers["head"]
    client_columns = [i for i, h in enumerate(head) if h in CLIENT_COLUMNS or h == "Perheitä"]
    rows = [row for section, row in workers["rows"] if section == "tbody"]
    (total,) = [row for section, row in workers["rows"] if section == "tfoot"]
    for row in [*rows, total]:
        for c in client_columns:
            found += [f"{row[0]}: {leak}" for leak in leaks(row[c])]
        n, up, down, sig = (_count(row[head.index(h)]) for h in CLIENT_COLUMNS_ORDER)
        if None not in (n, up, down) and small(n - up - down):
            found.append(f"{row[0]}: {n - up - down} raters without reliable change, by difference")
        if None not in (up, sig) and small(up - sig):
            found.append(f"{row[0]}: {up - sig} improved but not significantly, by difference")
    found += column_gives_away(rows, total, client_columns)
    bin_rows = [row for _section, row in bins["rows"]]
    for row in bin_rows:
        found += [f"change {row[0]}: {leak}" for leak in leaks(row[1])]
    found += column_gives_away([[row[1]] for row in bin_rows], [total[head.index("Arvioijia, joilla muutos")]], [0])
    return found


CLIENT_COLUMNS_ORDER = ("Arvioijia, joilla muutos", "Luotettava paraneminen", "Luotettava heikkeneminen", "Kliinisesti merkittävä muutos")


def _fidelity_page(body: str, discussions) -> list[str]:
    table = Tables(body).tables[0]  # the indicators; the team's own targets follow (no client counts)
    found = []
    for _section, row in table["rows"]:
        if row[0] in CLIENT_INDICATORS:
            found += [f"{row[0]}: {leak}" for leak in leaks(row[1])]
    if discussions[2] and small(discussions[2]) and "Istuntoarvioita (SRS) keskimäärin" in body:
        found.append("session ratings per meeting, from a count of 1-4")
    return found


def _county_page(body: str, truth) -> list[str]:
    kinds, teams = Tables(body).tables[:2]  # the staffing and pulse table follows (its own rule)
    found = []
    by_label = {}
    for table in (kinds, teams):
        head = table["head"]
        for _section, row in table["rows"]:
            label = next(name for name in truth["families"] if row[0].startswith(name))
            by_label[label] = dict(zip(head, row, strict=True))
            wholes = {
                "Arvioivia perheitä": truth["families"][label],
                "ORS jaksolla": int(row[head.index("Avoimia perheitä")]),
                **dict.fromkeys(CLIENT_COLUMNS_ORDER[1:], truth["raters"][label]),
            }
            for c, h in enumerate(head):
                if h in CLIENT_COLUMNS:
                    found += [f"{label} / {h}: {leak}" for leak in leaks(row[c], wholes.get(h))]
    # Each kind has one team here: its row is that team's row, hidden where the team's is.
    for kind, team in (("systeeminen tiimi", "Systeemitiimi A"), ("vertailutiimi", "Systeemitiimi B")):
        for h in CLIENT_COLUMNS & by_label[kind].keys():
            if (HIDDEN in by_label[kind][h]) != (HIDDEN in by_label[team][h]):
                found.append(f"{kind} / {h}: {by_label[kind][h]} beside its one team's {by_label[team][h]}")
    return found


def _county_csv(text: str, truth) -> list[str]:
    found = []
    for row in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"):
        team = row["team"]
        all_items, attended, _rated = truth["discussions"][team]
        wholes = {
            "raters_with_change": None,
            "rating_share": truth["families"][team],
            "improved_share": truth["raters"][team],
            "deteriorated_share": truth["raters"][team],
            "significant_share": truth["raters"][team],
            "ors_share_percent": int(row["families_open"]),
            "family_present_percent": all_items,
            "srs_share_percent": attended,
        }
        for column, whole in wholes.items():
            value = row[column]
            text_value = f"{value} %" if column != "raters_with_change" and value not in ("", HIDDEN) else value
            found += [f"{team} / {column}: {leak}" for leak in leaks(text_value, whole)]
    return found


def test_no_aggregate_output_shows_a_count_or_share_of_one_to_four(client, world, county):
    problems = []
    a, b = world.team, world.other_team
    for persona, team in (("consultant", a), ("manager", a), ("stranger", b), ("manager", b)):
        client.force_login(getattr(world, persona))
        body = client.get(f"/teams/{team.pk}/ratings/").content.decode()
        problems += [f"ratings {team.name} as {persona}: {p}" for p in _ratings_page(body)]
        body = client.get(f"/teams/{team.pk}/fidelity/").content.decode()
        problems += [f"fidelity {team.name} as {persona}: {p}" for p in _fidelity_page(body, county["discussions"][team.name])]
    client.force_login(world.manager)
    problems += [f"county report: {p}" for p in _county_page(client.get("/evaluation/county/").content.decode(), county)]
    csv_text = client.get("/evaluation/county/", {"format": "csv"}).content.decode("utf-8")
    problems += [f"county CSV: {p}" for p in _county_csv(csv_text, county)]
    # The API serves no aggregate outside the team: a manager reads no team through it.
    assert client.get("/api/v1/teams").json() == []
    assert client.get(f"/api/v1/teams/{a.pk}").status_code == 404
    assert not problems, "\n".join(problems)


def test_the_scan_finds_what_the_pages_showed_before():
    """The checks themselves: the figures testers reported are each caught."""
    assert leaks("9") == [] and leaks("1 (11 %)") and leaks("3 (23 %)") and leaks("17") == []
    assert leaks("5 %", whole=20)  # one family of twenty
    assert leaks("92 % (23/25)")  # two left over
    assert leaks("*piilotettu") == [] and leaks("0 %", whole=20) == [] and leaks("11 (100 %)") == []
    assert column_gives_away([["6"], ["*"]], ["8"], [0]) and not column_gives_away([["*"], ["*"]], ["8"], [0])
