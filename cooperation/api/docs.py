"""The interactive API docs (Swagger UI, served from the application's own static files)."""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerView


class ApiDocsView(SpectacularSwaggerView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # drf-spectacular opens the page to cross-origin openers for OAuth2 sign-in pop-ups; the API signs in with
        # sessions and tokens only, so the page keeps the same-origin isolation every other page has.
        response.headers.pop("Cross-Origin-Opener-Policy", None)
        return response
