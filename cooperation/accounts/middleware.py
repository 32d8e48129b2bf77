"""Every request of a logged-in session: end it when idle or too old; hold it at enrolment until it has a second
factor. Neither costs a query: both read what the session already holds."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from rest_framework.views import APIView

from cooperation.accounts.sessions import SessionEnd, TwoFactorState, end_session, session_ending, two_factor_gate

# What a user who must still enrol may open: the enrolment page itself, and the ways out.
OPEN_WHILE_ENROLLING = frozenset(
    {
        "account:two_factor_enrol",
        "account:logout",
        "account:login",
        "account:login_code",
        "set_language",
        "healthz",
    }
)


class SessionIdleTimeoutMiddleware:
    """A session ends after ``SESSION_IDLE_MINUTES`` without a request, and ``SESSION_MAX_HOURS`` after login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ending = session_ending(request)
            if ending is not None:
                end_session(request)
                if ending is SessionEnd.IDLE:
                    text = _("You were logged out after %(minutes)s minutes without activity. Log in again.") % {
                        "minutes": settings.SESSION_IDLE_MINUTES
                    }
                else:
                    text = _("Your session reached its maximum length of %(hours)s hours. Log in again.") % {
                        "hours": settings.SESSION_MAX_HOURS
                    }
                messages.info(request, text)
        return self.get_response(request)


def _is_api_view(view_func) -> bool:
    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


class TwoFactorGateMiddleware:
    """No page, admin screen or portal page for a session that still owes a second factor.

    A session whose account has an authenticator but that was never verified with a code (it logged in some
    other way than the code step) is ended; a user whose role requires two-factor login and who has none
    is sent to enrolment from every URL. API views answer for themselves (their session authentication asks
    the same question), so a script gets a 403 rather than a login page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = two_factor_gate(request)
        if state is None or _is_api_view(view_func):
            return None
        if state is TwoFactorState.CODE:
            end_session(request)
            messages.info(request, _("This account uses two-factor login: log in again and type your code."))
            return redirect_to_login(request.get_full_path())
        view_name = getattr(request.resolver_match, "view_name", "")
        if view_name in OPEN_WHILE_ENROLLING:
            return None
        target = reverse("account:two_factor_enrol")
        if request.method == "GET":
            target = f"{target}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
        return redirect(target)
