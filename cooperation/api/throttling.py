"""API throttles key anonymous clients on the address the trusted proxies imply (cooperation.network)."""

from rest_framework.throttling import ScopedRateThrottle

from cooperation.network import client_ip


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request) or ""


class ScopedClientRateThrottle(ClientAddressMixin, ScopedRateThrottle):
    """``ScopedRateThrottle`` behind proxies: one client is one client, whatever X-Forwarded-For claims."""
