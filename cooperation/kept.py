"""Pages that add up much render what they show once for each state of the data and keep it in the shared cache:
the dashboard, a programme's, a partner's, a loan's and a shipment's page (``render_kept``, with a body template of
their own), every list page (``render_page_kept`` keeps the page's content block) and every API list answered as
JSON (``cooperation.api.viewsets.RecordViewSet.list``).

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
from collections.abc import Callable

from django.core.cache import cache
from django.shortcuts import render
from django.template.context import make_context
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import ExtendsNode
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
    query = sorted((name, value) for name in request.GET for value in request.GET.getlist(name))
    parts = (
        changes.database(),
        body_template,
        state,
        str(request.user.pk),
        secret,
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        request.get_host(),
        request.path,
        repr(query),
    )
    return "kept:v1:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


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
