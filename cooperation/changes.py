"""The state of the data, as a token that changes whenever a write is committed.

A page that adds up much (the manager dashboard, a programme's page) may keep what it rendered under the token it
read (``cooperation.kept``): while no write is committed, the same request shows the same page, and after one the
token is a new one, so nothing kept before it is read again. Every statement the application sends passes through a
wrapper on its database connection; a statement that writes to a table other than those below (sessions, sign-in
attempts, security events, API tokens' last use: nothing a kept page shows) moves the token when its transaction
commits, or at once outside a transaction. Bulk updates, raw SQL and migrations go through the same wrapper, so no
kind of write is missed; writes made around the application (by hand in ``psql``) are not seen, and what was kept
before them lasts no longer than its timeout.

The token lives in the shared cache (Redis), where every web process and worker reads and moves the same one. A
cache that is each process's own (the development default) would let one process keep figures another has
changed, so there ``is_shared()`` is False and nothing is kept. A transaction that has written and not yet
committed must neither read nor keep anything (it sees its own writes, which others do not see and which may be
rolled back): ``writes_pending()`` says so.
"""

import logging
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connections

logger = logging.getLogger(__name__)

STATE_KEY = "kerjasama:data-state"
# Longer than anything kept under a token: a token that is evicted or lost is replaced by a new one.
STATE_TIMEOUT = 24 * 60 * 60

# Tables no kept page shows: written on every sign-in, request or API call. (The outbox is watched: a record's page
# shows its messages' delivery, which the worker moves on.)
UNWATCHED_TABLES = frozenset(
    {
        "django_session",
        "django_admin_log",
        "accounts_securityevent",
        "accounts_apitoken",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "exports_exportjob",
        "exports_scheduleddelivery",
        "otp_static_staticdevice",
        "otp_static_statictoken",
        "otp_totp_totpdevice",
    }
)
_READING = re.compile(r"\s*(SELECT|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET|SHOW|EXPLAIN|PRAGMA)\b", re.IGNORECASE)
_WITH = re.compile(r"\s*WITH\b", re.IGNORECASE)
_TARGET = re.compile(r'\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def is_shared() -> bool:
    """Whether the token can be trusted: the cache is one every process reads (not each process's memory, not a
    cache that keeps nothing), and keeping is not switched off (``KERJASAMA_KEEP_RENDERED`` False)."""
    if not getattr(settings, "KERJASAMA_KEEP_RENDERED", True):
        return False
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def writes(sql: str) -> bool:
    """Whether ``sql`` may change what a figure is made of: any statement but a read or transaction control,
    except writes to the unwatched tables alone."""
    if _READING.match(sql):
        return False
    targets = _TARGET.findall(sql)
    if not targets:  # a query of common table expressions that writes nothing only reads
        return not _WITH.match(sql)
    return any(table not in UNWATCHED_TABLES for table in targets)


def database() -> str:
    """Which database the data is in: two installations sharing one cache server never share a token, nor what is
    kept under it."""
    settings_dict = connections["default"].settings_dict
    return f"{settings_dict['ENGINE']}:{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"


def _state_key() -> str:
    return f"{STATE_KEY}:{database()}"


def token() -> str | None:
    """The current state's token (a new one if none is kept); None when the cache cannot be reached, in which case
    nothing should be read or kept."""
    try:
        key = _state_key()
        current = cache.get(key)
        if current is None:
            fresh = uuid.uuid4().hex
            cache.add(key, fresh, STATE_TIMEOUT)
            current = cache.get(key) or fresh
        return current
    except Exception as error:  # each cache backend raises its own errors for a server that is away
        logger.warning("The state of the data could not be read from the cache: %s", error)
        return None


def moved() -> None:
    """Give the data a new token: whatever was kept under the old one is not read again."""
    try:
        cache.set(_state_key(), uuid.uuid4().hex, STATE_TIMEOUT)
    except Exception as error:
        logger.error("The state of the data could not be moved on in the cache: %s", error)


def writes_pending(using: str = "default") -> bool:
    """Whether the current transaction on ``using`` has written and not committed yet."""
    connection = connections[using]
    return connection.in_atomic_block and any(func is moved for _sids, func, _robust in connection.run_on_commit)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes(sql):
        connection = context["connection"]
        if connection.in_atomic_block:
            if not any(func is moved for _sids, func, _robust in connection.run_on_commit):
                connection.on_commit(moved, robust=True)
        else:  # autocommit: written already; a connection in manual transactions is moved now, the best it can be
            moved()
    return result


def watch(sender, connection, **kwargs) -> None:
    """Put the wrapper on a new database connection (``connection_created``), once. It goes first in the list: a
    ``connection.execute_wrapper()`` block that was open when the connection was made removes the last one."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)
