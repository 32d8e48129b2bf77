"""Reads of results frameworks and reports, scoped to who asks.

Who sees what: officers, managers, auditors and administrators (``sees_everything``) see every programme's
framework and every report. A partner user sees the frameworks of the programmes their organisation takes part
in, and only the reports their organisation is responsible for; anything else is 404.
"""

from programs.results.selectors.dashboard import GoalRow, ResultsFigures, results_dashboard
from programs.results.selectors.frameworks import (
    framework,
    framework_indicators,
    framework_programmes,
    indicator_get,
    indicator_list,
    period_get,
    period_list,
    programme_for_framework,
    result_get,
    result_list,
)
from programs.results.selectors.progress import (
    IndicatorProgress,
    Status,
    indicator_progress,
    programme_progress,
    status_counts,
)
from programs.results.selectors.reports import (
    DueReport,
    OverdueReports,
    awaiting_review,
    evidence_get,
    report_get,
    report_list,
    report_page,
    report_rows,
    report_values,
    reports_due,
    reports_owed,
)

__all__ = [
    "DueReport",
    "GoalRow",
    "IndicatorProgress",
    "OverdueReports",
    "ResultsFigures",
    "Status",
    "awaiting_review",
    "evidence_get",
    "framework",
    "framework_indicators",
    "framework_programmes",
    "indicator_list",
    "period_list",
    "result_list",
    "indicator_get",
    "indicator_progress",
    "period_get",
    "programme_for_framework",
    "programme_progress",
    "report_get",
    "report_list",
    "report_page",
    "report_rows",
    "report_values",
    "reports_due",
    "reports_owed",
    "result_get",
    "results_dashboard",
    "status_counts",
]
