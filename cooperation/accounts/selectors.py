"""Reads about one's own account: one's tokens and security events, never another user's."""

from django.db.models import QuerySet

from cooperation.accounts.models import ApiToken, SecurityEvent


def own_live_api_tokens(user) -> QuerySet[ApiToken]:
    """The tokens of ``user`` that still open the API, newest first; nobody else's."""
    if not (user and user.is_authenticated):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).live().order_by("-created_at", "-pk")


def own_security_events(user) -> QuerySet[SecurityEvent]:
    if not (user and user.is_authenticated):
        return SecurityEvent.objects.none()
    return SecurityEvent.objects.filter(user=user).select_related("by").order_by("-at", "-pk")
