"""Scoring against the published rules: totals, cut-offs by age, reliable change, SRS alerts."""

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.ratings import scoring
from apps.ratings.definitions import SHIPPED, Definition, shipped_definitions

SPECS = {d.code: d for d in shipped_definitions()}
ORS, SRS, CORS, CSRS = SPECS["ORS"], SPECS["SRS"], SPECS["CORS"], SPECS["CSRS"]
D = Decimal


def test_shipped_instruments_cover_the_issue_and_each_fact_names_its_source():
    assert set(SPECS) == {"ORS", "SRS", "CORS", "CSRS", "YCORS", "YCSRS"}
    for spec in SPECS.values():
        assert spec.source and spec.licence
        facts = [*spec.cutoffs, spec.reliable_change, spec.expected_sessions, spec.alert_total_below, spec.alert_item_below]
        assert all(f.source for f in facts if f is not None), spec.code
        for item in spec.items:  # every line is worded in all three languages
            assert item.label.fi and item.label.sv and item.label.en


def test_age_bands_pick_the_right_version():
    assert [c for c in SPECS if SPECS[c].kind == "outcome" and SPECS[c].covers_age(4)] == ["YCORS"]
    assert [c for c in SPECS if SPECS[c].kind == "outcome" and SPECS[c].covers_age(9)] == ["CORS"]
    assert [c for c in SPECS if SPECS[c].kind == "session" and SPECS[c].covers_age(13)] == ["SRS"]


def test_clinical_cutoffs_by_age_band():
    assert ORS.cutoff_for(40).value == 25  # adults (Miller et al. 2003)
    assert ORS.cutoff_for(15).value == 28  # adolescents (Duncan et al. 2006)
    assert CORS.cutoff_for(8).value == 32  # children 6-12 (Duncan et al. 2006)
    assert ORS.cutoff_for(None) is None


def test_adult_moving_from_19_6_to_27_is_reliable_and_clinically_significant_change():
    ch = scoring.change([D("19.6"), D("23.0"), D("27.0")], ORS, 40)
    assert ch.difference == D("7.4")
    assert ch.reliably_improved and ch.clinically_significant and not ch.reliably_deteriorated


def test_improvement_below_the_reliable_change_index_is_not_reliable():
    ch = scoring.change([D("19.6"), D("24.5")], ORS, 40)
    assert not ch.reliably_improved and not ch.clinically_significant


def test_reliable_improvement_that_starts_above_the_cutoff_is_not_clinically_significant():
    ch = scoring.change([D("26.0"), D("33.0")], ORS, 40)
    assert ch.reliably_improved and not ch.clinically_significant


def test_deterioration_of_five_points_is_reliable():
    ch = scoring.change([D("30.0"), D("25.0")], ORS, 40)
    assert ch.reliably_deteriorated


def test_no_reliable_change_after_the_expected_number_of_ratings_is_flagged():
    assert not scoring.no_change_yet(scoring.change([D("20"), D("21")], ORS, 40), ORS)
    assert scoring.no_change_yet(scoring.change([D("20"), D("21"), D("22")], ORS, 40), ORS)
    assert not scoring.no_change_yet(scoring.change([D("20"), D("21"), D("26")], ORS, 40), ORS)


def test_cors_has_no_verified_reliable_change_value_so_it_flags_none():
    ch = scoring.change([D("36"), D("20")], CORS, 9)
    assert ch.reliable_change is None and not ch.reliably_deteriorated and not scoring.no_change_yet(ch, CORS)
    assert CORS.reliable_change_note


def test_srs_alert_rule_total_below_36_or_any_line_below_9():
    total_low = scoring.session_alert({"relationship": D("9"), "goals": D("9"), "approach": D("9"), "overall": D("8.9")}, SRS)
    assert [str(r) for r in total_low] == ["Kokonaispistemäärä alle 36", "Jokin kohta alle 9"]
    assert scoring.session_alert({"relationship": D("9"), "goals": D("9"), "approach": D("9"), "overall": D("9")}, SRS) == []
    assert scoring.session_alert({"relationship": D("9.5"), "goals": D("9"), "approach": D("9"), "overall": D("8.5")}, SRS)
    assert scoring.session_alert({"relationship": D("9.5"), "goals": D("9"), "approach": D("9"), "overall": D("9")}, SRS) == []


def test_paper_marks_are_measured_in_cm_and_rounded_half_up_to_a_millimetre():
    assert scoring.from_centimetres("7,35", ORS) == D("7.4")
    assert scoring.from_centimetres("0", ORS) == D("0.0")
    assert scoring.from_centimetres(10, ORS) == D("10.0")


@pytest.mark.parametrize("bad", ["10.1", "-0.1", "abc", "NaN", "inf", "", "1e3"])
def test_marks_outside_the_line_are_refused_with_a_message(bad):
    with pytest.raises(scoring.RatingValueError) as exc:
        scoring.mark(bad)
    assert "0–10" in exc.value.messages[0]


def test_every_line_must_be_marked_and_unknown_lines_are_refused():
    with pytest.raises(scoring.RatingValueError, match="jokainen jana"):
        scoring.marks({"individually": "5", "interpersonally": "5", "socially": "5"}, ORS)
    with pytest.raises(scoring.RatingValueError, match="Tuntematon"):
        scoring.marks({"individually": "5", "interpersonally": "5", "socially": "5", "overall": "5", "extra": "1"}, ORS)


tenths = st.integers(min_value=0, max_value=100).map(lambda n: D(n) / 10)


@given(st.lists(tenths, min_size=4, max_size=4))
def test_total_is_the_exact_sum_within_0_and_40(lines):
    item_marks = scoring.marks(dict(zip([i.key for i in ORS.items], lines, strict=True)), ORS)
    total = scoring.total(item_marks)
    assert D(0) <= total <= D(40)
    assert total == sum(lines)
    assert total == total.quantize(D("0.1"))


@given(st.decimals(min_value=0, max_value=10, allow_nan=False, allow_infinity=False, places=4))
def test_a_mark_is_kept_on_the_line_to_a_tenth_and_rounding_is_stable(value):
    m = scoring.mark(value)
    assert D(0) <= m <= D(10) and m == m.quantize(D("0.1"))
    assert abs(m - value) <= D("0.05")
    assert scoring.mark(m) == m


@given(st.lists(tenths, min_size=2, max_size=8))
def test_improvement_and_deterioration_exclude_each_other(totals):
    ch = scoring.change([t * 4 for t in totals], ORS, 30)
    assert not (ch.reliably_improved and ch.reliably_deteriorated)
    assert not ch.clinically_significant or ch.reliably_improved


def test_another_four_line_instrument_is_a_data_change():
    raw = json.loads((SHIPPED / "ors.json").read_text(encoding="utf-8"))
    raw.update(code="KOULU4", version="1", kind="outcome")
    spec = Definition.model_validate(raw)
    assert spec.total_max == 40 and spec.cutoff_for(40).value == 25


def test_a_definition_with_repeated_lines_is_refused():
    raw = json.loads((SHIPPED / "srs.json").read_text(encoding="utf-8"))
    raw["items"].append(raw["items"][0])
    with pytest.raises(ValueError, match="repeat"):
        Definition.model_validate(raw)


@pytest.mark.django_db
def test_admin_shows_each_instruments_source_licence_and_scoring_facts(client):
    from django.contrib.auth import get_user_model

    from apps.ratings.models import Instrument

    admin = get_user_model().objects.create_superuser("yllapito", password="x-yllapito-2026")
    client.force_login(admin)
    ors = Instrument.objects.get(code="ORS")
    body = client.get(f"/admin/ratings/instrument/{ors.pk}/change/").content.decode()
    assert "Miller, Duncan, Brown, Sparks &amp; Claud 2003" in body and "organisational use requires a licence" in body
    assert "<strong>25</strong> (H)" in body and "<strong>5</strong> (U)" in body
    listing = client.get("/admin/ratings/instrument/").content.decode()
    assert all(code in listing for code in ["ORS", "SRS", "CORS", "CSRS", "YCORS", "YCSRS"])


@pytest.mark.django_db
def test_admin_refuses_a_broken_definition_with_a_message(client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("yllapito", password="x-yllapito-2026")
    client.force_login(admin)
    response = client.post("/admin/ratings/instrument/add/", {"active": "on", "definition": json.dumps({"code": "X", "items": []})})
    assert response.status_code == 200 and "Määrittely ei kelpaa" in response.content.decode()


def test_the_faces_form_takes_only_the_five_faces():
    """A small child picks a face at the line's quarters; any other value did not come from the page."""
    ycors = SPECS["YCORS"]
    key = ycors.items[0].key
    top = D(ycors.scale_max)
    assert [scoring.marks({key: str(top * i / 4)}, ycors)[key] for i in range(5)] == [top * i / 4 for i in range(5)]
    with pytest.raises(scoring.RatingValueError, match="Valitse yksi kasvoista"):
        scoring.marks({key: "3"}, ycors)
