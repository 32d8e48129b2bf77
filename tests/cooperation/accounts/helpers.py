"""Codes from an authenticator app, computed from the secret the way a phone does (RFC 6238)."""

import re
import time
from binascii import unhexlify

from django_otp.oath import hotp

from cooperation.accounts import services, twofactor

STEP = 30


def code_at(secret_hex: str, step: int) -> str:
    return f"{hotp(unhexlify(secret_hex), step):06d}"


def current_step() -> int:
    return int(time.time()) // STEP


def app_code(secret_hex: str) -> str:
    """The code the app shows now."""
    return code_at(secret_hex, current_step())


def fresh_code(device) -> str:
    """A code the device accepts now and has not seen: never one already used (codes work once)."""
    device.refresh_from_db()
    return code_at(device.key, max(device.last_t + 1, current_step() + device.drift))


def secret_from_text(text: str) -> str:
    """The hex secret behind the base32 key the enrolment page shows for typing."""
    from base64 import b32decode

    letters = re.sub(r"\s+", "", text).upper()
    return b32decode(letters + "=" * (-len(letters) % 8)).hex()


def enrol(user):
    """Two-factor login turned on for ``user`` as the enrolment page does it: (device, recovery codes)."""
    secret = twofactor.new_secret()
    return services.two_factor_enrol(user=user, secret=secret, code=app_code(secret))
