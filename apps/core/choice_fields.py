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
        # The queryset given to `offer` when shared, else the field's own copy: evaluated once, then
        # its cache.
        shared = getattr(self.field, "shared_options", None)
        for obj in self.queryset if shared is None else shared:
            yield self.choice(obj)


def offer(field, queryset, *, shared: bool = False) -> None:
    """Give a ModelChoiceField its options, read in one ordinary query when first rendered.

    `shared`: the options are rendered from `queryset` itself rather than the field's copy of it,
    so fields offered the same queryset object (a page's two selects of a team's members) read it
    once between them. Validation still asks the database.
    """
    field.iterator = OnceReadChoiceIterator  # first: setting the queryset hands the widget an iterator
    field.shared_options = queryset if shared else None
    field.queryset = queryset
