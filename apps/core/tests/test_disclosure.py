"""The small-cell rule itself: primary cells, whole groups, zeros, and complementary cells that
keep a hidden count from being worked out of the totals that are shown."""

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core.disclosure import Table, is_small, suppress


def recomputed(values, relations, hidden):
    """What a reader of the shown figures can work out: solve any relation with one unknown, repeat."""
    known = {k: v for k, v in values.items() if k not in hidden}
    progress = True
    while progress:
        progress = False
        for total, parts in relations:
            unknown = [k for k in (total, *parts) if k not in known]
            if len(unknown) != 1:
                continue
            (k,) = unknown
            known[k] = known[total] - sum(known[p] for p in parts if p != k) if k != total else sum(known[p] for p in parts)
            progress = True
    return known


def test_counts_of_one_to_four_are_small_and_zero_and_five_are_not():
    assert [is_small(n) for n in (0, 1, 4, 5, None)] == [False, True, True, False, False]
    assert suppress({"a": 0, "b": 1, "c": 4, "d": 5, "e": 12}) == {"b", "c"}


def test_a_lone_hidden_cell_in_a_row_gets_the_next_smallest_cell_hidden_beside_it():
    values = {"total": 20, "a": 3, "b": 9, "c": 8}
    relations = [("total", ("a", "b", "c"))]
    hidden = suppress(values, relations=relations)
    assert hidden == {"a", "c"}
    assert "a" not in recomputed(values, relations, hidden)


def test_without_complementary_suppression_the_total_gives_the_small_cell_away():
    values = {"total": 20, "a": 3, "b": 9, "c": 8}
    relations = [("total", ("a", "b", "c"))]
    assert recomputed(values, relations, {"a"})["a"] == 3  # what the pages did before


def test_a_zero_is_not_used_to_protect_a_cell_while_a_non_zero_one_is_left():
    values = {"total": 10, "a": 3, "zero": 0, "b": 7}
    hidden = suppress(values, relations=[("total", ("a", "zero", "b"))])
    assert hidden == {"a", "b"}


def test_when_only_zeros_are_left_the_total_is_hidden():
    # Parts that overlap (a family counted under two workers) need not add up; the rule stays safe.
    values = {"total": 9, "a": 3, "zero": 0}
    assert suppress(values, relations=[("total", ("a", "zero"))]) == {"a", "total"}


def test_a_small_cell_given_away_by_the_difference_is_protected_too():
    """20 families of which 18 rate: "2 do not rate" is a cell even though no column prints it."""
    table = Table()
    table.cell("families", 20)
    table.cell("rating", 18)
    table.cell("not_rating", 2, shown=False)
    table.parts("families", ["rating", "not_rating"])
    hidden = table.suppress()
    assert "rating" in hidden and table.figure("rating", "families").hidden
    assert not table.figure("families").hidden


def test_a_group_under_five_hides_every_figure_of_the_group_even_a_zero():
    table = Table()
    table.cell("families", 3)
    table.cell("rating", 0)
    table.group("families", ["families", "rating"])
    assert table.suppress() == {"families", "rating"}


def test_a_figure_hidden_with_its_small_group_is_not_given_back_by_a_total():
    """One child placed voluntarily for 364 days: the days are not a small number, but they are the
    figure of a group of one. Beside a total and the other types' days, they were a subtraction away."""
    table = Table()
    table.cell("children_voluntary", 1, shown=False)
    table.cell("days_voluntary", 364)
    table.cell("days_care_order", 1320)
    table.cell("days_total", 1684)
    table.group("children_voluntary", ["days_voluntary"])
    table.parts("days_total", ["days_voluntary", "days_care_order"])
    hidden = table.suppress()
    assert "days_voluntary" in hidden
    assert {"days_care_order", "days_total"} & hidden


def test_a_zero_in_a_group_of_five_or_more_is_shown():
    table = Table()
    table.cell("families", 12)
    table.cell("rating", 0)
    table.cell("not_rating", 12, shown=False)
    table.parts("families", ["rating", "not_rating"])
    table.group("families", ["families", "rating"])
    table.suppress()
    assert table.figure("rating", "families").value == 0 and table.figure("rating", "families").percent == 0


def test_shares_follow_their_counts():
    table = Table()
    table.cell("raters", 40)
    table.cell("improved", 3)
    table.cell("rest", 37, shown=False)
    table.parts("raters", ["improved", "rest"])
    table.suppress()
    assert table.figure("improved", "raters").percent is None and table.figure("improved", "raters").hidden
    table.values["improved"], table.values["rest"] = 10, 30
    table.suppress()
    assert table.figure("improved", "raters").percent == 25


def test_hiding_in_a_column_carries_over_to_the_rows_it_touches():
    """Workers by outcome with row and column totals: a cell hidden to protect a column must not
    itself be recoverable from its row."""
    values = {
        ("w1", "up"): 3, ("w1", "down"): 6, ("w1", "all"): 9,
        ("w2", "up"): 7, ("w2", "down"): 8, ("w2", "all"): 15,
        ("w3", "up"): 9, ("w3", "down"): 10, ("w3", "all"): 19,
        ("team", "up"): 19, ("team", "down"): 24, ("team", "all"): 43,
    }  # fmt: skip
    rows = ["w1", "w2", "w3", "team"]
    relations = [((r, "all"), ((r, "up"), (r, "down"))) for r in rows]
    relations += [(("team", c), tuple((w, c) for w in ("w1", "w2", "w3"))) for c in ("up", "down", "all")]
    hidden = suppress(values, relations=relations)
    assert ("w1", "up") in hidden
    assert ("w1", "up") not in recomputed(values, relations, hidden)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 12), min_size=2, max_size=4), min_size=2, max_size=5).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_no_small_cell_can_be_worked_out_of_any_table_with_row_and_column_totals(grid):
    n_cols = len(grid[0])
    values = {}
    relations = []
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            values[(r, c)] = v
        values[(r, "total")] = sum(row)
        relations.append(((r, "total"), tuple((r, c) for c in range(n_cols))))
    for c in [*range(n_cols), "total"]:
        values[("all", c)] = sum(values[(r, c)] for r in range(len(grid)))
        relations.append((("all", c), tuple((r, c) for r in range(len(grid)))))
    relations.append((("all", "total"), tuple(("all", c) for c in range(n_cols))))
    hidden = suppress(values, relations=relations)
    known = recomputed(values, relations, hidden)
    assert not [k for k, v in values.items() if is_small(v) and k in known]


def test_a_share_whose_whole_is_hidden_is_hidden_with_it():
    table = Table()
    table.cell("families", 3)
    table.cell("rating", 0)
    table.suppress()
    assert table.figure("rating", "families").share_hidden and table.figure("rating", "families").percent is None
