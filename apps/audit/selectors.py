"""Reads of the log: "who has seen my child's data?" for one client."""

import datetime

from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

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
    """Entries naming the person, plus family-list entries for the families they belong to.

    The family ids are read first and given as values, not as a subquery: with values both
    engines answer the OR from the two indexes that start with person_id and family_id (a bitmap
    OR on PostgreSQL, SQLite's multi-index OR), reading only this person's entries. With a
    subquery they scanned the county's whole log (0.2-1 s per person among 9.6 million entries).
    The county check and "names no person" are written as expressions (`county_id + 0`,
    `COALESCE(person_id, 0) = 0`) so that no planner answers them from an index: the county's
    (22 values) or the person index's NULL range (every list entry in the country) are scans of
    millions of rows, and SQLite chose each of them at some point, with and without statistics.
    """
    family_ids = list(FamilyMember.objects.filter(person=person).values_list("family_id", flat=True))
    entries = (
        AccessLogEntry.objects.alias(in_county=F("county_id") + 0, named=Coalesce("person_id", 0))
        .filter(in_county=person.county_id)
        .filter(Q(person_id=person.pk) | Q(named=0, family_id__in=family_ids))
    )
    if not include_older:
        entries = entries.filter(at__gte=timezone.now() - DEFAULT_LOOKBACK)
    return entries.select_related("actor").order_by("-at", "-seq")
