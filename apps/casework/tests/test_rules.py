"""Deadline rules against hand-worked cases and their legal sources."""

import datetime

import pytest

from apps.casework.rules import DeadlineKind, after_care_end, rule_for

D = datetime.date


def test_investigation_decision_is_seven_working_days():
    rule = rule_for(DeadlineKind.INVESTIGATION_DECISION, D(2026, 11, 23))
    assert rule.due(D(2026, 12, 21)) == D(2027, 1, 4)
    assert "26 §" in rule.source and rule.confidence == "H"


@pytest.mark.parametrize(
    "received, due",
    [
        (D(2026, 1, 15), D(2026, 4, 15)),
        (D(2026, 11, 30), D(2027, 2, 26)),  # no 30.2: the month's last day, Sun 28.2. -> Fri 26.2.
        (D(2027, 11, 30), D(2028, 2, 29)),  # leap year
        (D(2026, 10, 3), D(2026, 12, 31)),  # Sun 3.1.2027 -> the working day before (Fri 1.1. is New Year's Day)
        (D(2026, 10, 24), D(2027, 1, 22)),  # Sun 24.1.2027 -> Fri 22.1.
    ],
)
def test_assessment_completes_within_three_months(received, due):
    assert rule_for(DeadlineKind.ASSESSMENT_COMPLETION, received).due(received) == due


@pytest.mark.parametrize(
    "birth, end, source_part",
    [
        (D(1997, 6, 1), D(2018, 5, 31), "21 ikävuoteen"),  # turned 21 before 2020
        (D(1999, 3, 1), D(2024, 2, 29), "25 ikävuoteen"),  # 24 on 1.1.2024, 25 before the transition ended
        (D(2000, 3, 1), D(2024, 6, 30), "siirtymä"),  # 23 on 1.1.2024: kept until 30.6.2024
        (D(2001, 1, 1), D(2024, 6, 30), "siirtymä"),  # 23rd birthday on 1.1.2024: "had turned 23" when the law took effect
        (D(2001, 1, 2), D(2024, 1, 1), "23 ikävuoteen"),
        (D(2005, 5, 5), D(2028, 5, 4), "23 ikävuoteen"),
    ],
)
def test_after_care_end(birth, end, source_part):
    got, source = after_care_end(birth)
    assert got == end and source_part in source
