"""Programme routes of the REST API, mounted under /api/v1/ through the registry."""

from rest_framework.routers import SimpleRouter

from programs.api.views import ParticipationViewSet, ProgrammeUpdateViewSet, ProgrammeViewSet

router = SimpleRouter(use_regex_path=False)
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("participations", ParticipationViewSet, basename="participation")
router.register("programme-updates", ProgrammeUpdateViewSet, basename="programme-update")
