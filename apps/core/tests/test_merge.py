"""The three-way merge every form over shared state goes through (apps/core/merge.py)."""

from apps.core.merge import BOTH, MINE, THEIRS, both, key, three_way


def test_theirs_unchanged_takes_mine_mine_unchanged_takes_theirs_both_changed_is_a_conflict():
    merged = three_way(
        mine={"a": "mine", "b": "base", "c": "mine", "d": "same"},
        theirs={"a": "base", "b": "theirs", "c": "theirs", "d": "same"},
        base={"a": "base", "b": "base", "c": "base", "d": "base"},
        current=False,
    )
    assert merged.values == {"a": "mine"}
    assert merged.taken == {"b"}
    assert merged.conflicts == {"c": "theirs"}  # nothing of either is lost: theirs stays, mine is shown


def test_without_a_base_the_version_decides():
    fresh = three_way(mine={"a": "mine"}, theirs={"a": "stored"}, base={}, current=True)
    stale = three_way(mine={"a": "mine"}, theirs={"a": "stored"}, base={}, current=False)
    assert fresh.values == {"a": "mine"} and stale.conflicts == {"a": "stored"}
    assert not three_way(mine={"a": "stored"}, theirs={"a": "stored"}, base={}, current=False).conflicts


def test_a_shown_conflict_waits_for_a_choice_and_each_choice_does_what_it_says():
    stored = {"a": "theirs"}
    # The conflict page carries theirs as the base and the field as pending.
    waiting = three_way(mine={"a": "mine, edited"}, theirs=stored, base={"a": "theirs"}, current=True, pending={"a"})
    assert waiting.conflicts == {"a": "theirs"} and not waiting.values
    kept = three_way(mine={"a": "mine"}, theirs=stored, base={"a": "theirs"}, current=True, resolve={"a": BOTH}, pending={"a"})
    assert kept.values == {"a": "theirs\n\nmine"}
    assert three_way(mine={"a": "mine"}, theirs=stored, base={"a": "theirs"}, current=True, resolve={"a": MINE}, pending={"a"}).values == {
        "a": "mine"
    }
    took = three_way(mine={"a": "mine"}, theirs=stored, base={"a": "theirs"}, current=True, resolve={"a": THEIRS}, pending={"a"})
    assert not took.values and took.taken == {"a"}
    # Someone saved again meanwhile: the choice was about an older text, so it is asked again.
    again = three_way(mine={"a": "mine"}, theirs={"a": "newer"}, base={"a": "theirs"}, current=False, resolve={"a": MINE}, pending={"a"})
    assert again.conflicts == {"a": "newer"}


def test_a_choice_for_a_conflict_no_longer_shown_is_ignored():
    """A repeated 'keep both' (a button pressed twice, a stale page) must not join the texts twice."""
    merged = three_way(mine={"a": "x\n\ny"}, theirs={"a": "x\n\ny"}, base={"a": "x\n\ny"}, current=True, resolve={"a": BOTH})
    assert not merged.values and not merged.conflicts


def test_values_compare_as_text_across_types_and_line_endings():
    class User:
        pk = 7

    assert key(User()) == key(7) == "7"
    assert key(True) == "1" and key(False) == key(None) == ""
    assert key("a\r\nb") == key("a\nb")
    assert both(" theirs ", "") == "theirs" and both("", "mine") == "mine"
