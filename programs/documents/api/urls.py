"""Document routes of the REST API, mounted under /api/v1/ through the registry."""

from rest_framework.routers import SimpleRouter

from programs.documents.api.views import DocumentViewSet

router = SimpleRouter(use_regex_path=False)
router.register("documents", DocumentViewSet, basename="document")
