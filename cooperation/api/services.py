"""Writes made by the API's own endpoints (not by a domain module)."""

from rest_framework.authtoken.models import Token


def api_token_issue(*, user) -> Token:
    """The user's API token; the same one on every login until it is revoked in the admin."""
    token, _created = Token.objects.get_or_create(user=user)
    return token
