"""Signed checkpoints of the access log: the keys, the signed text and the files outside the database.

The hash chain shows a change to one entry by breaking every later link, but whoever can write the
database can also recompute every later link and the chain head. A checkpoint signs one county's
head (entry number and that entry's hash) and the time with an Ed25519 key the database never
holds, and is appended to a file outside the database: rewriting any entry up to the checkpoint
changes the hash at the checkpoint's entry, and a checkpoint for the new hash cannot be made
without the key. Verification trusts only these files and the public key (apps/audit/verify.py).
Each county has one append-only file of JSON lines, `<county code>.jsonl`.
"""

import base64
import binascii
import contextlib
import datetime
import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

# Names the signed text's layout; a verifier refuses any other (domain separation: a signature
# made by this key for anything else is never a valid checkpoint).
FORMAT = "systeemi-access-log-checkpoint/1"
SIGNING_KEY_ENV = "SYSTEEMI_LOG_SIGNING_KEY"
DEMO_KEY_NAME = "log-signing-key.pem"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_PEM_PUBLIC = re.compile(rb"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL)


class SigningKeyMissing(Exception):
    pass


class KeyConfigurationError(Exception):
    pass


@dataclass(frozen=True)
class Checkpoint:
    county: str  # the county's code
    county_id: int
    seq: int  # the chain's last entry when signed
    hash: str  # that entry's hash
    signed_at: str  # UTC, microseconds, "Z"
    key: str  # key_id() of the public key that verifies the signature
    signature: str = ""  # base64 of the Ed25519 signature over message()
    format: str = FORMAT

    def message(self) -> bytes:
        return "\x1f".join([self.format, self.county, str(self.county_id), str(self.seq), self.hash, self.signed_at]).encode()

    def line(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @property
    def signed_at_datetime(self) -> datetime.datetime:
        return datetime.datetime.strptime(self.signed_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.UTC)

    @property
    def signed_at_text(self) -> str:
        """For messages: to the second, in UTC."""
        return f"{self.signed_at_datetime:%Y-%m-%d %H:%M:%S} UTC"


# ---- keys ---------------------------------------------------------------------------------------


def key_id(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def _private_key(data: bytes, where: str) -> Ed25519PrivateKey:
    """A PEM (PKCS#8, as `openssl genpkey -algorithm ed25519` writes it) or the raw 32 bytes in base64."""
    data = data.strip()
    try:
        if data.startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(data, password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(data, validate=True))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise KeyConfigurationError(f"{where} is not an unencrypted Ed25519 private key ({exc}).") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyConfigurationError(f"{where} is not an Ed25519 key.")
    return key


def _public_keys(data: bytes, where: str) -> list[Ed25519PublicKey]:
    """One or more PEM public keys (a retired key stays beside the current one so the checkpoints it
    signed still verify), or raw 32-byte keys in base64, one per line."""
    blocks = _PEM_PUBLIC.findall(data)
    keys = []
    try:
        if blocks:
            keys = [serialization.load_pem_public_key(block) for block in blocks]
        else:
            keys = [Ed25519PublicKey.from_public_bytes(base64.b64decode(word, validate=True)) for word in data.split()]
    except (ValueError, TypeError, binascii.Error) as exc:
        raise KeyConfigurationError(f"{where} holds no readable Ed25519 public key ({exc}).") from None
    if not keys or not all(isinstance(k, Ed25519PublicKey) for k in keys):
        raise KeyConfigurationError(f"{where} holds no Ed25519 public key.")
    return keys


def demo_key_path() -> Path:
    return Path(settings.VAR_DIR) / DEMO_KEY_NAME


def _demo_signing_key() -> Ed25519PrivateKey:
    """Demo mode only: a key generated once into var/, like the demo's SECRET_KEY."""
    path = demo_key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".log-signing-key-")  # readable by its owner only
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(pem)
                f.flush()
                os.fsync(f.fileno())
            # Whole or not at all, and never over a key another process made first.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            os.unlink(tmp)
    return _private_key(path.read_bytes(), str(path))


def _configured_signing_key() -> Ed25519PrivateKey | None:
    # The secret is read from the environment when signing and never copied into settings.
    if secret := os.environ.get(SIGNING_KEY_ENV, ""):
        return _private_key(secret.encode(), SIGNING_KEY_ENV)
    if path := settings.SYSTEEMI_LOG_SIGNING_KEY_FILE:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise KeyConfigurationError(f"SYSTEEMI_LOG_SIGNING_KEY_FILE cannot be read: {exc}") from None
        return _private_key(data, path)
    return None


def signing_key() -> Ed25519PrivateKey:
    key = _configured_signing_key()
    if key is not None:
        return key
    if settings.DEMO:
        return _demo_signing_key()
    raise SigningKeyMissing(
        "No key to sign access-log checkpoints with. Set SYSTEEMI_LOG_SIGNING_KEY_FILE to an Ed25519 private key "
        "in PEM (make one with `openssl genpkey -algorithm ed25519 -out log-signing-key.pem`) or the secret "
        f"{SIGNING_KEY_ENV} to its contents. Keep the key off the database server and out of its backups: "
        "whoever holds it can sign a rewritten log."
    )


def public_keys() -> dict[str, Ed25519PublicKey]:
    """The keys checkpoints are verified with, by key id: the configured public key(s); else the
    public half of the configured signing key; in demo mode that of the demo key, if one was made."""
    configured = []
    if settings.SYSTEEMI_LOG_PUBLIC_KEY:
        configured += _public_keys(settings.SYSTEEMI_LOG_PUBLIC_KEY.encode(), "SYSTEEMI_LOG_PUBLIC_KEY")
    if path := settings.SYSTEEMI_LOG_PUBLIC_KEY_FILE:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise KeyConfigurationError(f"SYSTEEMI_LOG_PUBLIC_KEY_FILE cannot be read: {exc}") from None
        configured += _public_keys(data, path)
    if not configured:
        private = _configured_signing_key()
        if private is None and settings.DEMO and demo_key_path().exists():
            private = _demo_signing_key()
        if private is not None:
            configured.append(private.public_key())
    return {key_id(k): k for k in configured}


def public_keys_from_file(path: Path) -> dict[str, Ed25519PublicKey]:
    """For a verifier who brings their own copy of the public key (`verify_access_log --public-key`)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KeyConfigurationError(f"{path} cannot be read: {exc}") from None
    return {key_id(k): k for k in _public_keys(data, str(path))}


# ---- signing and checking one checkpoint --------------------------------------------------------


def utc_stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sign(key: Ed25519PrivateKey, *, county: str, county_id: int, seq: int, hash: str, signed_at: datetime.datetime) -> Checkpoint:
    unsigned = Checkpoint(
        county=county, county_id=county_id, seq=seq, hash=hash, signed_at=utc_stamp(signed_at), key=key_id(key.public_key())
    )
    signature = base64.b64encode(key.sign(unsigned.message())).decode()
    return Checkpoint(**{**asdict(unsigned), "signature": signature})


_FIELDS = {"format": str, "county": str, "county_id": int, "seq": int, "hash": str, "signed_at": str, "key": str, "signature": str}


def parse(line: str) -> tuple[Checkpoint | None, str, str]:
    """(checkpoint, county code as far as it can be read, why it is not one)."""
    try:
        data = json.loads(line)
    except ValueError:
        return None, "", "not JSON"
    if not isinstance(data, dict):
        return None, "", "not a JSON object"
    county = data.get("county") if isinstance(data.get("county"), str) else ""
    for name, kind in _FIELDS.items():
        value = data.get(name)
        if type(value) is not kind:
            return None, county, f"no valid {name!r}"
    if data["format"] != FORMAT:
        return None, county, f"unknown format {data['format']!r}"
    if data["seq"] < 1 or not _HEX64.fullmatch(data["hash"]):
        return None, county, "no valid entry number or hash"
    checkpoint = Checkpoint(**{name: data[name] for name in _FIELDS})
    try:
        checkpoint.signed_at_datetime  # noqa: B018 - parses or raises
    except ValueError:
        return None, county, "no valid signing time"
    return checkpoint, county, ""


def signature_problem(checkpoint: Checkpoint, keys: dict[str, Ed25519PublicKey]) -> str:
    if not keys:
        return "no public key is configured to verify it (SYSTEEMI_LOG_PUBLIC_KEY_FILE)"
    public_key = keys.get(checkpoint.key)
    if public_key is None:
        return f"signed with key {checkpoint.key}, which is not a configured public key"
    try:
        public_key.verify(base64.b64decode(checkpoint.signature, validate=True), checkpoint.message())
    except (InvalidSignature, ValueError, binascii.Error):
        return "its signature does not verify: the checkpoint was forged or altered"
    return ""


# ---- files --------------------------------------------------------------------------------------


def checkpoint_dir() -> Path:
    return Path(settings.SYSTEEMI_LOG_CHECKPOINT_DIR)


def county_file(code: str, directory: Path | None = None) -> Path:
    return (directory or checkpoint_dir()) / f"{code}.jsonl"


def append(checkpoint: Checkpoint, directory: Path | None = None) -> Path:
    """Append one line to the county's file and flush it to disk before anyone relies on it."""
    path = county_file(checkpoint.county, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    # One write() of one short line in append mode: lines from concurrent runs never interleave.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, (checkpoint.line() + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


@dataclass
class Loaded:
    """Every checkpoint line read, sorted out: those whose signature verifies, by county code, and
    the problems with the rest, by the county code they name ("" when none can be read)."""

    checkpoints: dict[str, list[Checkpoint]] = field(default_factory=dict)
    problems: dict[str, list[str]] = field(default_factory=dict)
    source: Path | None = None

    def problem(self, county: str, text: str) -> None:
        self.problems.setdefault(county, []).append(text)

    @property
    def lines(self) -> int:
        return sum(len(v) for v in self.checkpoints.values()) + sum(len(v) for v in self.problems.values())


def load(source: Path | None = None, keys: dict[str, Ed25519PublicKey] | None = None) -> Loaded:
    """Read a checkpoint directory (every *.jsonl in it) or one file, checking each line's signature."""
    source = Path(source) if source is not None else checkpoint_dir()
    keys = public_keys() if keys is None else keys
    loaded = Loaded(source=source)
    if source.is_dir():
        files = sorted(source.glob("*.jsonl"))
    elif source.exists():
        files = [source]
    else:
        files = []
    for path in files:
        with path.open(encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                checkpoint, county, why = parse(line)
                if checkpoint is not None:
                    why = signature_problem(checkpoint, keys)
                if why:
                    loaded.problem(county, f"{path.name} line {number}: {why}")
                else:
                    loaded.checkpoints.setdefault(checkpoint.county, []).append(checkpoint)
    for items in loaded.checkpoints.values():
        items.sort(key=lambda c: (c.seq, c.signed_at))
    return loaded


def retire(codes, directory: Path | None = None) -> list[Path]:
    """Move the counties' checkpoint files aside (kept, no longer read). Only for the demo: its
    generated counties are new to this database, so a file under one of their codes was written for
    another database; and the demo's own history goes when its data set is deleted unused."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    moved = []
    for code in codes:
        path = county_file(code, directory)
        target = path.with_name(f"{path.name}.retired-{stamp}")
        try:
            path.rename(target)
        except FileNotFoundError:
            continue
        moved.append(target)
    return moved
