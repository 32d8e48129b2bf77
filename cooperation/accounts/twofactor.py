"""Two-factor login: who must use it, and what enrolling shows (secret, QR code). Writes are in services.

The second factor is a TOTP authenticator app (django-otp's ``TOTPDevice``), with
one-time recovery codes (a ``StaticDevice``) for the day the phone is lost. An
account "has two-factor login" when it holds a confirmed TOTP device.
"""

import re
from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from cooperation.roles import two_factor_required_by_role

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
TOTP_DIGITS = 6
TOTP_STEP = 30
TOTP_TOLERANCE = 1  # the code before and after the current one also pass: phones' clocks drift
CODE_MAX_LENGTH = 20
_SEPARATORS = re.compile(r"[\s-]+")


def two_factor_required(user) -> bool:
    """Must this user log in with a second factor? Superusers, administrators and managers must, where enforced."""
    if not (settings.KERJASAMA_2FA_ENFORCED and user and user.is_authenticated):
        return False
    return user.is_superuser or two_factor_required_by_role(user, all_staff=settings.KERJASAMA_2FA_FOR_ALL_STAFF)


def has_two_factor(user) -> bool:
    return bool(user and user.is_authenticated) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def normalise_code(code: str) -> str:
    """Codes are read aloud and copied from paper: spaces and dashes do not count, nor letter case."""
    return _SEPARATORS.sub("", code or "").lower()


def looks_like_app_code(code: str) -> bool:
    return len(code) == TOTP_DIGITS and code.isdigit()


# --- enrolment ------------------------------------------------------------------------------------


def new_secret() -> str:
    """A new TOTP secret, hex-encoded as django-otp stores it (20 random bytes, as RFC 4226 recommends)."""
    return random_hex(20)


def secret_for_typing(hex_key: str) -> str:
    """The secret in base32 as authenticator apps ask for it, in groups of four for reading."""
    text = b32encode(unhexlify(hex_key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def setup_url(user, hex_key: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=hex_key, step=TOTP_STEP, digits=TOTP_DIGITS).config_url


def qr_code_svg(text: str, *, title: str) -> str:
    """The QR code as inline SVG drawn by the app itself: no image service sees the secret; no style attributes."""
    return segno.make(text, error="m").svg_inline(
        scale=5, border=3, dark="#000", light="#fff", title=title, svgclass="qr-code"
    )


def matching_step(hex_key: str, code: str) -> int | None:
    """The time step whose code ``code`` is, for a secret not yet saved (the enrolment's first code)."""
    code = normalise_code(code)
    if not looks_like_app_code(code):
        return None
    totp = TOTP(unhexlify(hex_key), step=TOTP_STEP, digits=TOTP_DIGITS)
    if not totp.verify(int(code), tolerance=TOTP_TOLERANCE):
        return None
    return totp.t()
