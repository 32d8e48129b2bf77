"""The stack's own floor: what a signed-in request costs before it reads any data.

A list's raw-SQL floor is a millisecond or less: the rows, with no session, no authentication, no template. A page
also passes through the middleware (session, CSRF, locale, security headers, compression), finds who is signed in,
and draws the layout every page shares; an API answer is authenticated, checked and rendered as JSON. Those costs do
not grow with the data. The harness measures them with two answers that read no data, served by the same stack:

- an empty page: the shared layout (``base.html``, with its navigation for the signed-in user) and nothing in it;
- an empty API list: the default authentication and permission classes, an empty page of results as JSON.

Each entry is then also compared with its floor served by the stack: ``app / (raw-SQL floor + stack floor)``.
These two answers exist only in the harness's URLconf (``ROOT_URLCONF`` of the run), never in the project's.
"""

import statistics
import time

from django.http import HttpResponse
from django.template import engines
from django.test import override_settings
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from cooperation.api.permissions import perm_required
from cooperation.roles import Perm

EMPTY_PAGE_URL = "/harness/empty-page/"
EMPTY_API_URL = "/harness/empty-api/"
API_KINDS = {"api"}
PAGE_KINDS = {"page", "record", "hub", "dashboard"}

_EMPTY = engines["django"].from_string('{% extends "base.html" %}{% block title %}—{% endblock %}')


def empty_page(request):
    return HttpResponse(_EMPTY.render({}, request))


class EmptyList(APIView):
    """An API list with nothing in it, behind the project's default authentication and permissions."""

    permission_classes = [perm_required(Perm.VIEW_DASHBOARD)]

    def get(self, request):
        return Response({"count": 0, "next": None, "previous": None, "results": []})


urlpatterns = [
    path(EMPTY_PAGE_URL.strip("/") + "/", empty_page),
    path(EMPTY_API_URL.strip("/") + "/", EmptyList.as_view()),
    path("", include("config.urls")),
]


def harness_urls():
    """The project's URLs and the two empty answers (``override_settings`` for the run)."""
    return override_settings(ROOT_URLCONF=__name__)


def stack_floors(client, rounds: int = 15) -> dict[str, float]:
    """Median milliseconds of the empty page and the empty API list, signed in as ``client`` is."""
    floors = {}
    for kind, url in (("page", EMPTY_PAGE_URL), ("api", EMPTY_API_URL)):
        client.get(url)  # warm-up
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        floors[kind] = statistics.median(times)
    return floors


def stack_floor_of(kind: str, floors: dict[str, float]) -> float | None:
    if kind in API_KINDS:
        return floors.get("api")
    if kind in PAGE_KINDS:
        return floors.get("page")
    return None
