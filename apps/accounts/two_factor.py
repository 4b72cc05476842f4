"""Second factor for every professional: authenticator app (TOTP), passkeys (WebAuthn), recovery codes.

Devices are django-otp devices. A session is verified once `django_otp.login()` has stored the
device that verified it (OTPMiddleware then sets `request.user.is_verified()`); the gate in
`middleware.py` sends every other signed-in session here. Recovery codes are a django-otp static
device whose tokens are stored as keyed digests, never as the codes themselves: the codes are
shown once, when they are made.
"""

import base64
import logging
import secrets
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

logger = logging.getLogger("systeemi.security")

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"
TOTP_DEVICE_NAME = "Todennussovellus"
# Shown codes carry a dash in the middle ("abcde-fghij"); users may type it or not.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i look-alikes
_RECOVERY_LENGTH = 10
# The demo users' authenticator-app secret, published in the README (demo mode only). A device
# with this secret never verifies anything outside demo mode.
# bandit B105: the published demo TOTP secret, refused outside demo mode
DEMO_TOTP_SECRET = "SYSTEEMIDEMOTOTPSYSTEEMIDEMOTOTP"  # nosec B105


def demo_totp_key() -> str:
    """The demo secret in django-otp's hex form."""
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def primary_devices(user) -> list[Device]:
    """Confirmed devices that can verify a login on their own: authenticator apps and passkeys."""
    return [d for d in devices_for_user(user, confirmed=True) if not isinstance(d, StaticDevice)]


def has_second_factor(user) -> bool:
    return bool(primary_devices(user))


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def may_add_device(request) -> bool:
    """A first device needs only the password; another one needs a verified session.

    Otherwise a stolen password alone would be enough to add the thief's own authenticator.
    """
    return request.user.is_verified() or not has_second_factor(request.user)


# ---- authenticator app (TOTP) ----------------------------------------------------------------


def pending_totp_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator-app device, made on first use and kept until confirmed.

    Reloading the enrolment page shows the same secret, so a code scanned once stays valid.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The base32 secret for typing into an app by hand, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg_data_uri(text: str) -> str:
    """A QR code as an SVG data: URI (the Content Security Policy allows data: images)."""
    return segno.make(text, error="m").svg_data_uri(scale=5, border=2, dark="#000", light="#fff")


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@dataclass
class Verification:
    device: Device | None = None
    throttled: bool = False
    wait_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None


def _checked(device: Device, token: str) -> Verification:
    """Verify one token against one device, locked for update so that throttling and one-time use hold."""
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, info = locked.verify_is_allowed()
        if not allowed:
            wait = 0
            if info and info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and info.get("locked_until"):
                wait = max(1, int((info["locked_until"] - timezone.now()).total_seconds()))
            return Verification(throttled=True, wait_seconds=wait)
        if locked.verify_token(token):
            return Verification(device=locked)
    return Verification()


def confirm_totp(request, device: TOTPDevice, code: str) -> Verification:
    """Confirm a new authenticator app with a code it shows. A wrong code changes nothing else."""
    token = normalise_code(code)
    if not token.isdigit():
        return Verification()
    result = _checked(device, token)
    if result.ok:
        with transaction.atomic():
            TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
            result.device.confirmed = True
        otp_login(request, result.device)
        logger.info("two-factor: user %s enrolled an authenticator app", request.user.pk)
    else:
        logger.info("two-factor: user %s gave a wrong code while enrolling an authenticator app", request.user.pk)
    return result


def verify_code(request, code: str) -> Verification:
    """Verify the session with an authenticator-app code or a recovery code.

    A six-digit code goes to the user's authenticator apps, anything else to the recovery codes
    (each works once). Throttling is django-otp's: after each failure the device waits longer.
    """
    user = request.user
    token = normalise_code(code)
    if token.isdigit():
        devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if not settings.DEMO:
            devices = [d for d in devices if d.key != demo_totp_key()]
        candidates = [(d, token) for d in devices]
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True, name=RECOVERY_DEVICE_NAME))
        candidates = [(d, _digest(token)) for d in devices]
    result = Verification()
    for device, candidate in candidates:
        attempt = _checked(device, candidate)
        if attempt.ok:
            otp_login(request, attempt.device)
            logger.info("two-factor: user %s verified with %s", user.pk, type(attempt.device).__name__)
            return attempt
        if attempt.throttled:
            result = attempt
    logger.info("two-factor: user %s gave a wrong second-factor code", user.pk)
    return result


# ---- recovery codes ----------------------------------------------------------------------------


def _digest(code: str) -> str:
    # 16 hex characters fit django-otp's token column; keyed, so a copy of the database alone
    # cannot be searched for codes.
    return salted_hmac("systeemi.accounts.recovery-code", normalise_code(code), algorithm="sha256").hexdigest()[:16]


def _new_code() -> str:
    return "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))


def display_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


@transaction.atomic
def issue_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with new ones and return them (the only time they exist in clear)."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=_digest(c)) for c in codes])
    logger.info("two-factor: new recovery codes for user %s", user.pk)
    return [display_code(c) for c in codes]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE_NAME, device__confirmed=True).count()


def has_recovery_codes(user) -> bool:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).exists()
