"""The generator's pure parts: identity codes, histories, families and the organisation plan."""

import datetime
import random
from collections import Counter

import pytest
from stdnum.fi import hetu

from apps.clients.validators import birth_date_from_identity_code
from apps.demo.families import FamilyMaker
from apps.demo.history import CLOSED, NOTIFICATION, child_histories
from apps.demo.identity import IdentityCodes, format_code
from apps.demo.plan import build_plan, rng_for
from apps.organisations.models import TeamKind

TODAY = datetime.date(2026, 3, 31)


def test_identity_codes_are_valid_test_codes_with_every_century_sign():
    codes = IdentityCodes(new_sign_share=0.5)
    rng = random.Random(3)
    signs = set()
    for i in range(3000):
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=i * 11)
        code, got = codes.allocate(rng, birth)
        assert got == birth
        assert hetu.validate(code, allow_temporary=True) == code
        assert 900 <= int(code[7:10]) <= 999
        assert birth_date_from_identity_code(code) == birth
        signs.add(code[6])
    assert signs == set("-YXWVUABCDEF")


def test_identity_codes_stay_unique_when_a_day_runs_out():
    codes = IdentityCodes()
    rng = random.Random(1)
    day = datetime.date(2015, 6, 1)
    got = [codes.allocate(rng, day) for _ in range(150)]
    digits = {(b, c[7:10]) for c, b in got}
    assert len(digits) == 150
    assert {b for _, b in got} == {day, day + datetime.timedelta(days=1)}
    assert len({c for c, _ in got}) == 150


def test_check_character_matches_the_population_register_example():
    # DVV's published example 131052-308T uses a real-range number; same arithmetic for 900-999.
    assert format_code(datetime.date(1952, 10, 13), 308, "-") == "131052-308T"


@pytest.mark.parametrize("seed", range(4))
def test_histories_are_ordered_bounded_and_close_at_most_last(seed):
    rng = random.Random(seed)
    for _ in range(400):
        aftercare = rng.random() < 0.2
        age_days = rng.randint(18 * 365 + 5, 22 * 365) if aftercare else rng.randint(0, 18 * 365 - 5)
        birth = TODAY - datetime.timedelta(days=age_days)
        histories = child_histories(rng, birth, TODAY, aftercare=aftercare)
        previous_close = None
        for i, h in enumerate(histories):
            days = [s.on for s in h.steps]
            assert h.steps[0].phase == NOTIFICATION
            assert days == sorted(days) and len(set(days)) == len(days)
            assert birth <= days[0] and days[-1] <= TODAY
            assert [s.phase for s in h.steps].count(CLOSED) == (1 if h.closed_on else 0)
            assert (h.closed_on is None) == (h.current_phase != CLOSED)
            if i < len(histories) - 1:
                assert h.closed_on is not None
            if previous_close:
                assert h.opened_on > previous_close
            previous_close = h.closed_on


def test_families_are_the_same_for_the_same_stream():
    plan = build_plan("county", 5, TODAY)
    county = plan.counties[0]
    team = county.teams[0]

    def draw():
        maker = FamilyMaker(county.info, TODAY, IdentityCodes(), swedish=0.05)
        rng = rng_for(5, "x")
        weights = [m.weight for m in team.caseworkers]
        return [repr(maker.family(rng, county.units[0].municipality, weights)) for _ in range(60)]

    assert draw() == draw()


def test_national_plan_has_every_county_and_about_700_teams():
    plan = build_plan("national", 1, TODAY)
    assert len(plan.counties) == 22
    assert {c.info.name for c in plan.counties} >= {"Helsingin kaupunki", "Pirkanmaan hyvinvointialue", "Lapin hyvinvointialue"}
    # About 700 child-protection teams, and one family social work team in each county.
    kinds = Counter(t.kind for c in plan.counties for t in c.teams)
    assert 680 <= kinds[TeamKind.SYSTEMIC] + kinds[TeamKind.COMPARISON] <= 720
    assert kinds[TeamKind.FAMILY_SOCIAL_WORK] == len(plan.counties)
    assert 4500 <= plan.users <= 5500
    usernames = [u.username for c in plan.counties for u in c.users]
    assert len(usernames) == len(set(usernames))
    assert "pirkanmaa-t1-konsultti" in usernames and "admin" in usernames
    for county in plan.counties:
        assert len({t.name for t in county.teams}) == len(county.teams)
        assert len({u.name for u in county.units}) == len(county.units)
