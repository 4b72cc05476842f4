"""Reads of the log: "who has seen my child's data?" for one client."""

import datetime

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.accounts.models import User
from apps.clients.models import FamilyMember, Person

from .models import AccessLogEntry

# Regional practice under the client-data act: logs older than two years are released only for a
# special reason (FACTS.md, confidence M), so the report looks back two years unless asked.
DEFAULT_LOOKBACK = datetime.timedelta(days=730)


def person_search(county_id: int, query: str, limit: int = 50):
    query = (query or "").strip()
    if not query:
        return Person.objects.none()
    people = Person.objects.filter(county_id=county_id)
    if len(query) == 11 and query[6] in "+-YXWVUABCDEF":
        return people.filter(personal_identity_code=query.upper())[:limit]
    parts = query.split()
    for part in parts:
        people = people.filter(Q(first_names__icontains=part) | Q(last_name__icontains=part))
    return people.order_by("last_name", "first_names")[:limit]


def person_log_entries(person: Person, *, include_older: bool = False):
    """Entries naming the person, plus family-list entries for the families they belong to, newest first.

    One SELECT per source (the person; each family's list entries, which name nobody) joined by
    UNION ALL, each answered from its own index (person_id, at) or (family_id, at): the parts are
    disjoint, so nothing is counted twice. An OR over the two indexes had to fetch and sort all of a
    person's two years (9,000 entries for a busy child) for every page of 50; a subquery for the
    families scanned the county's whole log (0.2-1 s per person among 9.6 million entries).
    The county check and "names no person" are written as expressions (`county_id + 0`,
    `COALESCE(person_id, 0) = 0`) so that no planner answers them from an index: the county's
    (22 values) or the person index's NULL range (every list entry in the country) are scans of
    millions of rows, and SQLite chose each of them at some point, with and without statistics.
    """
    family_ids = list(FamilyMember.objects.filter(person=person).values_list("family_id", flat=True))
    entries = (
        AccessLogEntry.objects.alias(in_county=F("county_id") + 0, named=Coalesce("person_id", 0))
        .filter(in_county=person.county_id)
        .order_by()  # the model's default ordering would sort each part on its own
    )
    if not include_older:
        entries = entries.filter(at__gte=timezone.now() - DEFAULT_LOOKBACK)
    named = entries.filter(person_id=person.pk)
    listed = [entries.filter(named=0, family_id=family_id) for family_id in family_ids]
    return named.union(*listed, all=True).order_by("-at", "-seq")


def with_actors(entries, actors: dict | None = None) -> list:
    """The entries with their actors read in one query (a UNION cannot select_related)."""
    entries = list(entries)
    actors = {} if actors is None else actors
    missing = {e.actor_id for e in entries} - actors.keys()
    actors.update(User.objects.in_bulk(missing))
    for e in entries:
        e.actor = actors[e.actor_id]
    return entries


def iter_with_actors(entries, chunk_size: int = 2000):
    """All entries in chunks (constant memory for a whole history), each user read once."""
    actors: dict = {}
    chunk = []
    for entry in entries.iterator(chunk_size=chunk_size):
        chunk.append(entry)
        if len(chunk) == chunk_size:
            yield from with_actors(chunk, actors)
            chunk = []
    yield from with_actors(chunk, actors)
