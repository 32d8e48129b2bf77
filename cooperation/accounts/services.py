"""Every write about an account's security: API tokens, two-factor devices, recovery codes, and their record."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cooperation.access import require_perm
from cooperation.accounts import twofactor
from cooperation.accounts.models import ApiToken, RevokeReason, SecurityEvent, key_digest
from cooperation.roles import Perm

# A user holds at most this many live tokens; a new one beyond it retires the oldest.
MAX_LIVE_TOKENS = 20
# Tokens that ended this long ago are deleted when their owner gets a new one.
ENDED_TOKENS_KEPT = timedelta(days=30)
# The last-used stamp is written at most this often, so using a token does not write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)
KEY_PREFIX_LENGTH = 8


def _record(*, user, kind: SecurityEvent.Kind, by=None, note: str = "") -> SecurityEvent:
    event = SecurityEvent(user=user, kind=kind, by=by, note=note[:200])
    event.full_clean()
    event.save()
    return event


def _lock_user(user):
    """Serialise security changes of one account (two tabs enrolling at once, a reset during a login)."""
    return get_user_model().objects.select_for_update().get(pk=user.pk)


# --- API tokens ---------------------------------------------------------------------------------------


def api_token_issue(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the saved token and its key, which is never stored nor shown again."""
    now = timezone.now()
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=(name or "").strip() or "API login",
        key_digest=key_digest(key),
        key_prefix=key[:KEY_PREFIX_LENGTH],
        created_at=now,
        expires_at=now + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    token.full_clean()
    with transaction.atomic():
        _lock_user(user)
        token.save()
        surplus = ApiToken.objects.filter(user=user).live(now).order_by("-created_at", "-pk")[MAX_LIVE_TOKENS:]
        ApiToken.objects.filter(pk__in=[t.pk for t in surplus]).update(
            revoked_at=now, revoked_reason=RevokeReason.TOO_MANY
        )
        ended_before = now - ENDED_TOKENS_KEPT
        ApiToken.objects.filter(user=user, revoked_at__lt=ended_before).delete()
        ApiToken.objects.filter(user=user, expires_at__lt=ended_before).delete()
    return token, key


def api_token_for_key(key: str) -> ApiToken | None:
    """The token a key belongs to, live or not, with its user; None for a key never issued."""
    if not key:
        return None
    return ApiToken.objects.select_related("user").filter(key_digest=key_digest(key)).first()


def api_token_touch(*, token: ApiToken) -> None:
    """Note that the token was used, at most once a minute."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def api_token_revoke(*, token: ApiToken, reason: RevokeReason = RevokeReason.OWNER) -> bool:
    """End one token now; False if it had already ended."""
    now = timezone.now()
    ended = ApiToken.objects.filter(pk=token.pk).live(now).update(revoked_at=now, revoked_reason=reason)
    if ended:
        token.revoked_at, token.revoked_reason = now, reason
    return bool(ended)


def api_tokens_revoke_all(*, user, reason: RevokeReason, by=None) -> int:
    """End every live token of ``user`` (logout, password change, on request); returns how many ended."""
    if user is None or user.pk is None:
        return 0
    now = timezone.now()
    ended = ApiToken.objects.filter(user=user).live(now).update(revoked_at=now, revoked_reason=reason)
    if ended:
        _record(user=user, kind=SecurityEvent.Kind.TOKENS_REVOKED, by=by, note=str(RevokeReason(reason).label))
    return ended


# --- two-factor login ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """The answer to a code typed at login: which device accepted it, or how long to wait before trying again."""

    device: Device | None = None
    used_recovery_code: bool = False
    retry_after_seconds: int | None = None

    @property
    def accepted(self) -> bool:
        return self.device is not None


def two_factor_check(*, user, code: str) -> CodeCheck:
    """Check a code from the authenticator app, or a recovery code (which is then used up).

    Each device refuses to check codes for a while after wrong ones (1, 2, 4, 8 … seconds: django-otp's
    throttling); a wrong code is counted there, and the login lockout counts it too (see the views).
    """
    code = twofactor.normalise_code(code)
    if not code or len(code) > twofactor.CODE_MAX_LENGTH:
        return CodeCheck()
    model = TOTPDevice if twofactor.looks_like_app_code(code) else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            return CodeCheck()
        allowed, why = device.verify_is_allowed()
        if not allowed:
            locked_until = (why or {}).get("locked_until")
            wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
            return CodeCheck(retry_after_seconds=wait)
        if not device.verify_token(code):
            return CodeCheck()
        recovery = isinstance(device, StaticDevice)
        if recovery:
            left = device.token_set.count()
            _record(user=user, kind=SecurityEvent.Kind.RECOVERY_CODE_USED, note=f"{left} left")
    return CodeCheck(device=device, used_recovery_code=recovery)


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": twofactor.RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(twofactor.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def two_factor_enrol(*, user, secret: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm a new authenticator app with its first code; returns the device and fresh recovery codes.

    The secret was shown to the user (QR code and text) and kept in their session until this first code
    proves the app holds it. That code cannot be used again to log in.
    """
    step = twofactor.matching_step(secret, code)
    if step is None:
        raise ValidationError(
            {"code": _("That code does not match. Check the time on your phone and type the newest code.")}
        )
    with transaction.atomic():
        _lock_user(user)
        if twofactor.has_two_factor(user):
            raise ValidationError(_("Two-factor login is already on for this account."))
        TOTPDevice.objects.filter(user=user).delete()  # unconfirmed leftovers
        device = TOTPDevice(
            user=user,
            name=twofactor.TOTP_DEVICE_NAME,
            key=secret,
            step=twofactor.TOTP_STEP,
            digits=twofactor.TOTP_DIGITS,
            tolerance=twofactor.TOTP_TOLERANCE,
            confirmed=True,
            last_t=step,
        )
        device.full_clean()
        device.save()
        codes = _new_recovery_codes(user)
        _record(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_ON, by=user)
    return device, codes


def recovery_codes_regenerate(*, user, code: str) -> list[str]:
    """New recovery codes in place of the old ones (all of which stop working); needs a current app code."""
    if not twofactor.has_two_factor(user):
        raise ValidationError(_("Turn on two-factor login first."))
    check = _require_code(user=user, code=code)
    with transaction.atomic():
        _lock_user(user)
        codes = _new_recovery_codes(user)
        _record(user=user, kind=SecurityEvent.Kind.RECOVERY_CODES, by=user, note=_via(check))
    return codes


def two_factor_disable(*, user, code: str) -> None:
    """Turn two-factor login off for oneself, where it is not required; needs a current code."""
    if not twofactor.has_two_factor(user):
        raise ValidationError(_("Two-factor login is not on for this account."))
    if twofactor.two_factor_required(user):
        raise ValidationError(_("Your role requires two-factor login: it cannot be turned off."))
    check = _require_code(user=user, code=code)
    with transaction.atomic():
        _lock_user(user)
        _remove_devices(user)
        _record(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_OFF, by=user, note=_via(check))


def two_factor_reset(*, user, by) -> bool:
    """An administrator removes another user's authenticator and recovery codes (a lost phone).

    The user logs in with the password alone next time and, where two-factor login is required, enrols
    again before anything else. Sessions verified with the removed app end at their next request.
    Returns False when the user had no two-factor login to reset.
    """
    require_perm(by, Perm.RESET_TWO_FACTOR)
    if by.pk == user.pk:
        raise ValidationError(_("Use your own two-factor login page to change your own authenticator."))
    with transaction.atomic():
        _lock_user(user)
        removed = _remove_devices(user)
        if removed:
            _record(user=user, kind=SecurityEvent.Kind.TWO_FACTOR_RESET, by=by)
    return bool(removed)


def _require_code(*, user, code: str) -> CodeCheck:
    check = two_factor_check(user=user, code=code)
    if check.retry_after_seconds:
        message = _("Too many wrong codes: wait %(seconds)s seconds and try again.")
        raise ValidationError({"code": message % {"seconds": check.retry_after_seconds}})
    if not check.accepted:
        raise ValidationError({"code": _("That code is not right.")})
    return check


def _via(check: CodeCheck) -> str:
    return "recovery code" if check.used_recovery_code else "authenticator app"


def _remove_devices(user) -> int:
    totp, _ = TOTPDevice.objects.filter(user=user).delete()
    static, _ = StaticDevice.objects.filter(user=user).delete()
    return totp + static
