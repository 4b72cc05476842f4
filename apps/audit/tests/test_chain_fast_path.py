"""chain.canonical's fast paths (exact str and int) seal the same bytes as the original rule."""

import datetime
import hashlib
import random
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from apps.audit.chain import GENESIS, SEALED_FIELDS, canonical, link_hash, link_hash_values
from apps.audit.models import Action, EntryKind


def _reference_canonical(value) -> str:
    """The rule as first written (commit 'audit: hash chain'): kept here to compare against."""
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value)


def _reference_link_hash(entry, prev_hash: str) -> str:
    payload = "\x1f".join([prev_hash] + [_reference_canonical(getattr(entry, name)) for name in SEALED_FIELDS])
    return hashlib.sha256(payload.encode()).hexdigest()


def _entries(n: int):
    rng = random.Random(8)
    zones = [datetime.UTC, ZoneInfo("Europe/Helsinki"), ZoneInfo("America/New_York")]
    for seq in range(1, n + 1):
        at = datetime.datetime(2024, 1, 1, tzinfo=rng.choice(zones)) + datetime.timedelta(
            seconds=rng.randint(0, 10**8), microseconds=rng.choice((0, rng.randint(0, 999_999)))
        )
        yield SimpleNamespace(
            county_id=rng.randint(1, 30),
            seq=seq,
            at=at,
            kind=rng.choice([EntryKind.ACCESS, EntryKind.DISCLOSURE, "access", "disclosure"]),
            actor_id=rng.randint(1, 10**6),
            actor_role=rng.choice(["social_worker", "consultant,coordinator", "grant", "", "åäö ✓"]),
            action=rng.choice([*Action, "view"]),
            view_name=rng.choice(["family-detail", "audit-person-log-export", "x\x1fy"]),
            purpose=rng.choice(["client_work", "log_audit", ""]),
            family_id=rng.choice([None, rng.randint(1, 10**9)]),
            person_id=rng.choice([None, rng.randint(1, 10**9), True, 0]),
            recipient=rng.choice(["", "Huoltaja", None]),
            legal_basis=rng.choice(["", "Asiakastietolaki 703/2023", 7.5]),
        )


def test_new_rule_seals_the_same_bytes_as_the_reference():
    prev_ref = prev_new = GENESIS
    for entry in _entries(3000):
        for name in SEALED_FIELDS:
            value = getattr(entry, name)
            assert canonical(value) == _reference_canonical(value)
        ref = _reference_link_hash(entry, prev_ref)
        new = link_hash(entry, prev_new)
        assert new == ref
        values = [getattr(entry, name) for name in SEALED_FIELDS]
        assert link_hash_values(values, prev_ref) == ref
        # A bulk writer may hand the timestamp over as its canonical text already.
        values[SEALED_FIELDS.index("at")] = canonical(entry.at)
        assert link_hash_values(values, prev_ref) == ref
        prev_ref, prev_new = ref, new
