"""Scholarship and exchange routes of the REST API, mounted under /api/v1/ through the registry."""

from rest_framework.routers import SimpleRouter

from programs.scholarships.api.views import (
    ActivityViewSet,
    AlumniOutcomeViewSet,
    ApplicationViewSet,
    CallViewSet,
    ProgressReportViewSet,
    ReviewViewSet,
    StipendTrancheViewSet,
)

router = SimpleRouter(use_regex_path=False)
router.register("scholarship-calls", CallViewSet, basename="call")
router.register("scholarship-applications", ApplicationViewSet, basename="application")
router.register("scholarship-reviews", ReviewViewSet, basename="review")
router.register("stipend-tranches", StipendTrancheViewSet, basename="stipend-tranche")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("exchange-activities", ActivityViewSet, basename="activity")
router.register("alumni-outcomes", AlumniOutcomeViewSet, basename="alumni-outcome")
