"""How API requests prove who sends them: a live API token, or a browser session that owes no second factor."""

import drf_spectacular.authentication
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from cooperation.accounts.services import api_token_for_key, api_token_touch
from cooperation.accounts.sessions import TwoFactorState, two_factor_gate


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``; the key is looked up by its digest, and must not have expired or been revoked."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = api_token_for_key(key)
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.is_live():
            raise exceptions.AuthenticationFailed(_("This token has expired: ask for a new one."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        api_token_touch(token=token)
        return token.user, token


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with its CSRF check; refused while the session still owes a second factor."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        state = two_factor_gate(request._request)
        if state is TwoFactorState.ENROL:
            raise exceptions.PermissionDenied(_("Turn on two-factor login on your profile before using the API."))
        if state is TwoFactorState.CODE:
            raise exceptions.NotAuthenticated(_("Log in again with your two-factor code."))
        return result


class SessionScheme(drf_spectacular.authentication.SessionScheme):
    """The schema documents the session as drf-spectacular documents DRF's own (``cookieAuth``)."""

    target_class = SessionAuthentication
