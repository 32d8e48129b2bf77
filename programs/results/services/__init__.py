"""Every write of the results module (see the package's modules)."""

from programs.results.services.evidence import evidence_add, evidence_problem, evidence_remove
from programs.results.services.framework import (
    has_approved_values,
    indicator_create,
    indicator_delete,
    indicator_move,
    indicator_update,
    result_create,
    result_delete,
    result_move,
    result_update,
    targets_set,
    value_problem,
)
from programs.results.services.guards import (
    REPORT_MOVE_PERMS,
    REPORT_MOVES,
    ResultsRefusal,
    framework_refusal,
    report_move_refusal,
    reporter_refusal,
)
from programs.results.services.periods import cut_periods, periods_sync, plan_set, programme_span
from programs.results.services.reports import (
    missing_values,
    report_approve,
    report_open,
    report_return,
    report_save,
    report_submit,
    reported_indicators,
)

__all__ = [
    "REPORT_MOVES",
    "REPORT_MOVE_PERMS",
    "ResultsRefusal",
    "cut_periods",
    "evidence_add",
    "evidence_problem",
    "evidence_remove",
    "framework_refusal",
    "has_approved_values",
    "indicator_create",
    "indicator_delete",
    "indicator_move",
    "indicator_update",
    "missing_values",
    "periods_sync",
    "plan_set",
    "programme_span",
    "report_approve",
    "report_move_refusal",
    "report_open",
    "report_return",
    "report_save",
    "report_submit",
    "reported_indicators",
    "reporter_refusal",
    "result_create",
    "result_delete",
    "result_move",
    "result_update",
    "targets_set",
    "value_problem",
]
