"""What logging in and out does to an account's session and tokens."""

from cooperation.accounts.models import RevokeReason
from cooperation.accounts.services import api_tokens_revoke_all
from cooperation.accounts.sessions import session_start


def session_started(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_start(request, user)


def session_ended(sender, request, user, **kwargs) -> None:
    """Logging out of the web (or the admin) ends every API token of the user too: nothing stays signed in."""
    if user is not None and user.is_authenticated:
        api_tokens_revoke_all(user=user, reason=RevokeReason.LOGOUT, by=user)
