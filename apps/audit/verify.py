"""Walk each county's hash chain, compare it with every signed checkpoint and report the first problem.

The chain alone shows a changed, missing or reordered entry, unless whoever changed it also
recomputed every later link and the head. The signed checkpoints (apps/audit/signing.py) show that
too: a rewrite of any entry up to a checkpoint changes the chain's hash at the checkpoint's entry.
Since each hash seals every entry before it, the earliest checkpoint that no longer matches and the
last one before it that still does bound the rewritten entries; entries after the last checkpoint
are checked by the chain alone until the next checkpoint is signed.
"""

from dataclasses import dataclass, field

from . import signing
from .chain import GENESIS, link_hash
from .models import AccessLogEntry, ChainHead


@dataclass
class ChainReport:
    county_id: int | None
    entries: int
    broken_seq: int | None = None
    reason: str = ""
    county_code: str = ""
    matched: int = 0  # signed checkpoints the chain matches
    anchor: signing.Checkpoint | None = None  # the last of them
    problems: list[str] = field(default_factory=list)  # checkpoint lines that cannot be trusted

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.problems

    @property
    def label(self) -> str:
        if self.county_id is None:
            return f"checkpoints of county {self.county_code!r}" if self.county_code else "checkpoint files"
        return f"county {self.county_id}" + (f" ({self.county_code})" if self.county_code else "")

    def summary(self) -> str:
        """The line an operator reads for an intact chain: what it is anchored by, if anything."""
        text = f"county {self.county_id}: {self.entries} entries, chain intact"
        if self.anchor is None and not self.entries:
            return text
        if self.anchor is None:
            return f"{text}; no signed checkpoint yet, so a rewrite of the whole chain would not show (run checkpoint_access_log)"
        later = self.entries - self.anchor.seq
        plural = "s" if self.matched != 1 else ""
        return (
            f"{text}; matches {self.matched} signed checkpoint{plural}, the last at entry {self.anchor.seq} "
            f"({self.anchor.signed_at_text}); {later} later entries checked by the chain alone"
        )


def _link_problem(entry, expected_seq: int, prev_hash: str) -> str:
    if entry.seq != expected_seq:
        return f"entry {expected_seq} is missing (next found: {entry.seq})"
    if entry.prev_hash != prev_hash:
        return "previous-hash link does not match the entry before it"
    if link_hash(entry, prev_hash) != entry.hash:
        return "entry contents do not match its hash (altered)"
    return ""


def _rewritten(bad: signing.Checkpoint, good: signing.Checkpoint | None) -> tuple[int, str]:
    """The first entry that may differ, and the message: a hash seals every entry before it, so the
    rewrite lies after the last checkpoint that matches and at or before the first that does not."""
    first = good.seq + 1 if good else 1
    span, were = (f"entry {first}", "was") if first == bad.seq else (f"entries {first}–{bad.seq}", "were")
    reason = (
        f"{span} {were} changed after being signed: the chain's links agree up to entry {bad.seq} (the later hashes were "
        f"recomputed), but its hash at entry {bad.seq} differs from the one signed at {bad.signed_at_text}. "
    )
    if good:
        reason += (
            f"The checkpoint of entry {good.seq} (signed at {good.signed_at_text}) still matches, so entries 1–{good.seq} are as signed. "
        )
    else:
        reason += "No earlier checkpoint narrows it down. "
    reason += f"Which of {span} differ the log alone cannot tell: compare with a backup taken before {bad.signed_at_text}."
    return first, reason


def verify_county_chain(county_id: int, *, chunk_size: int = 5000, checkpoints: signing.Loaded | None = None) -> ChainReport:
    """The chain and every signed checkpoint of the county (`checkpoints`: as read by signing.load;
    by default the configured directory)."""
    from apps.organisations.models import County

    if checkpoints is None:
        checkpoints = signing.load()
    code = County.objects.filter(pk=county_id).values_list("code", flat=True).first() or ""
    report = ChainReport(county_id, 0, county_code=code, problems=list(checkpoints.problems.get(code, [])) if code else [])
    signed = []
    for c in checkpoints.checkpoints.get(code, []) if code else []:
        if c.county_id == county_id:
            signed.append(c)
        else:
            report.problems.append(f"a checkpoint signed at {c.signed_at_text} names county {code} with id {c.county_id}, not {county_id}")
    pending = iter(signed)
    due = next(pending, None)

    prev_hash, expected_seq = GENESIS, 1
    rows = AccessLogEntry.objects.filter(county_id=county_id).order_by("seq")
    for entry in rows.iterator(chunk_size=chunk_size):
        report.entries += 1
        if problem := _link_problem(entry, expected_seq, prev_hash):
            report.broken_seq, report.reason = expected_seq, problem
            return report
        while due is not None and due.seq == entry.seq:
            if due.hash != entry.hash:
                report.broken_seq, report.reason = _rewritten(due, report.anchor)
                return report
            report.matched, report.anchor = report.matched + 1, due
            due = next(pending, None)
        prev_hash, expected_seq = entry.hash, expected_seq + 1
    last = expected_seq - 1
    head = ChainHead.objects.filter(county_id=county_id).first()
    if head is not None and (head.seq != last or head.hash != prev_hash):
        report.broken_seq, report.reason = expected_seq, f"chain ends at {last} but the head says {head.seq} (entries removed from the end)"
        return report
    if due is not None:
        sealed = signed[-1].seq
        span = f"entry {expected_seq} is" if expected_seq == sealed else f"entries {expected_seq}–{sealed} are"
        report.broken_seq = expected_seq
        report.reason = (
            f"{span} missing: the checkpoint signed at {due.signed_at_text} sealed the chain up to entry {due.seq}, "
            f"but it ends at entry {last} (entries were removed, or the database was restored from a backup older than that checkpoint)"
        )
    return report


def verify_all_chains(*, checkpoints: signing.Loaded | None = None) -> list[ChainReport]:
    """Every county's chain, and a report for checkpoints that name no county in this database."""
    from apps.organisations.models import County

    if checkpoints is None:
        checkpoints = signing.load()
    counties = dict(County.objects.order_by("id").values_list("id", "code"))
    reports = [verify_county_chain(cid, checkpoints=checkpoints) for cid in counties]
    known = set(counties.values())
    for code in sorted((set(checkpoints.checkpoints) | set(checkpoints.problems)) - known):
        report = ChainReport(None, 0, county_code=code, problems=list(checkpoints.problems.get(code, [])))
        if checkpoints.checkpoints.get(code):
            n = len(checkpoints.checkpoints[code])
            report.problems.append(f"{n} signed checkpoint(s) for county {code!r}, which this database does not have (was it removed?)")
        reports.append(report)
    return reports


def chain_extends(county_id: int, *, after_seq: int, after_hash: str, head_seq: int, head_hash: str, chunk_size: int = 5000) -> str:
    """Whether entries after_seq+1 … head_seq link onto `after_hash` and end in `head_hash` ("" if
    so, else why not): the checkpoint job signs a new head only on top of the last one it signed."""
    if head_seq < after_seq:
        return f"the chain ends at entry {head_seq}, before the last signed checkpoint (entry {after_seq})"
    prev_hash, expected_seq = after_hash, after_seq + 1
    rows = AccessLogEntry.objects.filter(county_id=county_id, seq__gt=after_seq, seq__lte=head_seq).order_by("seq")
    for entry in rows.iterator(chunk_size=chunk_size):
        if problem := _link_problem(entry, expected_seq, prev_hash):
            if expected_seq == after_seq + 1 and entry.seq == expected_seq and entry.prev_hash != prev_hash:
                problem += f" (entry {after_seq} is not what the last checkpoint signed)"
            return f"entry {expected_seq}: {problem}"
        prev_hash, expected_seq = entry.hash, expected_seq + 1
    if expected_seq - 1 != head_seq:
        return f"entry {expected_seq} is missing"
    if prev_hash != head_hash:
        return (
            f"the chain head's hash does not match entry {head_seq}"
            if head_seq > after_seq
            else "the chain head's hash differs from the last signed checkpoint"
        )
    return ""
