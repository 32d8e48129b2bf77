"""The dashboard's body, rendered once for each state of the data and kept in the shared cache.

The body (filters, figures, charts, panels and updates) depends on nothing but who reads it, what it is narrowed
to, the reader's language and time zone, the day and the data. ``cooperation.changes`` gives the data a new token
whenever a write is committed, so a body kept under the token read before it was computed is never older than the
data it shows: the next request after any change computes the body afresh from the summaries, and every other
request reads it back in two cache round trips. A body is kept per user, because what a user may see follows from
their roles and organisation, and a change to those is a write too.

Nothing is kept where the cache is each process's own, or while the request's transaction has written and not
committed, or when the cache is away (then every request computes, as it would without a cache).
"""

import hashlib
import logging

from django.core.cache import cache
from django.utils import timezone, translation

from cooperation import changes

logger = logging.getLogger(__name__)

# A body is not read again once the data has moved on; the timeout only bounds what a write made around the
# application (which moves no token) may leave shown.
TIMEOUT = 10 * 60


def body_key(request) -> str | None:
    """The key the body of the dashboard ``request`` asks for is kept under, or None when it may not be kept."""
    if not changes.is_shared() or changes.writes_pending():
        return None
    state = changes.token()
    if state is None:
        return None
    query = sorted((name, value) for name in request.GET for value in request.GET.getlist(name))
    parts = (
        state,
        str(request.user.pk),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        repr(query),
    )
    return "reporting:dashboard:v1:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def read(key: str) -> dict | None:
    try:
        return cache.get(key)
    except Exception as error:  # each cache backend raises its own errors for a server that is away
        logger.warning("The dashboard was not read from the cache: %s", error)
        return None


def keep(key: str, rendered: dict) -> None:
    try:
        cache.set(key, rendered, TIMEOUT)
    except Exception as error:
        logger.warning("The dashboard was not kept in the cache: %s", error)
