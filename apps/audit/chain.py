"""How one log entry is turned into its link in the county's hash chain."""

import hashlib
from datetime import UTC

GENESIS = "0" * 64

# The fields that are sealed into each link, in order. Adding a field here changes every hash:
# add new fields to the end and keep old entries verifiable by versioning if that is ever needed.
SEALED_FIELDS = (
    "county_id",
    "seq",
    "at",
    "kind",
    "actor_id",
    "actor_role",
    "action",
    "view_name",
    "purpose",
    "family_id",
    "person_id",
    "recipient",
    "legal_basis",
)


def canonical(value) -> str:
    """The text sealed for one field value: "" for None, UTC with microseconds for a datetime."""
    kind = type(value)
    if kind is str:  # most fields; str(value) is the value itself
        return value
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value)


_canonical = canonical


def link_hash_values(values, prev_hash: str, *, _str=str, _int=int, _sha256=hashlib.sha256) -> str:
    """The link for an entry whose SEALED_FIELDS values are given in order (bulk writers have
    them at hand; a value may already be its canonical text, which canonical leaves as it is).
    canonical's two fast paths are inlined: this runs once per entry of a generated history."""
    parts = [v if type(v) is _str else _str(v) if type(v) is _int else canonical(v) for v in values]
    return _sha256("\x1f".join([prev_hash, *parts]).encode()).hexdigest()


def link_hash(entry, prev_hash: str) -> str:
    return link_hash_values([getattr(entry, name) for name in SEALED_FIELDS], prev_hash)
