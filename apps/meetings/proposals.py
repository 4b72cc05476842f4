"""Reasons from apps built on meetings to propose a family for the team meeting's agenda.

Ratings is about meetings (a session rating belongs to a discussion), so meetings may not import
ratings; instead ratings registers its alerts here when the app is ready (apps/ratings/apps.py),
and the agenda asks every registered source which of the team's families it would raise.
"""

from collections.abc import Callable, Iterable

# reason -> function(families: a queryset of the team's family ids) -> the family ids it raises
_SOURCES: dict[str, Callable[[object], Iterable[int]]] = {}


def register_proposal_source(reason: str, families_raised: Callable[[object], Iterable[int]]) -> None:
    _SOURCES[reason] = families_raised


def raised_by_sources(family_ids) -> dict[str, set[int]]:
    return {reason: set(source(family_ids)) for reason, source in _SOURCES.items()}
