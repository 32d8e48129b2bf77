"""A logged-in browser session: when it ends, and whether it still owes a second factor.

What a request needs to decide is kept in the session itself, so deciding costs no
query: when the session logged in and was last seen (the last-seen stamp is
written at most once a minute, so pages do not write the session on every
request), and the account's two-factor state as it was at login.
"""

import time
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from cooperation.accounts import twofactor

LOGGED_IN_AT = "_ks_logged_in_at"
SEEN_AT = "_ks_seen_at"
TWO_FACTOR_STATE = "_ks_two_factor"
PENDING_LOGIN = "_ks_pending_login"
ENROLMENT_DRAFT = "_ks_enrolment"  # the secret shown, until its first code confirms it

SEEN_PRECISION_SECONDS = 60
# The stored session outlives the idle limit by a little, so that the idle check ends it (and says why)
# rather than the session store quietly forgetting it; the store still drops abandoned sessions.
STORE_MARGIN_SECONDS = 120
# Between the password and the code: the password step is forgotten after this long.
PENDING_LOGIN_SECONDS = 5 * 60


class TwoFactorState(StrEnum):
    FREE = "free"  # nothing owed
    CODE = "code"  # the account has an authenticator: the session must have been verified with a code
    ENROL = "enrol"  # the role requires two-factor login and none is set up: enrolment before anything else


class SessionEnd(StrEnum):
    IDLE = "idle"
    MAXIMUM = "maximum"


def _now() -> int:
    return int(time.time())


def idle_limit_seconds() -> int:
    return settings.SESSION_IDLE_MINUTES * 60


def maximum_seconds() -> int:
    return settings.SESSION_MAX_HOURS * 3600


def session_start(request, user) -> None:
    """A user just logged in: stamp the session and note what the account owes for a second factor."""
    now = _now()
    request.session[LOGGED_IN_AT] = now
    request.session[SEEN_AT] = now
    request.session.set_expiry(idle_limit_seconds() + STORE_MARGIN_SECONDS)
    remember_two_factor_state(request, user)


def remember_two_factor_state(request, user) -> TwoFactorState:
    if twofactor.has_two_factor(user):
        state = TwoFactorState.CODE
    elif twofactor.two_factor_required(user):
        state = TwoFactorState.ENROL
    else:
        state = TwoFactorState.FREE
    request.session[TWO_FACTOR_STATE] = state.value
    return state


def session_ending(request) -> SessionEnd | None:
    """Why this logged-in session is over, or None (then its last-seen stamp is kept up to date)."""
    session = request.session
    now = _now()
    logged_in_at, seen_at = session.get(LOGGED_IN_AT), session.get(SEEN_AT)
    if not isinstance(logged_in_at, int) or not isinstance(seen_at, int):
        # A session from before these stamps existed: its clock starts now.
        session[LOGGED_IN_AT] = session[SEEN_AT] = now
        session.set_expiry(idle_limit_seconds() + STORE_MARGIN_SECONDS)
        return None
    if now - seen_at > idle_limit_seconds():
        return SessionEnd.IDLE
    if now - logged_in_at > maximum_seconds():
        return SessionEnd.MAXIMUM
    if now - seen_at >= SEEN_PRECISION_SECONDS:
        session[SEEN_AT] = now
    return None


def end_session(request) -> None:
    """End the browser session. Not a logout: the idle limit is no reason to revoke the user's API tokens."""
    request.session.flush()
    request.user = AnonymousUser()


def two_factor_gate(request) -> TwoFactorState | None:
    """What the signed-in user of this session still owes before using anything, or None."""
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return None
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return None
    try:
        state = TwoFactorState(request.session.get(TWO_FACTOR_STATE))
    except ValueError:  # a session older than this rule
        state = remember_two_factor_state(request, user)
    return None if state is TwoFactorState.FREE else state


# --- between the password and the code ----------------------------------------------------------------


def pending_login_start(request, user, *, next_url: str) -> None:
    """The password was right and the account has two-factor login: remember who, but do not log in yet."""
    request.session[PENDING_LOGIN] = {
        "user": user.pk,
        "backend": user.backend,
        "at": _now(),
        "next": next_url,
    }


def pending_login(request) -> tuple[object, str, str] | None:
    """(user, authentication backend, where to go next) of a login waiting for its code, or None."""
    pending = request.session.get(PENDING_LOGIN)
    if not isinstance(pending, dict) or _now() - int(pending.get("at", 0)) > PENDING_LOGIN_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        return None
    return user, pending.get("backend", ""), pending.get("next", "")


def pending_login_clear(request) -> None:
    request.session.pop(PENDING_LOGIN, None)
