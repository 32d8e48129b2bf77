"""Requests refused before any view reads them, and writes remembered once answered."""

import re

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from cooperation import kept

# The NUL character is never part of a name, a number or a note, and PostgreSQL cannot store it in text: a
# lookup with it fails in the database. Refused wherever text arrives: the query string, a form post, JSON.
NUL_IN_URL = re.compile(r"%00")
NUL_IN_JSON = re.compile(rb"\\u0000", re.IGNORECASE)
TEXT_BODIES = ("application/x-www-form-urlencoded", "application/json")
API_PREFIX = "/api/"
NULL_CHARACTER_CODE = "null_character"


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
            message = _("Text cannot contain the NUL character.")
            if request.path.startswith(API_PREFIX):
                # The API's one error shape (cooperation.api.exceptions), so clients read it like any other refusal.
                error = {"code": NULL_CHARACTER_CODE, "detail": message, "attr": None}
                return JsonResponse({"type": "client_error", "errors": [error]}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain")
        return self.get_response(request)


WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RememberWritesMiddleware:
    """Note in a signed-in reader's session when they send a write, after it is answered (and committed): a page
    the worker refreshes shows them their own change at once (``cooperation.kept.wrote_since``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method in WRITING_METHODS and user is not None and user.is_authenticated:
            kept.remember_write(request)
        return response
