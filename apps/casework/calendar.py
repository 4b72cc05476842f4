"""Finnish working days (arkipäivä) for statutory time limits.

A working day is Monday-Friday that is not a public holiday, Christmas Eve or Midsummer Eve
(Act on computing statutory time limits 150/1930). The holidays come from the maintained
`holidays` library's Finland calendar, which includes both eves and the movable feasts; we never
keep a hand-written list.
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.Finland(years=year))


def holiday_name(day: datetime.date) -> str | None:
    return holidays.Finland(years=day.year).get(day)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start`; `start` itself is not counted."""
    if days < 0:
        raise ValueError("days must be >= 0")
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + datetime.timedelta(days=n)))
