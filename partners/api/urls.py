"""Partner routes of the REST API, mounted under /api/v1/ through the registry."""

from rest_framework.routers import SimpleRouter

from partners.api.views import OrganisationViewSet

router = SimpleRouter(use_regex_path=False)
router.register("partners", OrganisationViewSet, basename="organisation")
