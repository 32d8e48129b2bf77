"""The REST API, version 1 (mounted at /api/v1/)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from cooperation.api.auth import ApiLogoutView, ObtainApiTokenView, OwnApiTokenViewSet
from partners.api.views import OrganisationViewSet
from programs.api.views import ParticipationViewSet, ProgrammeUpdateViewSet, ProgrammeViewSet
from programs.finance.api.urls import router as finance_router
from programs.scholarships.api.urls import router as scholarships_router
from programs.shipments.api.urls import router as shipments_router

app_name = "api"

# Path converters (<int:pk>): a non-numeric id is a 404, and the schema knows ids are integers.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # `?format=json` does the same, without doubling every route
router.register("auth/tokens", OwnApiTokenViewSet, basename="auth-token")
router.register("partners", OrganisationViewSet, basename="organisation")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("participations", ParticipationViewSet, basename="participation")
router.register("programme-updates", ProgrammeUpdateViewSet, basename="programme-update")
router.registry.extend(finance_router.registry)
router.registry.extend(shipments_router.registry)
router.registry.extend(scholarships_router.registry)

urlpatterns = [
    path("auth/token/", ObtainApiTokenView.as_view(), name="api-token"),
    path("auth/logout/", ApiLogoutView.as_view(), name="api-logout"),
    *router.urls,
]
