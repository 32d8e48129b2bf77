"""Who may do what to a results framework and its reports, and why not: asked by the services before they act,
and by the pages, the portal and the API before they offer a move."""

from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import sees_everything
from cooperation.refusals import Refusal, Refused
from cooperation.roles import Perm
from cooperation.workflow import Move, maker_checker_refusal, move_refusal, permission_refusal
from partners.selectors import user_organisation_ids
from programs.results.models import Report, ReportStatus


class ResultsRefusal(StrEnum):
    """The results module's refusals (beside the kernel's ``Refused``)."""

    NOT_REPORTER = "not_reporter"  # the partner does not report any indicator of this programme
    PERIOD_NOT_BEGUN = "period_not_begun"  # a report for a period that has not started
    NO_PERIODS = "no_periods"  # the programme has no dates to cut periods from
    REVISION_REASON_REQUIRED = "revision_reason_required"  # changing what approved values were measured against
    NOT_ADDING_UP = "not_adding_up"  # disaggregated values that do not add up to the total
    OUT_OF_RANGE = "value_out_of_range"  # a percentage over 100, a negative count, a yes/no other than 1 or 0
    VALUE_REQUIRED = "value_required"
    WRONG_PROGRAMME = "wrong_programme"  # a parent result, a reporter or a period of another programme
    LOCKED = "locked"  # an approved report, a period already reported
    INVALID_FILE = "invalid_file"  # evidence that is not a photo or a plain PDF, or too large


S = ReportStatus
EDITABLE = frozenset({S.DRAFT, S.RETURNED})

REPORT_MOVES = {
    "save": Move(EDITABLE, gettext_lazy("This report is %s: it can no longer be changed.")),
    "submit": Move(EDITABLE, gettext_lazy("Only a draft or returned report can be submitted; this one is %s.")),
    "approve": Move({S.SUBMITTED}, gettext_lazy("Only a submitted report can be approved; this one is %s.")),
    "return": Move({S.SUBMITTED}, gettext_lazy("Only a submitted report can be returned; this one is %s.")),
}
REPORT_MOVE_PERMS = {
    "save": Perm.ADD_RESULTS_REPORT,
    "submit": Perm.ADD_RESULTS_REPORT,
    "approve": Perm.REVIEW_RESULTS_REPORT,
    "return": Perm.REVIEW_RESULTS_REPORT,
}


def reporter_refusal(user, organisation_id: int) -> Refusal | None:
    """Staff report on any partner's behalf; a partner user only for their own organisation."""
    if sees_everything(user) or organisation_id in user_organisation_ids(user):
        return None
    return Refusal(Refused.NOT_PERMITTED, _("Only the reporting partner can fill in this report."), offered=False)


def report_move_refusal(report: Report, user, move: str) -> Refusal | None:
    """Why ``user`` may not make ``move`` (a key of ``REPORT_MOVES``) on ``report`` now, or None.

    In order: the role's permission, the reporting organisation (a partner's user fills only their own), the
    status, and maker–checker: an officer who entered and submitted a report on the partner's behalf does not
    approve it too."""
    return (
        permission_refusal(user, REPORT_MOVE_PERMS[move])
        or (reporter_refusal(user, report.organisation_id) if move in ("save", "submit") else None)
        or move_refusal(report, REPORT_MOVES, move)
        or (
            maker_checker_refusal(
                report.submitted_by_id if report.on_behalf else None,
                user,
                _("You entered this report on the partner's behalf, so another officer must review it."),
            )
            if move == "approve"
            else None
        )
    )


def framework_refusal(user, *, has_approved_values: bool, reason: str) -> Refusal | None:
    """Why ``user`` may not change a programme's framework now: the role, then (once values measured against it
    were approved) the reason every revision must give."""
    return permission_refusal(user, Perm.CHANGE_FRAMEWORK) or (
        Refusal(
            ResultsRefusal.REVISION_REASON_REQUIRED,
            _("Values reported against this indicator were approved: say why it is revised."),
            "revision_reason",
        )
        if has_approved_values and not (reason or "").strip()
        else None
    )
