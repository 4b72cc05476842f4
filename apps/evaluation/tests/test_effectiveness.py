"""The effectiveness view: figures from recorded phases, notifications and ratings, worked by hand;
suppression of small cells; who may see it; the PDF and CSV; the county's placement prices."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from apps.clients.models import ClientRelationship, Family, FamilyMember, Phase, PhaseEvent, Relation
from apps.evaluation.effectiveness import effectiveness
from apps.evaluation.models import PlacementCost
from apps.organisations.models import Team, TeamKind
from tests import factories as f

TODAY = datetime.date(2026, 12, 7)  # a Monday: the 12-month period is 8.12.2025-6.12.2026
D = datetime.date


def _child(team, name, phases, *, closed=None):
    family = Family.objects.create(county=team.county, team=team, name=name)
    child = f.person(team.county, first="Lapsi", last=name, birth=D(2015, 5, 4))
    FamilyMember.objects.create(county=team.county, family=family, person=child, relation=Relation.CHILD)
    rel = ClientRelationship.objects.create(
        county=team.county,
        family=family,
        child=child,
        opened_on=phases[0][1],
        closed_on=closed,
        current_phase=Phase.CLOSED if closed else phases[-1][0],
    )
    for phase, day in phases:
        PhaseEvent.objects.create(county=team.county, relationship=rel, phase=phase, started_on=day)
    if closed:
        PhaseEvent.objects.create(county=team.county, relationship=rel, phase=Phase.CLOSED, started_on=closed)
    return family, child, rel


def _rater(family, name, baseline, latest):
    parent = f.person(family.county, first="Vanhempi", last=name, birth=D(1985, 1, 1))
    FamilyMember.objects.create(county=family.county, family=family, person=parent, relation=Relation.PARENT)
    f.rating(family, parent, baseline, rated_on=D(2026, 2, 1))
    f.rating(family, parent, latest, rated_on=D(2026, 6, 1))


@pytest.fixture
def scene(world):
    """world.team (systemic) against a comparison team of another unit, with hand-countable histories."""
    comparison = f.team(world.county, f.unit(world.county, "Vertailuyksikkö"), "Vertailutiimi")
    Team.objects.filter(pk=comparison.pk).update(kind=TeamKind.COMPARISON)
    # world's own families opened 60 days before the real today: out of these hand counts
    Family.objects.filter(team__in=[world.team, world.other_team]).delete()
    systemic, comparison_families = [], []
    open_care = [(Phase.NOTIFICATION, D(2025, 6, 1)), (Phase.OPEN_CARE, D(2025, 7, 1))]
    for n in range(10):
        phases = list(open_care)
        if n < 5:  # five emergency placements of ten days, back home after
            phases += [(Phase.EMERGENCY_PLACEMENT, D(2026, 3, 1)), (Phase.OPEN_CARE, D(2026, 3, 11))]
        systemic.append(_child(world.team, f"Systeemi{n}", phases)[0])
    for n, days in enumerate((10, 20, 30, 40, 50)):  # closed in the period: median 30 days
        opened = D(2026, 4, 1)
        _child(world.team, f"Päättynyt{n}", [(Phase.NOTIFICATION, opened)], closed=opened + datetime.timedelta(days=days))
    for n in range(10):
        phases = list(open_care)
        if n < 6:  # six care orders from 1.5., going on: 220 days each in the period
            phases += [(Phase.CARE_ORDER, D(2026, 5, 1))]
        comparison_families.append(_child(comparison, f"Vertailu{n}", phases)[0])
    # one child placed voluntarily since before the period: 364 days, one child alone -> hidden
    _child(comparison, "Pitkä", [(Phase.NOTIFICATION, D(2024, 11, 1)), (Phase.PLACEMENT_VOLUNTARY, D(2025, 1, 1))])
    # closings followed for twelve months: ten in the comparison team, five notified again within 365 days
    for n in range(10):
        _family, child, _rel = _child(comparison, f"Seurattu{n}", [(Phase.NOTIFICATION, D(2025, 1, 10))], closed=D(2025, 6, 1))
        if n < 5:
            f.notification(_family, child, world.worker, received_on=D(2025, 9, 1))
        elif n == 5:  # again, but after 400 days: not within twelve months
            f.notification(_family, child, world.worker, received_on=D(2026, 7, 6))
    for n, family in enumerate(systemic[:6]):
        _rater(family, f"S{n}", 14 + n % 3, 25 + n % 3)  # +11 each: reliable, and across the adult cut-off 25
    for n, family in enumerate(comparison_families[:6]):
        _rater(family, f"V{n}", 14 + n % 3, 16 + n % 3)  # +2: no reliable change
    for kind, euros in (("emergency_placement", "300"), ("care_order", "200")):
        PlacementCost.objects.create(
            county=world.county, placement_type=kind, euros_per_day=Decimal(euros), valid_from=D(2026, 1, 1), set_by=world.manager
        )
    world.comparison = comparison
    return world


def _result(world, teams=None):
    return effectiveness(teams if teams is not None else Team.objects.filter(county=world.county), today=TODAY)


def test_placements_per_thousand_child_clients_by_hand(scene):
    result = _result(scene)
    s, c = result.cells["systemic"], result.cells["comparison"]
    # systemic: 10 open + 5 closed children in the period; 5 emergency placements
    assert (s["child_clients"].value, s["placements"].value, s["involuntary"].value) == (15, 5, 5)
    assert s["placements_per_1000"].value == pytest.approx(1000 * 5 / 15)
    # comparison: 10 open + the one placed since before the period; six care orders, all involuntary
    assert (c["child_clients"].value, c["placements"].value, c["involuntary"].value) == (11, 6, 6)
    assert c["involuntary_per_1000"].value == pytest.approx(1000 * 6 / 11)
    assert result.placement_ratio.estimate == pytest.approx((5 / 15) / (6 / 11))


def test_placement_days_are_priced_day_by_day_and_a_lone_child_is_hidden(scene):
    result = _result(scene)
    s, c = result.cells["systemic"], result.cells["comparison"]
    assert s["days_emergency_placement"].value == 50  # 1.-10.3. for five children
    assert s["cost_emergency_placement"].value == Decimal("15000")
    assert c["days_care_order"].value == 6 * 220 or c["days_care_order"].hidden
    # one child in a voluntary placement: hidden, and not recoverable from the total
    assert c["days_placement_voluntary"].hidden and c["cost_placement_voluntary"].hidden
    assert c["days_total"].hidden or c["days_care_order"].hidden
    assert result.unpriced_days == 0 or not c["days_total"].hidden


def test_time_to_closing_and_renotifications_by_hand(scene):
    result = _result(scene)
    s, c = result.cells["systemic"], result.cells["comparison"]
    assert (s["closed"].value, s["median_days_open"].value) == (5, 30)
    assert (result.cohort_start, result.cohort_end) == (D(2024, 12, 8), D(2025, 12, 6))
    assert (c["cohort"].value, c["renotified"].value, c["renotified_share"].value) == (10, 5, 50)
    assert s["cohort"].value == 0


def test_ors_change_uses_the_instruments_published_values(scene):
    result = _result(scene)
    s, c = result.cells["systemic"], result.cells["comparison"]
    assert (s["with_change"].value, s["improved"].value, s["significant"].value, s["deteriorated"].value) == (6, 6, 6, 0)
    assert (c["with_change"].value, c["improved"].value, c["deteriorated"].value) == (6, 0, 0)
    # baselines 14, 15, 16, 14, 15, 16 (SD 0.894): +11 is an effect size of 12.30, +2 of 2.24
    assert s["effect_size"].value == pytest.approx(11 / 0.894427, abs=0.01)
    assert c["effect_size"].value == pytest.approx(2 / 0.894427, abs=0.01)
    assert s["mean_baseline"].value == pytest.approx(15) and s["mean_latest"].value == pytest.approx(26)


def test_with_one_team_on_each_side_the_model_is_not_estimated_and_says_why(scene):
    result = _result(scene)
    assert result.model.verdict == "not_estimated" and result.model.reason == "teams"
    assert result.model.teams == (1, 1)


def test_a_small_count_of_clients_is_hidden_with_its_rate(scene):
    Family.objects.filter(name__startswith="Systeemi", team=scene.team).exclude(name__in=["Systeemi0", "Systeemi1"]).filter(
        relationships__phases__phase=Phase.EMERGENCY_PLACEMENT
    ).delete()  # two emergency placements left
    s = _result(scene).cells["systemic"]
    assert s["placements"].hidden and s["placements_per_1000"].hidden and s["involuntary"].hidden


def _manager(world, persona="manager"):
    client = Client()
    client.force_login(getattr(world, persona))
    return client


def test_the_page_shows_aggregates_and_the_null_result_plainly(scene, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 12, 0))
    response = _manager(scene).get("/evaluation/effectiveness/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Eroa ei arvioitu" in body and "Aaltio 2022" in body
    for name in ("Systeemi0", "Vertailu0", "Pitkä", "Lapsi", "Vanhempi", scene.worker.last_name):
        assert name not in body
    assert 'role="img"' not in body or "<figcaption" in body


def test_the_csv_and_the_pdf_carry_the_same_figures(scene, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 12, 0))
    client = _manager(scene)
    csv = client.get("/evaluation/effectiveness/", {"format": "csv", "months": 12}).content.decode("utf-8-sig")
    rows = {line.split(";")[0]: line.split(";") for line in csv.splitlines() if line}
    header = rows["kind"]
    systemic = dict(zip(header, rows["systemic"], strict=True))
    assert (systemic["child_clients"], systemic["placements"], systemic["placements_per_1000"]) == ("15", "5", "333,3")
    comparison = dict(zip(header, rows["comparison"], strict=True))
    assert comparison["days_placement_voluntary"] == "*"
    pdf = client.get("/evaluation/effectiveness/", {"format": "pdf", "months": 12})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_unit_manager_compares_only_their_units_teams(scene, time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 7, 12, 0))
    # the comparison team is in another unit: the unit manager's own scope has none
    response = _manager(scene, "unit_manager").get("/evaluation/effectiveness/", {"format": "csv"})
    rows = {line.split(";")[0]: line.split(";") for line in response.content.decode("utf-8-sig").splitlines() if line}
    assert dict(zip(rows["kind"], rows["comparison"], strict=True))["teams"] == "0"
    national = _manager(scene, "unit_manager").get("/evaluation/effectiveness/", {"format": "csv", "scope": "national"})
    rows = {line.split(";")[0]: line.split(";") for line in national.content.decode("utf-8-sig").splitlines() if line}
    assert dict(zip(rows["kind"], rows["comparison"], strict=True))["teams"] == "1"


@pytest.mark.parametrize("persona", ["worker", "consultant", "auditor", "researcher", "partner"])
def test_nobody_but_managers_sees_effectiveness_or_prices(scene, persona):
    client = _manager(scene, persona)
    assert client.get("/evaluation/effectiveness/").status_code == 404
    assert client.get("/evaluation/placement-costs/").status_code == 404
    assert (
        client.post(
            "/evaluation/placement-costs/", {"placement_type": "care_order", "euros_per_day": "1", "valid_from": "2026-01-01"}
        ).status_code
        == 404
    )
    assert PlacementCost.objects.count() == 2


def test_the_countys_manager_sets_prices_and_every_change_is_kept(scene):
    client = _manager(scene)
    data = {"placement_type": "care_order", "euros_per_day": "215,50", "valid_from": "2026-07-01"}
    assert client.post("/evaluation/placement-costs/", data).status_code == 302
    page = client.get("/evaluation/placement-costs/").content.decode()
    assert "215,50" in page and "200,00" in page  # the new price and the one before it
    assert PlacementCost.objects.filter(placement_type="care_order").count() == 2
    # a later price applies from its day on: the six care orders' days after 1.7. cost more
    after = _result(scene).cells["comparison"]
    assert after["cost_care_order"].hidden or after["cost_care_order"].value == 6 * (61 * Decimal(200) + 159 * Decimal("215.50"))


def test_a_unit_manager_reads_prices_but_does_not_set_them(scene):
    client = _manager(scene, "unit_manager")
    assert client.get("/evaluation/placement-costs/").status_code == 200
    data = {"placement_type": "care_order", "euros_per_day": "1", "valid_from": "2026-01-01"}
    assert client.post("/evaluation/placement-costs/", data).status_code == 403
    assert PlacementCost.objects.count() == 2


def test_the_computation_makes_the_same_number_of_queries_for_more_families(scene):
    from tests.queries import query_count

    teams = Team.objects.filter(county=scene.county)
    before = query_count(lambda: effectiveness(teams, today=TODAY))
    for n in range(6):
        family = _child(scene.comparison, f"Lisä{n}", [(Phase.NOTIFICATION, D(2026, 1, 5)), (Phase.EMERGENCY_PLACEMENT, D(2026, 2, 1))])[0]
        _rater(family, f"L{n}", 12, 20)
    assert query_count(lambda: effectiveness(teams, today=TODAY)) == before
