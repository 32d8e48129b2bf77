"""Requests refused before any view reads them."""

import re

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

# The NUL character is never part of a name, a number or a note, and PostgreSQL cannot store it in text: a
# lookup with it fails in the database. Refused wherever text arrives: the query string, a form post, JSON.
NUL_IN_URL = re.compile(r"%00")
NUL_IN_JSON = re.compile(rb"\\u0000", re.IGNORECASE)
TEXT_BODIES = ("application/x-www-form-urlencoded", "application/json")


def _carries_nul(request) -> bool:
    if NUL_IN_URL.search(request.META.get("QUERY_STRING", "")):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if not content_type.startswith(TEXT_BODIES):
        return False  # uploads are binary: a PDF holds NUL bytes; multipart text fields are checked by forms
    body = request.body
    return b"%00" in body or b"\x00" in body or bool(NUL_IN_JSON.search(body))


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _carries_nul(request):
            return HttpResponseBadRequest(_("Text cannot contain the NUL character."), content_type="text/plain")
        return self.get_response(request)
