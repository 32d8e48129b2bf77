"""Every write to scholarship calls, applications, reviews, awards, stipends, progress reports and exchange
activities. One function per business action: keyword-only arguments, the acting user, a named permission,
validation before anything is saved, one transaction."""

from programs.scholarships.services.activities import activity_create, activity_report, activity_update
from programs.scholarships.services.applications import (
    application_complete,
    application_mark_eligible,
    application_mark_ineligible,
    application_shortlist,
    application_submit,
    application_terminate,
    application_withdraw,
    attachment_add,
)
from programs.scholarships.services.awards import (
    application_accept_award,
    application_approve_award,
    application_confirm_enrolment,
    application_decline_award,
    application_propose_award,
    application_reject_award,
)
from programs.scholarships.services.calls import call_create, call_set_criteria, call_update
from programs.scholarships.services.guards import (
    APPLICATION_MOVE_RULES,
    APPLICATION_MOVES,
    application_move_refusal,
    quota_message,
)
from programs.scholarships.services.refusals import ScholarshipRefusal
from programs.scholarships.services.reviews import (
    criterion_field,
    review_assign,
    review_declare_conflict,
    review_move_refusal,
    review_submit_scores,
    review_unassign,
    unassign_refusal,
)
from programs.scholarships.services.stipends import (
    REPORT_GATE_MESSAGES,
    TRANCHE_MOVES,
    progress_report_accept,
    progress_report_return,
    progress_report_submit,
    report_gate,
    report_gate_message,
    tranche_approve,
    tranche_cancel,
    tranche_move_refusal,
    tranche_pay,
)

__all__ = [
    "APPLICATION_MOVES",
    "APPLICATION_MOVE_RULES",
    "ScholarshipRefusal",
    "application_move_refusal",
    "quota_message",
    "review_move_refusal",
    "tranche_move_refusal",
    "unassign_refusal",
    "REPORT_GATE_MESSAGES",
    "TRANCHE_MOVES",
    "activity_create",
    "activity_report",
    "activity_update",
    "application_accept_award",
    "application_approve_award",
    "application_complete",
    "application_confirm_enrolment",
    "application_decline_award",
    "application_mark_eligible",
    "application_mark_ineligible",
    "application_propose_award",
    "application_reject_award",
    "application_shortlist",
    "application_submit",
    "application_terminate",
    "application_withdraw",
    "attachment_add",
    "call_create",
    "call_set_criteria",
    "call_update",
    "criterion_field",
    "progress_report_accept",
    "progress_report_return",
    "progress_report_submit",
    "report_gate",
    "report_gate_message",
    "review_assign",
    "review_declare_conflict",
    "review_submit_scores",
    "review_unassign",
    "tranche_approve",
    "tranche_cancel",
    "tranche_pay",
]
