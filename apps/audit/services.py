"""Writes to the access and disclosure log. Nothing else may write there."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .chain import GENESIS, SEALED_FIELDS, link_hash
from .models import AccessLogEntry, Action, ChainHead, EntryKind


@dataclass(frozen=True)
class Subject:
    family_id: int | None = None
    person_id: int | None = None


def _locked_head(county_id: int) -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(county_id=county_id).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            ChainHead.objects.create(county_id=county_id, seq=0, hash=GENESIS)
    except IntegrityError:
        pass  # another request created it first
    return ChainHead.objects.select_for_update().get(county_id=county_id)


@dataclass(frozen=True)
class LogLine:
    """One reason to log in one request: who acted in which capacity, what they did through which
    view, and whose data (one entry per subject)."""

    actor_role: str
    action: str
    view_name: str
    purpose: str
    subjects: tuple
    kind: str = EntryKind.ACCESS
    recipient: str = ""
    legal_basis: str = ""


def access_log_append(
    *,
    actor,
    county_id: int,
    actor_role: str,
    action: str,
    view_name: str,
    purpose: str,
    subjects: Iterable[Subject],
    kind: str = EntryKind.ACCESS,
    recipient: str = "",
    legal_basis: str = "",
) -> list[AccessLogEntry]:
    """Append one entry per subject to the county's chain, atomically."""
    line = LogLine(actor_role, action, view_name, purpose, tuple(subjects), kind, recipient, legal_basis)
    return access_log_append_lines(actor=actor, county_id=county_id, lines=[line])


def access_log_append_lines(*, actor, county_id: int, lines: Iterable[LogLine]) -> list[AccessLogEntry]:
    """Append the entries of several lines in one go: one chain-head lock and one INSERT for all
    that a request showed (apps/audit/ledger.py), in the order given."""
    lines = [line for line in lines if line.subjects]
    if not lines:
        return []
    now = timezone.now()
    with transaction.atomic():
        head = _locked_head(county_id)
        entries = []
        prev_hash, seq = head.hash, head.seq
        for line in lines:
            for subject in line.subjects:
                seq += 1
                entry = AccessLogEntry(
                    county_id=county_id,
                    seq=seq,
                    at=now,
                    kind=line.kind,
                    actor_id=actor.pk,
                    actor_role=line.actor_role,
                    action=line.action,
                    view_name=line.view_name,
                    purpose=line.purpose,
                    family_id=subject.family_id,
                    person_id=subject.person_id,
                    recipient=line.recipient,
                    legal_basis=line.legal_basis,
                    prev_hash=prev_hash,
                )
                entry.hash = prev_hash = link_hash(entry, prev_hash)
                entries.append(entry)
        _insert(entries, head=(head.pk, seq, prev_hash))
        for entry in entries:  # stored, though without their ids: nothing reads them back
            entry._state.adding, entry._state.db = False, connection.alias
    return entries


# A page that lists 55 families writes 55 entries on every view; bulk_create's per-field
# preparation cost more than the hashing (5 of 9 ms per team page, issue 8). The values are
# plain ints and strings but for `at`, adapted once; ROWS_PER_INSERT keeps each statement far
# below SQLite's 32,766 parameters.
INSERT_COLUMNS = (*SEALED_FIELDS, "prev_hash", "hash")
AT = INSERT_COLUMNS.index("at")
ROWS_PER_INSERT = 500


def _insert(entries: list[AccessLogEntry], *, head: tuple[int, int, str]) -> None:
    """Insert the entries and move the county's chain head (`head`: its key, new seq and hash)."""
    head_pk, seq, last_hash = head
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in INSERT_COLUMNS)
    at = connection.ops.adapt_datetimefield_value(entries[0].at)
    rows = []
    for e in entries:
        values = [getattr(e, c) for c in INSERT_COLUMNS]
        values[AT] = at  # as the database stores it (SQLite: text in UTC)
        rows.append(values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column: a short statement however many rows (the server parsed 825
            # placeholders for a 55-family list: 5.2-5.8 -> 2.8-3.5 ms, median of 100 team pages).
            # The head moves in the same statement (a data-modifying WITH): one round trip fewer
            # on every page that shows personal data.
            casts = ", ".join(f"%s::{AccessLogEntry._meta.get_field(c).db_type(connection)}[]" for c in INSERT_COLUMNS)
            cursor.execute(
                f"WITH appended AS (INSERT INTO {table} ({columns}) SELECT * FROM unnest({casts})) "  # noqa: S608  # nosec B608 - names and types from the model
                f"UPDATE {connection.ops.quote_name(ChainHead._meta.db_table)} SET seq = %s, hash = %s WHERE county_id = %s",
                [*(list(col) for col in zip(*rows, strict=True)), seq, last_hash, head_pk],
            )
            return
        row = "(" + ", ".join(["%s"] * len(INSERT_COLUMNS)) + ")"
        for start in range(0, len(rows), ROWS_PER_INSERT):
            batch = rows[start : start + ROWS_PER_INSERT]
            params = [value for values in batch for value in values]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(batch))}", params)  # noqa: S608  # nosec B608 - names from the model
    ChainHead.objects.filter(pk=head_pk).update(seq=seq, hash=last_hash)


def disclosure_log_append(*, actor, county_id, actor_role, view_name, recipient, legal_basis, subjects):
    """An export hands data out of the system: record it as a disclosure (luovutus)."""
    return access_log_append(
        actor=actor,
        county_id=county_id,
        actor_role=actor_role,
        action=Action.EXPORT,
        view_name=view_name,
        purpose="export",
        subjects=subjects,
        kind=EntryKind.DISCLOSURE,
        recipient=recipient,
        legal_basis=legal_basis,
    )
