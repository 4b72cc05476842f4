"""Caseload month by month, from responsibility periods and month-end snapshots.

A closed month is read from its snapshot when one was taken (`manage.py snapshot_caseloads`), so
the figure stays what the month closed with; other months are counted from the responsibility
periods in one query with one conditional count per month (index: clients_res_worker_*).
"""

import datetime

from django.db.models import Count, Q

from apps.clients.models import ResponsibilityPeriod

from .models import CaseloadSnapshot


def month_ends(today: datetime.date, count: int = 12) -> list[datetime.date]:
    """The last `count` month ends, oldest first; the current month is represented by today."""
    ends, day = [today], today.replace(day=1) - datetime.timedelta(days=1)
    while len(ends) < count:
        ends.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return list(reversed(ends))


def counted(county_id: int, worker_ids, ends: list[datetime.date]) -> dict[int, dict[datetime.date, int]]:
    """Children each worker was responsible for at the end of each day in `ends` (one query).

    `worker_ids=None` counts every worker of the county: for a county's overview (379 workers in
    the largest) that is cheaper than the same rows filtered by a list of them, which the ORM
    prepares value by value and the database matches row by row (9.3 -> 4.9 ms PostgreSQL, 10.3
    -> 6.7 ms SQLite, national set, issue 8).
    """
    if not ends or worker_ids is not None and not worker_ids:
        return {}
    counts = {
        f"m{i}": Count("relationship_id", distinct=True, filter=Q(started_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=end)))
        for i, end in enumerate(ends)
    }
    periods = ResponsibilityPeriod.objects.filter(county_id=county_id, started_on__lte=max(ends))
    if worker_ids is not None:
        periods = periods.filter(worker_id__in=list(worker_ids))
    rows = periods.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=min(ends))).values("worker_id").annotate(**counts)
    return {row["worker_id"]: {end: row[f"m{i}"] for i, end in enumerate(ends)} for row in rows}


def history(county_id: int, worker_ids, ends: list[datetime.date], today: datetime.date, *, whole_county=False) -> dict[int, list[int]]:
    """Each worker's figure at each of `ends`; `whole_county` counts all the county's workers at once
    (see `counted`) and keeps those asked for."""
    worker_ids = list(worker_ids)
    first_of_month = today.replace(day=1)
    closed = [e for e in ends if e < first_of_month]
    snapshots = (
        {
            (w, m): n
            for w, m, n in CaseloadSnapshot.objects.filter(worker_id__in=worker_ids, month_end__in=closed).values_list(
                "worker_id", "month_end", "children"
            )
        }
        if closed
        else {}
    )
    live = counted(county_id, None if whole_county else worker_ids, ends)
    return {w: [snapshots.get((w, e), live.get(w, {}).get(e, 0)) for e in ends] for w in worker_ids}


def snapshot_month(county_id: int, month_end: datetime.date) -> int:
    """Freeze every worker's count at a month end; taking it again changes nothing."""
    return snapshot_months(county_id, [month_end])


def snapshot_months(county_id: int, ends: list[datetime.date]) -> int:
    """Freeze every worker's count at each of these month ends, in one counting query: the monthly
    job's history at once (the demo's two years). A worker responsible for nobody on a month end
    has no row for it, as the monthly job leaves none."""
    figures = counted(county_id, None, ends)  # every worker responsible for someone in one of them
    rows = [
        CaseloadSnapshot(county_id=county_id, worker_id=w, month_end=end, children=n[end])
        for w, n in figures.items()
        for end in ends
        if n[end]
    ]
    CaseloadSnapshot.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)
