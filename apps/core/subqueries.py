"""Counts of related rows as correlated subqueries, for annotating a list in one query."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_of(queryset, field: str, outer: str = "pk"):
    """How many of `queryset`'s rows have `field` equal to the outer row's `outer` (0 when none).

    A subquery rather than a join with COUNT: several counts on one list do not multiply each
    other's rows, and each is read from the index on `field`.
    """
    counted = queryset.filter(**{field: OuterRef(outer)}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
