"""Sign each county's chain head and write it out: what `manage.py checkpoint_access_log` runs.

A new checkpoint is signed only on top of the county's last one: the entries appended since must
link onto the hash it signed (apps/audit/verify.chain_extends), so a rewrite made in between is
refused, never signed. The first checkpoint of a county walks its whole chain. Each checkpoint is
appended to the county's file outside the database (signing.append) and then copied into
LogCheckpoint for the auditor's download.
"""

from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from . import signing
from .chain import GENESIS
from .models import ChainHead, LogCheckpoint
from .verify import chain_extends


@dataclass
class Outcome:
    county_id: int
    county_code: str
    checkpoint: signing.Checkpoint | None = None
    path: Path | None = None
    refused: str = ""


def write_checkpoints(county_ids=None, *, directory: Path | None = None, walk: bool = True) -> list[Outcome]:
    """Sign and write a checkpoint for every county whose log has entries (or those of `county_ids`).

    `walk=False` signs the heads without walking from the last checkpoint: only for the demo
    generator, which has just chained those entries itself. Raises signing.SigningKeyMissing or
    signing.KeyConfigurationError when there is no usable key.
    """
    key = signing.signing_key()
    current = signing.key_id(key.public_key())
    keys = signing.public_keys()
    if current not in keys:
        raise signing.KeyConfigurationError(
            f"The signing key's public key ({current}) is not among the configured public keys ({', '.join(keys)}): "
            "its checkpoints would not verify. Add it to SYSTEEMI_LOG_PUBLIC_KEY_FILE (keep the old key there too)."
        )
    directory = directory or signing.checkpoint_dir()
    loaded = signing.load(directory, keys)
    heads = ChainHead.objects.filter(seq__gt=0).select_related("county").order_by("county_id")
    if county_ids is not None:
        heads = heads.filter(county_id__in=list(county_ids))
    outcomes = []
    for head in heads:
        code = head.county.code
        outcome = Outcome(head.county_id, code)
        outcomes.append(outcome)
        if problems := loaded.problems.get(code):
            outcome.refused = f"its checkpoint file has lines that do not verify ({problems[0]}); run verify_access_log"
            continue
        signed = [c for c in loaded.checkpoints.get(code, []) if c.county_id == head.county_id]
        last = max(signed, key=lambda c: (c.seq, c.signed_at), default=None)
        if walk:
            after_seq, after_hash = (last.seq, last.hash) if last else (0, GENESIS)
            if why := chain_extends(head.county_id, after_seq=after_seq, after_hash=after_hash, head_seq=head.seq, head_hash=head.hash):
                outcome.refused = f"the chain does not continue its last signed checkpoint: {why}; run verify_access_log"
                continue
        checkpoint = signing.sign(key, county=code, county_id=head.county_id, seq=head.seq, hash=head.hash, signed_at=timezone.now())
        outcome.path = signing.append(checkpoint, directory)
        outcome.checkpoint = checkpoint
        LogCheckpoint.objects.create(
            county_id=head.county_id,
            seq=checkpoint.seq,
            hash=checkpoint.hash,
            signed_at=checkpoint.signed_at_datetime,
            line=checkpoint.line(),
        )
    return outcomes
