"""Writes to the access and disclosure log. Nothing else may write there."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from .chain import GENESIS, link_hash
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
    subjects = list(subjects)
    if not subjects:
        return []
    now = timezone.now()
    with transaction.atomic():
        head = _locked_head(county_id)
        entries = []
        prev_hash, seq = head.hash, head.seq
        for subject in subjects:
            seq += 1
            entry = AccessLogEntry(
                county_id=county_id,
                seq=seq,
                at=now,
                kind=kind,
                actor_id=actor.pk,
                actor_role=actor_role,
                action=action,
                view_name=view_name,
                purpose=purpose,
                family_id=subject.family_id,
                person_id=subject.person_id,
                recipient=recipient,
                legal_basis=legal_basis,
                prev_hash=prev_hash,
            )
            entry.hash = prev_hash = link_hash(entry, prev_hash)
            entries.append(entry)
        AccessLogEntry.objects.bulk_create(entries)
        ChainHead.objects.filter(pk=head.pk).update(seq=seq, hash=prev_hash)
    return entries


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
