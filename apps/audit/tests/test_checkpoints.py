"""The access log anchored outside the database: a rewrite with recomputed hashes is named.

The attacker here has the database (drops the append-only triggers, edits an entry, recomputes
every later link and the chain head) but not the signing key, which lives outside it.
"""

import base64
import io
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from apps.audit import db_guard, signing
from apps.audit.chain import GENESIS, link_hash
from apps.audit.models import AccessLogEntry, ChainHead, LogCheckpoint
from apps.audit.services import Subject, access_log_append
from apps.audit.verify import verify_county_chain


def _append(world, n):
    return access_log_append(
        actor=world.worker,
        county_id=world.county.pk,
        actor_role="social_worker",
        action="view",
        view_name="family-detail",
        purpose="client_work",
        subjects=[Subject(world.family.pk, None)] * n,
    )


def _checkpoint():
    out = io.StringIO()
    call_command("checkpoint_access_log", stdout=out)
    return out.getvalue()


def _verify(*args):
    """(exit code, stdout, stderr) of `manage.py verify_access_log`."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_access_log", *args, stdout=out, stderr=err)
    except CommandError:
        return 1, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _drop_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks before DDL
    db_guard.remove(connection)


def _rewrite(county_id, seq, purpose):
    """Someone with database access and no key: change one entry's purpose, recompute every later
    link and the chain head, so the chain on its own is consistent again."""
    _drop_triggers()
    prev = AccessLogEntry.objects.get(county_id=county_id, seq=seq - 1).hash if seq > 1 else GENESIS
    table = AccessLogEntry._meta.db_table
    with connection.cursor() as cursor:
        for entry in AccessLogEntry.objects.filter(county_id=county_id, seq__gte=seq).order_by("seq"):
            if entry.seq == seq:
                entry.purpose = purpose
            entry.prev_hash, entry.hash = prev, link_hash(entry, prev)
            prev = entry.hash
            cursor.execute(
                f"UPDATE {table} SET purpose = %s, prev_hash = %s, hash = %s WHERE id = %s",  # noqa: S608
                [entry.purpose, entry.prev_hash, entry.hash, entry.pk],
            )
    ChainHead.objects.filter(county_id=county_id).update(hash=prev)


@pytest.fixture
def anchored(world):
    """Entries 1-5, a checkpoint, entries 6-10, a checkpoint, entries 11-12 not yet checkpointed."""
    _append(world, 5)
    _checkpoint()
    _append(world, 5)
    _checkpoint()
    _append(world, 2)
    return world


def test_an_untouched_chain_verifies_against_every_checkpoint(anchored):
    code, out, err = _verify()
    assert code == 0, err
    assert (
        f"county {anchored.county.pk}: 12 entries, chain intact; matches 2 signed checkpoints, the last at entry 10" in out
        and "2 later entries checked by the chain alone" in out
    )
    assert LogCheckpoint.objects.filter(county=anchored.county).count() == 2


@pytest.mark.parametrize(
    ("forged", "named"),
    [
        (7, ["BROKEN at entry 6", "entries 6–10 were changed after being signed", "checkpoint of entry 5", "entries 1–5 are as signed"]),
        (3, ["BROKEN at entry 1", "entries 1–5 were changed after being signed", "No earlier checkpoint"]),
    ],
)
def test_a_rewrite_with_recomputed_hashes_is_named_with_its_range(anchored, forged, named):
    county = anchored.county
    _rewrite(county.pk, forged, "muutettu")
    assert AccessLogEntry.objects.get(county=county, seq=forged).purpose == "muutettu"
    # The forgery is complete as far as the chain can tell: without checkpoints it verifies.
    assert verify_county_chain(county.pk, checkpoints=signing.Loaded()).ok

    code, out, err = _verify()
    assert code != 0
    assert f"county {county.pk} (testila): BROKEN at entry" in err
    for text in named:
        assert text in err, err
    assert "chain intact" not in out.split(f"county {anchored.other_county.pk}")[0]


def test_the_checkpoint_job_refuses_to_sign_a_rewritten_chain(anchored):
    _rewrite(anchored.county.pk, 7, "muutettu")
    before = signing.county_file("testila").read_text()
    with pytest.raises(CommandError, match="not signed"):
        _checkpoint()
    assert signing.county_file("testila").read_text() == before
    assert LogCheckpoint.objects.filter(county=anchored.county).count() == 2


def test_a_forged_checkpoint_fails_signature_verification(anchored):
    """The attacker also edits the checkpoint file to the rewritten chain's hash, or signs it anew
    with a key of their own: neither verifies with the configured public key."""
    county = anchored.county
    _rewrite(county.pk, 7, "muutettu")
    path = signing.county_file("testila")
    lines = path.read_text().splitlines()
    edited = json.loads(lines[1])
    edited["hash"] = AccessLogEntry.objects.get(county=county, seq=10).hash
    path.write_text("\n".join([lines[0], json.dumps(edited)]) + "\n")

    code, _out, err = _verify()
    assert code != 0
    assert "CHECKPOINT NOT TRUSTED: testila.jsonl line 2: its signature does not verify: the checkpoint was forged or altered" in err

    own_key = Ed25519PrivateKey.generate()
    resigned = signing.sign(own_key, county="testila", county_id=county.pk, seq=10, hash=edited["hash"], signed_at=timezone.now())
    path.write_text(lines[0] + "\n" + resigned.line() + "\n")
    code, _out, err = _verify()
    assert code != 0
    assert f"testila.jsonl line 2: signed with key {signing.key_id(own_key.public_key())}, which is not a configured public key" in err


def test_entries_after_the_last_checkpoint_are_still_checked_by_the_chain(anchored):
    county = anchored.county
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_accesslogentry SET purpose = 'muutettu' WHERE county_id = {county.pk} AND seq = 11")
    code, _out, err = _verify()
    assert code != 0
    assert f"county {county.pk} (testila): BROKEN at entry 11: entry contents do not match its hash (altered)" in err


def test_entries_removed_below_a_checkpoint_are_named(anchored):
    """The tail cut back to entry 8 and the head moved with it: the chain alone looks whole."""
    county = anchored.county
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM audit_accesslogentry WHERE county_id = {county.pk} AND seq > 8")
    ChainHead.objects.filter(county=county).update(seq=8, hash=AccessLogEntry.objects.get(county=county, seq=8).hash)
    assert verify_county_chain(county.pk, checkpoints=signing.Loaded()).ok
    code, _out, err = _verify()
    assert code != 0
    assert "BROKEN at entry 9: entries 9–10 are missing" in err and "sealed the chain up to entry 10" in err


def test_checkpoints_of_a_county_the_database_lacks_are_reported(anchored):
    other = signing.county_file("testila").read_text().replace('"county":"testila"', '"county":"poistettu"')
    signing.county_file("poistettu").write_text(other)
    code, _out, err = _verify()
    assert code != 0 and "checkpoints of county 'poistettu'" in err and "signature does not verify" in err


def test_outside_demo_mode_signing_needs_a_configured_key_and_verifying_only_the_public_key(world, settings, tmp_path, monkeypatch):
    _append(world, 3)
    settings.DEMO = False
    monkeypatch.delenv(signing.SIGNING_KEY_ENV, raising=False)
    with pytest.raises(CommandError, match="SYSTEEMI_LOG_SIGNING_KEY_FILE") as refused:
        _checkpoint()
    assert "openssl genpkey -algorithm ed25519" in str(refused.value)

    key = Ed25519PrivateKey.generate()
    key_file = tmp_path / "log-signing-key.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    settings.SYSTEEMI_LOG_SIGNING_KEY_FILE = str(key_file)
    assert "signed entry 3" in _checkpoint()

    # The verifier holds the public key only.
    settings.SYSTEEMI_LOG_SIGNING_KEY_FILE = ""
    code, _out, err = _verify()
    assert code != 0 and "no public key is configured to verify it" in err
    public_file = tmp_path / "log-public-key.pem"
    public_file.write_text(signing.public_pem(key.public_key()))
    settings.SYSTEEMI_LOG_PUBLIC_KEY_FILE = str(public_file)
    code, out, err = _verify()
    assert code == 0, err
    assert "matches 1 signed checkpoint, the last at entry 3" in out

    # The same key as an environment secret (raw 32 bytes in base64) signs too.
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    monkeypatch.setenv(signing.SIGNING_KEY_ENV, base64.b64encode(raw).decode())
    assert "signed entry 3" in _checkpoint()

    # A signing key whose public half the verifiers do not have is refused before it signs anything.
    monkeypatch.setenv(signing.SIGNING_KEY_ENV, signing.public_pem(Ed25519PrivateKey.generate().public_key()))
    with pytest.raises(CommandError, match="not an unencrypted Ed25519 private key"):
        _checkpoint()
    other = Ed25519PrivateKey.generate()
    monkeypatch.setenv(
        signing.SIGNING_KEY_ENV,
        other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode(),
    )
    with pytest.raises(CommandError, match="not among the configured public keys"):
        _checkpoint()
