"""Walk each county's hash chain and report the first broken link."""

from dataclasses import dataclass

from .chain import GENESIS, link_hash
from .models import AccessLogEntry, ChainHead


@dataclass
class ChainReport:
    county_id: int
    entries: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_county_chain(county_id: int, *, chunk_size: int = 5000) -> ChainReport:
    prev_hash, expected_seq, count = GENESIS, 1, 0
    rows = AccessLogEntry.objects.filter(county_id=county_id).order_by("seq")
    for entry in rows.iterator(chunk_size=chunk_size):
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(county_id, count, expected_seq, f"entry {expected_seq} is missing (next found: {entry.seq})")
        if entry.prev_hash != prev_hash:
            return ChainReport(county_id, count, entry.seq, "previous-hash link does not match the entry before it")
        if link_hash(entry, prev_hash) != entry.hash:
            return ChainReport(county_id, count, entry.seq, "entry contents do not match its hash (altered)")
        prev_hash, expected_seq = entry.hash, expected_seq + 1
    head = ChainHead.objects.filter(county_id=county_id).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return ChainReport(
            county_id, count, expected_seq, f"chain ends at {expected_seq - 1} but the head says {head.seq} (entries removed from the end)"
        )
    return ChainReport(county_id, count)


def verify_all_chains() -> list[ChainReport]:
    from apps.organisations.models import County

    return [verify_county_chain(cid) for cid in County.objects.order_by("id").values_list("id", flat=True)]
