"""Where a request comes from: the client address behind the trusted proxies.

Behind a TLS proxy every request arrives from the proxy's address, and the
client's is in ``X-Forwarded-For``, to which each proxy appends the address it
saw. Only the entries the trusted proxies wrote can be believed: anything to
their left was sent by the client and may be forged. With
``KERJASAMA_TRUSTED_PROXIES = N`` the client is the N-th entry from the right
(the address the outermost proxy saw); with 0 the header is ignored. The login
lockout and the API throttles both key on this one answer.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address as the outermost trusted proxy saw it, or ``REMOTE_ADDR`` without proxies."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.KERJASAMA_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote  # reached the app without passing a proxy that writes the header
    # Fewer entries than proxies: the request entered the chain part-way; the leftmost was still written by one.
    return _address(forwarded[-min(proxies, len(forwarded))]) or remote


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None
