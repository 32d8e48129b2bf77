"""Pages that add up much render what they show once for each state of the data and keep it in the shared cache:
every list page (``render_page_kept`` keeps the page's content block), every API list answered as JSON
(``cooperation.api.viewsets.RecordViewSet.list``), the dashboard, and a programme's, a partner's, a loan's and a
shipment's page (``render_refreshed``, with a body template of their own). After someone else's change each of them
is shown as last computed, saying when, while the worker computes it afresh (``latest_kept``); after its reader's own
change it is computed while the reader waits. A record's page shown again after a refused POST is computed for that
request alone (``render_kept``, which keeps only what a GET rendered).

What is kept depends on nothing but who reads it, the page and its query string, the reader's language and time
zone, the day and the data. ``cooperation.changes`` gives the data a new token whenever a write is committed, so
what is kept under the token read before it was computed is never older than the data it shows: the first request
after any change computes afresh (or hands the computing to the worker), and the requests after it read it back in
two cache round trips.

A body is kept per user (what a user may see follows from their roles and organisation; a change to those is a
write too). A form in it carries a placeholder in place of the CSRF token, which each request replaces with its
reader's own. The page around the body (the layout, its nonce, the messages) is rendered for every request, and the
view finds the record the user may see before anything is read back, so a refusal is never kept; the worker computes
a page through the same view or selector, as its reader. Only GET requests are kept, and nothing is kept where the
cache is each process's own, while the request's transaction has written and not committed, or when the cache is
away (then every request computes, as it would without a cache). An applicant's page is never kept: the whole file
is personal data, and it stays out of the cache.
"""

import datetime
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


def body_key(request, body_template: str) -> str | None:
    """The key the body ``body_template`` renders for ``request`` is kept under, or None when it may not be kept.
    The body carries CSRF tokens: it is kept per CSRF secret, and not at all for a browser without one yet."""
    if request.method != "GET" or not changes.is_shared() or changes.writes_pending():
        return None
    secret = request.META.get("CSRF_COOKIE", "")
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


def forget(key: str) -> None:
    """Drop what was kept under ``key``, if the cache is there."""
    try:
        cache.delete(key)
    except Exception as error:
        logger.warning("A page's body was not dropped from the cache: %s", error)


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
    kept and, after someone else's change, shown as last computed while the worker computes it afresh, as
    ``render_refreshed`` shows a body (``latest_kept``); where nothing may be kept, the page is rendered whole."""
    name = f"page:{template}"
    latest = latest_kept(request, name)
    if latest.kept is None:
        context = compute()
        if latest.key is None:
            return render(request, template, context)
        body = _content_of(template, context | {"csrf_token": CSRF_PLACEHOLDER}, request)
        latest = latest.computed({"body": body})
    return render(request, template, latest.shown())


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
# The header of an API list answered as last computed, while the worker adds someone else's change: when it was.
FIGURES_AS_OF = "Figures-As-Of"
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
    latest = latest_kept(request, name)
    if latest.kept is None:
        latest = latest.computed(computed(request, name, latest.state))
    shown = latest.shown() | {"kept_at": latest.kept["at"]}
    return render(request, template, (context or {}) | shown)


@dataclass(frozen=True)
class Latest:
    """What was last computed for a reader's page or list (``kept``: its ``state``, ``at`` and ``body``), or None
    when it must be computed now; ``updating`` when it is shown as it was while the worker computes it afresh."""

    request: HttpRequest
    key: str | None
    state: str | None
    asked_at: datetime.datetime  # before the state was read: a write it may miss is one made after this
    kept: dict | None
    updating: bool = False

    def computed(self, kept: dict) -> "Latest":
        """This page as just computed (``kept`` holds its ``body``), kept for its state when it may be."""
        kept = {"state": self.state, "at": self.asked_at} | kept
        if self.key and self.state:
            keep(self.key, kept)
        return Latest(self.request, self.key, self.state, self.asked_at, kept)

    def shown(self) -> dict:
        """The context that shows the kept body in the layout, with the reader's own CSRF token, and the time it was
        computed while the worker adds what changed since."""
        body = self.kept["body"]
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, get_token(self.request))
        shown = {"kept_body": mark_safe(body), "kept_updating": self.updating}  # noqa: S308 (our own template)
        return shown | ({"kept_at": self.kept["at"]} if self.updating else {})


def latest_kept(request, name: str) -> Latest:
    """Page or list ``name`` as last computed for ``request``: read back while the data has not moved on; after
    someone else's change, still shown if computed no longer ago than ``STALE_FOR``, while the worker computes it
    afresh (once for each state of the data); otherwise, or after the reader's own change, to be computed now. The
    worker itself (``refresh``) always computes, unless someone was first."""
    asked_at = timezone.now()
    key = latest_key(request, name)
    state = changes.token() if key else None
    kept = read(key) if key and state else None
    updating = False
    if kept is not None and kept["state"] != state:
        recent = (asked_at - kept["at"]).total_seconds() < STALE_FOR
        if recent and not getattr(request, "kept_by_worker", False) and not wrote_since(request, kept["at"]):
            updating = _ask_for_refresh(request, name, key, state)
        if not updating:
            kept = None
    return Latest(request, key, state, asked_at, kept, updating)


# The session of a reader who has sent a write (a form, a move, a deletion) holds when, and so does the shared cache
# for the user (an API client has no session): a page or list computed before it is not shown to them again as it
# was, so their own change shows at once (``RememberWritesMiddleware``).
WROTE_AT = "kerjasama_wrote_at"


def _wrote_key(user) -> str:
    return f"kept:wrote:v1:{changes.database()}:{user.pk}"


def remember_write(request) -> None:
    """Note that ``request``'s reader has just written (or tried to: a refused form costs them nothing more than a
    page computed afresh), in their session and, for as long as a page may be shown as it was, for the user."""
    session = getattr(request, "session", None)
    if session is not None:
        session[WROTE_AT] = time.time()
    try:
        cache.set(_wrote_key(request.user), time.time(), STALE_FOR)
    except Exception as error:
        logger.warning("A reader's write was not noted in the cache: %s", error)


def wrote_since(request, at) -> bool:
    """Whether ``request``'s reader has sent a write since the moment ``at``."""
    session = getattr(request, "session", None)
    wrote_at = session.get(WROTE_AT) if session is not None else None
    if wrote_at is None or wrote_at < at.timestamp():
        wrote_at = read(_wrote_key(request.user))
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
    """In the worker: compute page or list ``name`` as ``user`` reading ``path?query`` in ``language`` and time
    zone ``zone`` would see it, and keep it where ``render_refreshed``, ``render_page_kept`` or an API list reads
    it; whether it was kept."""
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
            if name not in _REFRESHED:
                return _refresh_list(request, key, state)
            body = computed(request, name, state)
        except (Http404, PermissionDenied):  # the record is gone, or the reader may no longer see it
            return False
        except Exception:
            forget(key)  # not shown as it was again: the reader's next view computes it while they wait
            raise
        keep(key, body)
    return True


def _refresh_list(request, key: str, state: str) -> bool:
    """A list page or API list computed in the worker by its own view, as its reader's GET would be (the view
    checks again what the reader may see); whether the view kept it."""
    match = resolve(request.path_info)
    request.resolver_match = match
    request.kept_by_worker = True  # the list is computed, never shown as it was (``latest_kept``)
    request._force_auth_user = request.user  # an API view takes the reader as signed in  # noqa: SLF001
    response = match.func(request, *match.args, **match.kwargs)
    kept = read(key)
    return response.status_code == 200 and kept is not None and kept["state"] == state
