"""Working days, hand-worked across year ends, Easter, Midsummer and Independence Day."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from apps.casework.calendar import add_working_days, is_working_day, working_days_between

D = datetime.date


def test_plain_week():
    # Received Monday 2.11.2026: Tue..Fri = 4, Mon 9.11 = 5, Tue = 6, Wed 11.11 = 7
    assert add_working_days(D(2026, 11, 2), 7) == D(2026, 11, 11)


def test_friday_receipt_skips_the_weekend():
    assert add_working_days(D(2026, 11, 6), 1) == D(2026, 11, 9)


def test_independence_day_2026_is_a_sunday_and_2027_a_monday():
    # 6.12.2026 is Sunday: no extra day lost. Received Thu 3.12.2026 -> Fri 4, Mon 7 ... Fri 11 (6th), Mon 14 (7th)
    assert add_working_days(D(2026, 12, 3), 7) == D(2026, 12, 14)
    # 6.12.2027 is Monday: received Thu 2.12.2027 -> Fri 3, (Mon 6 holiday), Tue 7 .. Fri 10 (5th), Mon 13, Tue 14 (7th)
    assert not is_working_day(D(2027, 12, 6))
    assert add_working_days(D(2027, 12, 2), 7) == D(2027, 12, 14)


def test_christmas_and_new_year_2026():
    # Received Mon 21.12.2026: Tue 22, Wed 23 (2); Thu 24 eve, Fri 25, Sat-Sun; Mon 28 (3), Tue 29, Wed 30, Thu 31 (6);
    # Fri 1.1.2027 New Year; Mon 4.1 (7)
    assert add_working_days(D(2026, 12, 21), 7) == D(2027, 1, 4)


def test_easter_2027():
    # Easter 2027: Good Friday 26.3, Easter Monday 29.3. Received Wed 24.3: Thu 25 (1), Tue 30 (2) ... Fri 2.4 (5), Mon 5.4 (6), Tue 6.4 (7)
    assert add_working_days(D(2027, 3, 24), 7) == D(2027, 4, 6)


def test_midsummer_eve_2026():
    # Midsummer Eve Fri 19.6.2026. Received Wed 17.6: Thu 18 (1), Mon 22 (2) ... Fri 26 (6), Mon 29 (7)
    assert not is_working_day(D(2026, 6, 19))
    assert add_working_days(D(2026, 6, 17), 7) == D(2026, 6, 29)


def test_may_day_and_ascension_2026():
    assert not is_working_day(D(2026, 5, 1)) and not is_working_day(D(2026, 5, 14))


def test_epiphany_2027_wednesday():
    assert not is_working_day(D(2027, 1, 6))


@given(start=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)), days=st.integers(min_value=1, max_value=40))
def test_deadline_is_always_a_working_day_and_counts_exactly(start, days):
    deadline = add_working_days(start, days)
    assert is_working_day(deadline)
    assert working_days_between(start, deadline) == days
    assert deadline > start
