"""What this module shows on other pages, registered in ``apps.py``; the portal's panels are in ``portal_panels``."""

from django.urls import reverse

from cooperation.roles import Perm
from programs.results import selectors
from programs.results.models import ReportStatus
from programs.results.portal_panels import portal_home, portal_programme

__all__ = ["portal_home", "portal_programme", "programme_detail"]


def programme_detail(request, programme):
    """The programme page's Results panel: its indicators by status, its reports awaiting review and overdue, and
    the way to its framework; a fixed number of queries however large the framework. None for those who may not
    read results."""
    user = request.user
    if not user.has_perm(Perm.VIEW_RESULT):
        return None
    result_count, indicators = selectors.framework_indicators(user=user, programme=programme)
    periods = list(programme.reporting_periods.order_by("starts_on"))
    progress = selectors.indicator_progress(indicators, periods)
    counts = selectors.status_counts(progress)
    reports = selectors.report_list(user=user).filter(period__programme=programme)
    overdue = [entry for entry in selectors.reports_due(user=user, programme=programme) if entry.overdue]
    return {
        "programme": programme,
        "indicator_count": len(indicators),
        "result_count": result_count,
        "period_count": len(periods),
        "counts": [(status, status.label, counts[status]) for status in selectors.Status],
        "progress": progress,
        "awaiting": reports.filter(status=ReportStatus.SUBMITTED).count(),
        "overdue": len(overdue),
        "framework_url": reverse("results:framework", args=[programme.pk]),
        "review_url": reverse("results:review_list"),
    }
