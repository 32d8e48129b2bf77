"""Pages that add up much render what they show once for each state of the data and keep it in the shared cache:
every list page (``render_page_kept`` keeps the page's content block), every API list answered as JSON
(``cooperation.api.viewsets.RecordViewSet.list``), and the dashboard, a programme's, a partner's, a loan's and a
shipment's page (``render_refreshed``, with a body template of their own: after someone else's change they are
shown as last computed, saying when, while the worker computes them afresh; after their reader's own change they
are computed while the reader waits). A record's page shown again after a refused POST is computed for that request
alone (``render_kept``, which keeps only what a GET rendered).

What is kept depends on nothing but who reads it, the page and its query string, the reader's language and time
zone, the day and the data. ``cooperation.changes`` gives the data a new token whenever a write is committed, so
what is kept under the token read before it was computed is never older than the data it shows: the first request
after any change computes afresh, and the requests after it read it back in two cache round trips.

A body is kept per user (what a user may see follows from their roles and organisation; a change to those is a
write too) and per CSRF secret (a form in the body carries a token made from it, which a new sign-in replaces). The
page around the body (the layout, its nonce, the messages) is rendered for every request, and the view finds the
record the user may see before anything is read back, so a refusal is never kept. Only GET requests are kept, and
nothing is kept where the cache is each process's own, while the request's transaction has written and not
committed, when the request has no CSRF secret yet, or when the cache is away (then every request computes, as it
would without a cache). An applicant's page is never kept: the whole file is personal data, and it stays out of
the cache.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.context import make_context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import ExtendsNode
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from cooperation import changes

logger = logging.getLogger(__name__)

# A body is not read again once the data has moved on; the timeout only bounds what a write made around the
# application (which moves no token) may leave shown.
TIMEOUT = 10 * 60


def body_key(request, body_template: str, *, forms: bool = True) -> str | None:
    """The key the body ``body_template`` renders for ``request`` is kept under, or None when it may not be kept.
    A body with ``forms`` carries CSRF tokens: it is kept per CSRF secret, and not at all for a browser without one
    yet (an API answer has none)."""
    if request.method != "GET" or not changes.is_shared() or changes.writes_pending():
        return None
    secret = request.META.get("CSRF_COOKIE", "") if forms else "-"
    if not secret:
        return None
    state = changes.token()
    if state is None:
        return None
    return "kept:v1:" + _digest(request, body_template, state, secret)


def _digest(request, *parts: str) -> str:
    """A digest of ``parts`` and of all a page depends on besides the data: the reader, their language, time zone
    and day, the host, the path and the sorted query string."""
    query = sorted((name, value) for name in request.GET for value in request.GET.getlist(name))
    every_part = (
        changes.database(),
        *parts,
        str(request.user.pk),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        request.get_host(),
        request.path,
        repr(query),
    )
    return hashlib.sha256("|".join(every_part).encode()).hexdigest()


def read(key: str):
    """What was kept under ``key``, or None (also when the cache is away)."""
    try:
        return cache.get(key)
    except Exception as error:  # each cache backend raises its own errors for a server that is away
        logger.warning("A page's body was not read from the cache: %s", error)
        return None


def keep(key: str, kept) -> None:
    """Keep ``kept`` under ``key``, unless the request's transaction has written (its writes showed in it)."""
    if changes.writes_pending():
        return
    try:
        cache.set(key, kept, TIMEOUT)
    except Exception as error:
        logger.warning("A page's body was not kept in the cache: %s", error)


def render_kept(
    request,
    template: str,
    body_template: str,
    compute: Callable[[], dict],
    *,
    context: dict | None = None,
    status: int = 200,
):
    """``template`` with ``context`` around ``body_template`` rendered with what ``compute()`` returns, or read
    back from the last time it was rendered for the same reader, page and state of the data (the layout shows it as
    ``kept_body`` in place of the page's content block). Only a GET is kept: a page shown again after a POST, with
    its errors, is rendered afresh."""
    key = body_key(request, body_template)
    kept = read(key) if key else None
    if kept is None:
        computed = compute()
        kept = {"body": render_to_string(body_template, computed, request)}
        if key:
            keep(key, kept)
    shown = {"kept_body": mark_safe(kept["body"])}  # noqa: S308 (rendered from our own template)
    return render(request, template, (context or {}) | shown, status=status)


def render_page_kept(request, template: str, compute: Callable[[], dict]):
    """``template`` (a page extending the layout) rendered with what ``compute()`` returns, its ``content`` block
    kept as ``render_kept`` keeps a body; where nothing may be kept, the page is rendered whole, as usual."""
    key = body_key(request, template)
    kept = read(key) if key else None
    if kept is None:
        computed = compute()
        if key is None:
            return render(request, template, computed)
        kept = {"body": _content_of(template, computed, request)}
        keep(key, kept)
    return render(request, template, {"kept_body": mark_safe(kept["body"])})  # noqa: S308 (our own template)


def _content_of(template_name: str, context: dict, request) -> str:
    """The ``content`` block of the page ``template_name`` alone, rendered with ``context`` for ``request`` (with
    the context processors, as the whole page would be)."""
    template = get_template(template_name).template
    extends = next(node for node in template.nodelist if isinstance(node, ExtendsNode))
    rendered = make_context(context, request, autoescape=True)
    with rendered.render_context.push_state(template), rendered.bind_template(template):
        return extends.blocks["content"].render(rendered)


# A page refreshed by the worker (``render_refreshed``) is shown as it was last computed for this long after the
# data moved on, saying when it was computed, while the worker adds the changes; older, the request computes it.
STALE_FOR = 5 * 60
# Rendered in place of the CSRF token in a refreshed page's body (the worker has no reader's CSRF secret), and
# replaced by the reader's own token each time the body is shown.
CSRF_PLACEHOLDER = "kerjasama-kept-csrf-token-placeholder"


@dataclass(frozen=True)
class Refreshed:
    body_template: str
    compute: Callable  # (request) -> the body's context


_REFRESHED: dict[str, Refreshed] = {}


def refreshed_by_worker(name: str, body_template: str, compute: Callable) -> None:
    """Register page ``name``: its body is ``body_template`` rendered with ``compute(request, **kwargs)``, given the
    keyword arguments its URL gives the view, for ``render_refreshed`` in the web process and ``refresh`` in the
    worker (a module registers it in its ``ready``, so both processes know it)."""
    _REFRESHED[name] = Refreshed(body_template, compute)


def latest_key(request, name: str) -> str | None:
    """The key the body of page ``name`` last computed for ``request`` is kept under, whatever the state of the
    data it was computed for; None when nothing may be kept."""
    if request.method != "GET" or not changes.is_shared() or changes.writes_pending():
        return None
    return "kept:latest:v1:" + _digest(request, name)


def computed(request, name: str, state: str | None) -> dict:
    """Page ``name``'s body computed now for ``request`` (with the CSRF placeholder), for the state ``state``
    read before computing it: a write committed meanwhile makes it stale at once."""
    entry = _REFRESHED[name]
    at = timezone.now()
    arguments = resolve(request.path_info).kwargs  # the record the page is about (``pk``), as its URL names it
    context = entry.compute(request, **arguments) | {"csrf_token": CSRF_PLACEHOLDER}
    return {"state": state, "at": at, "body": render_to_string(entry.body_template, context, request)}


def render_refreshed(request, template: str, name: str, *, context: dict | None = None):
    """``template`` with ``context`` around page ``name``'s body, as ``render_kept`` shows a kept body, except that
    once the data has moved on the body last computed (no longer ago than ``STALE_FOR``) is still shown, with the
    time it was computed (``kept_at``) and ``kept_updating``, while the worker computes it afresh: the reader never
    waits for the figures, which are at most a few seconds behind the data, and the page says so. A reader who has
    written since it was computed (``wrote_since``) waits for it instead: one's own change shows at once."""
    key = latest_key(request, name)
    state = changes.token() if key else None
    kept = read(key) if key and state else None
    updating = False
    if kept is not None and kept["state"] != state:
        if (timezone.now() - kept["at"]).total_seconds() < STALE_FOR and not wrote_since(request, kept["at"]):
            updating = _ask_for_refresh(request, name, key, state)
        if not updating:
            kept = None
    if kept is None:
        kept = computed(request, name, state)
        if key and state:
            keep(key, kept)
    body = kept["body"].replace(CSRF_PLACEHOLDER, get_token(request))
    shown = {"kept_body": mark_safe(body), "kept_at": kept["at"], "kept_updating": updating}  # noqa: S308
    return render(request, template, (context or {}) | shown)


# The session of a reader who has sent a write (a form, a move, a deletion) holds when: a page refreshed by the worker
# computed before it is not shown to them again, so their own change shows at once (``RememberWritesMiddleware``).
WROTE_AT = "kerjasama_wrote_at"


def remember_write(request) -> None:
    """Note in ``request``'s session that its reader has just written (or tried to: a refused form costs them
    nothing more than a page computed afresh)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[WROTE_AT] = time.time()


def wrote_since(request, at) -> bool:
    """Whether ``request``'s reader has sent a write since the moment ``at``."""
    session = getattr(request, "session", None)
    wrote_at = session.get(WROTE_AT) if session is not None else None
    return wrote_at is not None and wrote_at >= at.timestamp()


def _ask_for_refresh(request, name: str, key: str, state: str) -> bool:
    """Hand the worker the computing of ``request``'s page ``name`` for ``state``, once for each state; whether
    the worker was handed it (or already had been), so that the page last computed may be shown meanwhile."""
    from cooperation.tasks import refresh_kept

    try:
        if not cache.add(f"{key}:refreshing:{state}", True, STALE_FOR):
            return True
        refresh_kept.apply_async(
            kwargs={
                "name": name,
                "user_id": request.user.pk,
                "path": request.path,
                "query": request.GET.urlencode(),
                "language": translation.get_language() or settings.LANGUAGE_CODE,
                "zone": timezone.get_current_timezone_name(),
                "host": request.get_host(),
            },
            retry=False,
        )
    except Exception as error:  # a broker or cache that is away: the request computes the page itself
        logger.warning("The worker was not handed page %s to refresh: %s", name, error)
        return False
    return True


def request_as(user, *, path: str, query: str, host: str) -> HttpRequest:
    """The GET request ``user`` made for ``path?query`` at ``host``, as the worker computes a page for it."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.META = {"HTTP_HOST": host, "QUERY_STRING": query, "REQUEST_METHOD": "GET"}
    request.user = user
    return request


def refresh(*, name: str, user, path: str, query: str, language: str, zone: str, host: str) -> bool:
    """In the worker: compute page ``name`` as ``user`` reading ``path?query`` in ``language`` and time zone
    ``zone`` would see it, and keep it where ``render_refreshed`` reads it; whether it was kept."""
    request = request_as(user, path=path, query=query, host=host)
    with translation.override(language), timezone.override(zone):
        key = latest_key(request, name)
        state = changes.token() if key else None
        if not (key and state):
            return False
        kept = read(key)
        if kept is not None and kept["state"] == state:
            return False  # another worker, or a reader, was first
        try:
            body = computed(request, name, state)
        except (Http404, PermissionDenied):  # the record is gone, or the reader may no longer see it
            return False
        keep(key, body)
    return True
