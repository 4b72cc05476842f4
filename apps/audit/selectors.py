"""Reads of the log: "who has seen my child's data?" for one client."""

import datetime

from django.db.models import Q
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
    """Entries naming the person, plus family-list entries for the families they belong to."""
    family_ids = FamilyMember.objects.filter(person=person).values("family_id")
    entries = AccessLogEntry.objects.filter(county_id=person.county_id).filter(
        Q(person_id=person.pk) | Q(person_id__isnull=True, family_id__in=family_ids)
    )
    if not include_older:
        entries = entries.filter(at__gte=timezone.now() - DEFAULT_LOOKBACK)
    return entries.select_related("actor").order_by("-at", "-seq")
