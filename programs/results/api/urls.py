"""Results routes of the REST API, mounted under /api/v1/ through the registry."""

from rest_framework.routers import SimpleRouter

from programs.results.api.views import (
    IndicatorViewSet,
    PeriodViewSet,
    ProgrammeResultsViewSet,
    ReportViewSet,
    ResultViewSet,
)

router = SimpleRouter(use_regex_path=False)
router.register("results", ResultViewSet, basename="result")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("reporting-periods", PeriodViewSet, basename="reporting-period")
router.register("results-reports", ReportViewSet, basename="results-report")
# /programmes/{id}/results/progress/: beside the programme's own routes, as budgets add /programmes/{id}/budget/.
router.register("programmes", ProgrammeResultsViewSet, basename="programme")
