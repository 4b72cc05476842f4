"""Saving shared state that someone else may have saved meanwhile: a three-way merge per field.

A form that edits shared state carries the version it was read at and, for each field, the value it
was read with (its base). On save each field is compared with what is stored now (theirs):

- theirs is still the base: nobody else changed it, so mine is saved;
- mine is still the base: only someone else changed it, so theirs stays (and the form shows it);
- both changed it, differently: a conflict. Nothing is overwritten; the form shows both values and
  the person chooses (keep both, mine or theirs). Until they do, the field is left as stored.

A field whose base the form did not send is judged by the version alone: read at the current
version, its base is what is stored; read at an older one, any difference is a conflict. Values are
compared as text (`key`), so a select's id, a checkbox and a typed text compare alike and line
endings from a browser (CRLF) equal the stored ones (LF).
"""

from dataclasses import dataclass, field

BOTH, MINE, THEIRS = "both", "mine", "theirs"
RESOLUTIONS = (BOTH, MINE, THEIRS)


def text(value: str) -> str:
    """Line endings as stored: a browser sends a textarea's lines with CRLF."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def key(value) -> str:
    """A field's value as the text it is compared by (and carried in a form as its base)."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if hasattr(value, "pk"):
        return str(value.pk)
    return text(str(value))


def both(theirs: str, mine: str) -> str:
    """'Keep both': their text first (it was saved first), then mine, a blank line between."""
    return "\n\n".join(part for part in (text(theirs).strip(), text(mine).strip()) if part)


@dataclass
class Merged:
    values: dict = field(default_factory=dict)  # field -> the value to store (mine, or both texts)
    conflicts: dict = field(default_factory=dict)  # field -> theirs, left as stored until resolved
    taken: set = field(default_factory=set)  # fields where theirs stays although the form had mine

    @property
    def changed(self) -> bool:
        return bool(self.values)


def three_way(*, mine: dict, theirs: dict, base: dict, current: bool, resolve=None, pending=()) -> Merged:
    """Merge `mine` (field -> value from the form) into `theirs` (field -> stored value).

    `base`: field -> key of the value the form was read with (missing: unknown); `current`: was the
    form read at the stored version; `resolve`: field -> BOTH / MINE / THEIRS, the person's choice
    for a conflict shown before (its base is then the other text they saw); `pending`: fields with
    a conflict shown and not yet resolved, which stay as stored.
    """
    resolve = resolve or {}
    merged = Merged()
    for name, value in mine.items():
        stored = theirs[name]
        b = base.get(name)
        if b is None and current:
            b = key(stored)
        # A choice counts only for a conflict the form still shows (a repeated or stale button
        # press must not join the two texts twice).
        choice = resolve.get(name) if name in pending else None
        if choice == THEIRS:
            merged.taken.add(name)
            continue
        if choice == BOTH:
            value = both(b or "", value or "")
        elif choice is None and name in pending:
            merged.conflicts[name] = stored
            continue
        if key(value) == key(stored):
            continue
        if b is not None and key(stored) == b:
            merged.values[name] = value
        elif b is not None and key(value) == b:
            merged.taken.add(name)
        else:
            merged.conflicts[name] = stored
    return merged
