"""Model choice fields that read their options in one plain query.

Django's ModelChoiceIterator reads a field's options with `QuerySet.iterator()`, which on
PostgreSQL is a server-side cursor: DECLARE, FETCH and CLOSE, three round trips for the dozen
options of a select (the live meeting record renders three such selects, issue 8). Options are
few by nature (a team's members, a family's children), so reading them as an ordinary query, once
per form, loses nothing.
"""

from django.forms.models import ModelChoiceIterator


class OnceReadChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # the field's own queryset: evaluated once, then its cache
            yield self.choice(obj)


def offer(field, queryset) -> None:
    """Give a ModelChoiceField its options, read in one ordinary query."""
    field.iterator = OnceReadChoiceIterator  # first: setting the queryset hands the widget an iterator
    field.queryset = queryset
