"""Reads of the log: "who has seen my child's data?" for one client."""

import datetime
import heapq
import itertools

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.models import User

from .models import AccessLogEntry

# Regional practice under the client-data act: logs older than two years are released only for a
# special reason (FACTS.md, confidence M), so the report looks back two years unless asked.
DEFAULT_LOOKBACK = datetime.timedelta(days=730)


def _page_order(entry: AccessLogEntry):
    return entry.at, entry.seq


class PersonLog:
    """A person's log entries newest first: counted and sliced by a Paginator, iterated by the CSV.

    Each source (the entries naming the person; each of their families' list entries, which name
    nobody) is its own query in page order, answered by an index that ends with (at, seq): a page
    reads at most `stop` entries of each source and the sources are merged here. As one UNION ALL
    PostgreSQL 15 cannot merge the parts (it does so only for a UNION ALL inside FROM), so it read
    and sorted the person's whole two years (10,000 entries for a busy child) for every page.
    """

    def __init__(self, parts):
        self.parts = parts

    def count(self) -> int:
        return sum(part.count() for part in self.parts)

    def __getitem__(self, index: slice) -> list[AccessLogEntry]:
        start, stop = index.start or 0, index.stop
        merged = heapq.merge(*(part[:stop] for part in self.parts), key=_page_order, reverse=True)
        return _with_actors(list(itertools.islice(merged, start, stop)), {})

    def __iter__(self):
        """The whole history in constant memory (the CSV): each source read in chunks."""
        merged = heapq.merge(*(part.iterator(chunk_size=CHUNK) for part in self.parts), key=_page_order, reverse=True)
        actors: dict = {}
        while chunk := list(itertools.islice(merged, CHUNK)):
            yield from _with_actors(chunk, actors)


CHUNK = 2000


def _with_actors(entries: list[AccessLogEntry], actors: dict) -> list[AccessLogEntry]:
    """Set each entry's actor, reading the users not yet in `actors` in one query.

    Not select_related: the planner estimates a source's rows from the filters written as
    expressions (below) at one, and joined the users by scanning all of them for each entry
    (24 ms for a page of 50 on PostgreSQL once the log had been analysed).
    """
    actors.update(User.objects.in_bulk({e.actor_id for e in entries} - actors.keys()))
    for entry in entries:
        entry.actor = actors[entry.actor_id]
    return entries


def person_log_entries(*, county_id: int, person_id: int, family_ids, include_older: bool = False) -> PersonLog:
    """Entries naming the person, plus family-list entries for the families they belong to, newest first.

    The sources are disjoint (an entry names the person, or names nobody and lists one family),
    so nothing is counted twice. An OR over the two indexes fetched and sorted the person's whole
    history for every page; a subquery for the families scanned the county's whole log (0.2-1 s
    per person among 9.6 million entries). The county check and "names no person" are written as
    expressions (`county_id + 0`, `COALESCE(person_id, 0) = 0`) so that no planner answers them
    from an index: the county's (22 values) or the person index's NULL range (every list entry in
    the country) are scans of millions of rows, and SQLite chose each of them at some point, with
    and without statistics. On PostgreSQL both are index columns too (INCLUDE), so the count reads
    the index alone.
    """
    entries = (
        AccessLogEntry.objects.alias(in_county=F("county_id") + 0, named=Coalesce("person_id", 0))
        .filter(in_county=county_id)
        .order_by("-at", "-seq")
    )
    if not include_older:
        entries = entries.filter(at__gte=timezone.now() - DEFAULT_LOOKBACK)
    named = entries.filter(person_id=person_id)
    listed = [entries.filter(named=0, family_id=family_id) for family_id in family_ids]
    return PersonLog([named, *listed])


def checkpoints(county_id: int):
    """The county's signed checkpoints (copies of the lines written outside the database), oldest first."""
    from .models import LogCheckpoint

    return LogCheckpoint.objects.filter(county_id=county_id).order_by("signed_at", "seq")
