"""The stylesheet in the page on a first visit, a link to it afterwards.

On a slow link every request costs a round trip before anything is drawn: a page that links its stylesheet
paints only after a second request comes back (about a second on slow 3G). So a browser that has not fetched
the stylesheet yet gets it inside the page, in a ``<style>`` block carrying the request's CSP nonce; once
the page has loaded, ``kerjasama.js`` fetches the file into the browser's cache and leaves a cookie naming the
version it holds. Pages after that link the file, which comes from the cache. A browser whose cache was cleared
but kept the cookie pays the second request once, as every page did before.
"""

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.csp import nonce_attr
from django.utils.html import format_html
from django.utils.safestring import mark_safe

COOKIE = "kerjasama-css"


@dataclass(frozen=True)
class Stylesheet:
    url: str
    text: str
    version: str


@lru_cache(maxsize=8)
def _read(found: str, modified: float, path: str) -> Stylesheet:
    with open(found, encoding="utf-8") as source:
        text = source.read()
    version = hashlib.sha256(text.encode()).hexdigest()[:16]
    return Stylesheet(url=static(path), text=text, version=version)


def stylesheet(path: str) -> Stylesheet | None:
    """The static file ``path`` (its source, found as ``collectstatic`` finds it); None if it is missing."""
    found = finders.find(path)
    if not found:
        return None
    return _read(found, os.stat(found).st_mtime, path)


def stylesheet_tag(context, path: str) -> str:
    """``<link>`` for a browser whose cookie names this version of the file, the file inline for any other."""
    sheet = stylesheet(path)
    if sheet is None:
        return format_html('<link rel="stylesheet" href="{}">', static(path))
    request = context.get("request")
    cached = request is not None and request.COOKIES.get(COOKIE) == sheet.version
    if cached or "</" in sheet.text:
        return format_html('<link rel="stylesheet" href="{}">', sheet.url)
    return format_html(
        '<style {} data-stylesheet="{}" data-version="{}">{}</style>',
        nonce_attr(context),
        sheet.url,
        sheet.version,
        # CSS is not HTML: written as it is (it holds no "</", checked above), never escaped.
        mark_safe(sheet.text),  # noqa: S308  (the project's own static file, checked to hold no closing tag)
    )
