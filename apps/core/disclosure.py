"""Small-cell suppression: the one rule for every aggregate that leaves a team.

The rule (statistical disclosure control of frequency tables):

1. **Primary suppression.** A count of clients with a characteristic of their own — families that
   give ratings, raters whose outcome reliably improved or deteriorated, families with a rating in
   the period, discussions the family attended — is hidden when it is 1, 2, 3 or 4
   (`THRESHOLD` = 5), and so is every share computed from it. So is a count that the table gives
   away without printing it: "families that do not rate" is the group minus those that do, so it
   is a cell too (`Table.cell(..., shown=False)`).
2. **Whole groups.** When the group itself (a worker's families, a team's raters) is under five,
   every figure of the group is hidden: "0 of 3 families rate" says something about each of the
   three (`Table.group`).
3. **Complementary (secondary) suppression.** A hidden cell must not be recomputable from the
   figures that are shown: where a total equals the sum of its parts (a row's total, a column's
   total over workers or teams, the change distribution against the number of raters), a relation
   with exactly one hidden cell gets a second one — the smallest shown non-zero part, or the total
   when no part will do — and this repeats until no relation has a lone hidden cell
   (`Table.parts`). Every hidden cell uses the same mark, so the mark does not tell which cells
   were small and which were hidden to protect them.
4. **Zero is shown.** A true zero (nobody in a group of five or more deteriorated) is a result, and
   a null result must be shown as plainly as a good one; a zero says nothing about a single client
   that the group's own size does not already say. A zero is therefore never a small cell, and is
   used as a complementary cell only when nothing else is left.

What the rule does not cover, and why: caseloads (children per worker, the team's families and
children), overdue statutory deadlines, and the team's own practice (meetings held, who chaired,
discussion intervals, plan steps). These count the service's work, not a characteristic of a
client; the Child Welfare Act judges the caseload cap worker by worker (13 b §) and the manager
must see every overdue deadline to act on it. Within a team, members see the families themselves;
the team's ratings page still goes through the rule, so the same figure reads the same to a member
and to a manager.

Why five, and where the practice comes from. Statistics Finland's output-checking instructions
for researchers (stat.fi, "Output checking (FIONA)") describe this pair of steps: primary
suppression of the cells at risk, secondary suppression so that row and column totals do not give
them back, and a whole row suppressed when its total is under the threshold in use. The OECD
glossary of statistical disclosure control ("threshold rule", 2005) notes that agencies require
at least five, or three, units in a cell. Findata, the permit authority under the Act on the
Secondary Use of Health and Social Data (552/2019), requires results from which no individual's
data or characteristics can be told. A THL or Statistics Finland text that names five for social
welfare client data was not found here: five is Systeemi's setting (the stricter of the two
thresholds the glossary names, and the group size this project already used), stated on the
pages, and one constant to change.

No established Python library does table cell suppression (τ-Argus, the standard tool, is a Java
program; a young wrapper of it is on PyPI), and our tables are small: a greedy pass over the
relations is enough. It protects against recomputation through single relations and chains of
them, which is how a reader of these tables would recompute a cell; it does not solve the general
linear-programming problem (a cell pinned down only by combining many relations at once).
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

THRESHOLD = 5


def is_small(value) -> bool:
    """A count of 1–4: never shown. None (no figure) and zero are not small."""
    return value is not None and 0 < value < THRESHOLD


def percent(part, whole) -> int | None:
    return round(100 * part / whole) if whole and part is not None else None


@dataclass(frozen=True)
class Figure:
    """One figure as a page or a file shows it: a count (and its share of a whole), or hidden."""

    value: int | None
    hidden: bool = False
    percent: int | None = None  # the share, when both the count and its whole are shown
    share_hidden: bool = False  # the count is shown but its whole is not, so its share is hidden too


@dataclass
class Table:
    """The cells of one output and how they add up; `suppress()` says which to hide.

    Keys are any hashable names of cells, e.g. (row, column). Build it with `cell` (every count the
    output shows or gives away), `parts` (a total and the parts that add up to it) and `group` (a
    group's size and every figure about the group), then call `suppress()` once.
    """

    values: dict[Hashable, int | None] = field(default_factory=dict)
    relations: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)
    groups: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)
    unshown: set[Hashable] = field(default_factory=set)
    plain: set[Hashable] = field(default_factory=set)
    hidden: frozenset = frozenset()

    def cell(self, key: Hashable, value: int | None, *, shown: bool = True, sensitive: bool = True) -> None:
        """`sensitive=False`: a count of the service's work (discussions held, a team's open
        families), shown even when small; it still takes part in the relations."""
        self.values[key] = value
        if not shown:
            self.unshown.add(key)
        if not sensitive:
            self.plain.add(key)

    def parts(self, total: Hashable, parts: Sequence[Hashable]) -> None:
        self.relations.append((total, tuple(parts)))

    def group(self, size: Hashable, members: Iterable[Hashable]) -> None:
        self.groups.append((size, tuple(members)))

    def suppress(self) -> frozenset:
        self.hidden = frozenset(suppress(self.values, relations=self.relations, groups=self.groups, unshown=self.unshown, plain=self.plain))
        return self.hidden

    def figure(self, key: Hashable, whole: Hashable | None = None) -> Figure:
        """The figure of `key`, with its percentage of `whole` when both are shown."""
        value = self.values[key]
        if key in self.hidden:
            return Figure(None, hidden=True)
        if whole is None:
            return Figure(value)
        if whole in self.hidden:
            return Figure(value, share_hidden=True)
        return Figure(value, percent=percent(value, self.values[whole]))


def suppress(
    values: dict[Hashable, int | None],
    *,
    relations: Iterable[tuple[Hashable, Sequence[Hashable]]] = (),
    groups: Iterable[tuple[Hashable, Sequence[Hashable]]] = (),
    unshown: Iterable[Hashable] = (),
    plain: Iterable[Hashable] = (),
) -> set[Hashable]:
    """The keys of `values` to hide (see the module's docstring for the rule).

    `relations`: (total, parts) where the total is the sum of the parts. `groups`: (size, members)
    where every member is hidden when the size is small. `unshown`: cells the output does not
    print but that can be worked out from it (a group minus its parts); they are hidden from the
    start, and when one is small a relation it is alone in gets a complementary cell. `plain`:
    counts that are not about a client's own characteristic; never small, but a group under five
    still hides its members.
    """
    relations = [(total, tuple(parts)) for total, parts in relations]
    order = {key: n for n, key in enumerate(values)}
    plain = set(plain)
    primary = {key for key, value in values.items() if is_small(value) and key not in plain}
    hidden = set(primary) | set(unshown)
    in_small_groups = set()
    for size, members in groups:
        if is_small(values.get(size)):
            in_small_groups.update(m for m in members if m not in plain)
    hidden |= in_small_groups
    # Cells whose value must stay unknown: the small ones, the figures of a small group (a total
    # over the other parts would give them back just the same), and every hidden cell that
    # protects one.
    protected = set(primary) | in_small_groups
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            members = (total, *parts)
            hidden_here = [key for key in members if key in hidden]
            if not any(key in protected for key in hidden_here):
                continue
            if len(hidden_here) > 1:
                partners = set(hidden_here) - protected
                if partners:
                    protected |= partners
                    changed = True
                continue
            complement = _complement(values, order, hidden, total, parts)
            if complement is not None:
                hidden.add(complement)
                protected.add(complement)
                changed = True
    return hidden


def _complement(values, order, hidden, total, parts):
    """The cell to hide beside a lone hidden one: the smallest shown non-zero part, else the total."""
    shown_parts = [p for p in parts if p not in hidden and values.get(p) is not None]
    non_zero = [p for p in shown_parts if values[p]]
    if non_zero:
        return min(non_zero, key=lambda p: (values[p], order.get(p, 0)))
    if total not in hidden:
        return total
    if shown_parts:
        return min(shown_parts, key=lambda p: order.get(p, 0))
    return None
