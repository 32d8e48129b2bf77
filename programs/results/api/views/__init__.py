"""Results frameworks and partners' results reports over the API."""

from programs.results.api.views.framework import IndicatorViewSet, PeriodViewSet, ResultViewSet
from programs.results.api.views.progress import ProgrammeResultsViewSet
from programs.results.api.views.reports import ReportViewSet

__all__ = ["IndicatorViewSet", "PeriodViewSet", "ProgrammeResultsViewSet", "ReportViewSet", "ResultViewSet"]
