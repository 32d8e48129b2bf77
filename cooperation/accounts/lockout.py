"""The login lockout (django-axes) for the second step of a login: a wrong code counts like a wrong password."""

from axes.conf import settings
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed


def _credentials(username: str) -> dict:
    return {settings.AXES_USERNAME_FORM_FIELD: username}


def is_locked_out(request, username: str) -> bool:
    """Is this username locked from this client? If so the request is marked, and the lockout answer follows."""
    if not settings.AXES_ENABLED:
        return False
    credentials = _credentials(username)
    if AxesProxyHandler.is_allowed(request, credentials):
        return False
    request.axes_locked_out = True
    request.axes_credentials = credentials
    return True


def count_wrong_code(request, username: str) -> bool:
    """Record a wrong code as a failed login; True when that failure locked the username out."""
    user_login_failed.send(sender=__name__, credentials=_credentials(username), request=request)
    return bool(getattr(request, "axes_locked_out", False))
