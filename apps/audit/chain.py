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


def _canonical(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value)


def link_hash(entry, prev_hash: str) -> str:
    payload = "\x1f".join([prev_hash] + [_canonical(getattr(entry, name)) for name in SEALED_FIELDS])
    return hashlib.sha256(payload.encode()).hexdigest()
