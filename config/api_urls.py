"""The REST API, version 1 (mounted at /api/v1/)."""

from django.urls import path, re_path
from django.utils.module_loading import import_string
from rest_framework import exceptions
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from cooperation import registry
from cooperation.api.auth import ApiLogoutView, ObtainApiTokenView, OwnApiTokenViewSet

app_name = "api"

# Path converters (<int:pk>): a non-numeric id is a 404, and the schema knows ids are integers.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # `?format=json` does the same, without doubling every route
router.register("auth/tokens", OwnApiTokenViewSet, basename="auth-token")
for module in registry.api_route_modules():  # each module's routes, as its AppConfig registered them
    router.registry.extend(import_string(f"{module}.router").registry)


class NoSuchEndpointView(APIView):
    """Any other address under the API (``/loans/abc/``, ``/loans/-1/``): a 404 in the API's error shape.

    Django's own 404 page is HTML; a client of the API reads every answer the same way. Only addresses ending in
    a slash: a missing slash is still redirected to the address with one.
    """

    authentication_classes = ()
    permission_classes = ()
    schema = None  # not an operation of the API

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise exceptions.NotFound()


urlpatterns = [
    path("auth/token/", ObtainApiTokenView.as_view(), name="api-token"),
    path("auth/logout/", ApiLogoutView.as_view(), name="api-logout"),
    *router.urls,
    re_path(r"^[\s\S]*/$", NoSuchEndpointView.as_view()),  # any character, a line break too
]
