"""The officers' results pages (mounted at /results/): a programme's framework, the reports to review, a report's
page and its moves, a report entered on the partner's behalf."""

from programs.results.views.entry import report_enter
from programs.results.views.framework import (
    framework,
    indicator_create,
    indicator_edit,
    indicator_move,
    indicator_remove,
    indicator_targets,
    plan_set,
    result_create,
    result_edit,
    result_move,
    result_remove,
)
from programs.results.views.reports import MOVES, evidence_download, report_detail, report_move, review_list

__all__ = [
    "MOVES",
    "evidence_download",
    "framework",
    "indicator_create",
    "indicator_edit",
    "indicator_move",
    "indicator_targets",
    "plan_set",
    "report_detail",
    "report_enter",
    "report_move",
    "result_create",
    "result_edit",
    "result_move",
    "indicator_remove",
    "result_remove",
    "review_list",
]
