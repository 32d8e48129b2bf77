"""Stipend tranches and the progress reports that gate them (the calendar is in ``terms``).

Tranches are scheduled once, when the host confirms enrolment. Approving one for payment needs the latest
progress report due on or before its due date to be in and accepted (``report_gate``); paying needs an
approval. Reports come from the host institution; officers accept them or return them with a reason, and
a returned report is replaced by a new one.
"""

import datetime
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from cooperation import money_flows
from cooperation.dates import in_range, range_message
from cooperation.refusals import Refusal, enforce
from cooperation.roles import Perm
from cooperation.tranche_services import TranchePipeline, tranche_moves
from cooperation.workflow import Move, lock_for, lock_row, move_refusal, permission_refusal, require_reason, save_by
from programs.scholarships.models import Application, ApplicationStatus, ProgressReport, ReportStatus, StipendTranche
from programs.scholarships.services._common import create_by, date_text, errors_or_clean, member_refusal
from programs.scholarships.services.refusals import ScholarshipRefusal
from programs.scholarships.terms import latest_report_due, stipend_plan

TRANCHE_MOVES = tranche_moves(
    approve=gettext_lazy("Only a scheduled tranche can be approved; this one is %s."),
    pay=gettext_lazy("Only an approved tranche can be paid; this one is %s."),
    cancel=gettext_lazy("A tranche that is %s can no longer be cancelled."),
)
R = ReportStatus
REPORT_MOVES = {
    "decide": Move({R.SUBMITTED}, gettext_lazy("Only a submitted report can be accepted or returned; this one is %s.")),
}
REPORT_DECIDE_PERM = Perm.CHANGE_PROGRESS_REPORT
REPORT_MOVE_PERMS = dict.fromkeys(("accept", "return"), REPORT_DECIDE_PERM)  # the two ways to decide
# Scholars whose stipends may still be approved: enrolled, or completed with tranches approved before.
PAYABLE_SCHOLARS = {ApplicationStatus.ENROLLED}
TRANCHE_PERMS = {"approve": Perm.APPROVE_STIPEND, "pay": Perm.CHANGE_STIPEND, "cancel": Perm.CHANGE_STIPEND}


def schedule_tranches(application: Application, user) -> list[StipendTranche]:
    """Create the tranches of an enrolled scholar's stipend, once (see ``terms.stipend_plan``)."""
    if application.tranches.exists():
        return list(application.tranches.all())
    call = application.call
    plan = stipend_plan(
        enrolled_on=application.enrolled_on,
        frequency=call.stipend_frequency,
        duration_months=call.duration_months,
        amount=call.stipend_amount,
        currency=call.stipend_currency,
    )
    tranches = [
        StipendTranche(application=application, currency=call.stipend_currency, **asdict(planned)) for planned in plan
    ]
    return bulk_create_with_history(tranches, StipendTranche, default_user=user)


def report_gate(tranche: StipendTranche) -> tuple[datetime.date | None, bool]:
    """(the due date of the report this tranche waits for, whether an accepted report covers it).

    No report is needed (None, True) for tranches due before the first report falls due.
    """
    application = tranche.application
    due = latest_report_due(application.enrolled_on, application.call.duration_months, tranche.due_on)
    if due is None:
        return None, True
    covered = ProgressReport.objects.filter(
        application=application, status=ReportStatus.ACCEPTED, period_end__gte=due
    ).exists()
    return due, covered


# Why a tranche waits, by the state of the report it needs (see ``selectors.tranche_report_gate``).
REPORT_GATE_MESSAGES = {
    "missing": gettext_lazy(
        "The host institution has not submitted the progress report due on %(date)s yet: this tranche can be "
        "approved once that report is in and accepted."
    ),
    "submitted": gettext_lazy(
        "The progress report due on %(date)s is in but not accepted yet: accept it, then approve this tranche."
    ),
    "returned": gettext_lazy(
        "The progress report due on %(date)s was returned to the host institution: this tranche can be approved "
        "once a corrected report is in and accepted."
    ),
}


def report_gate_message(state: str, due: datetime.date) -> str:
    return str(REPORT_GATE_MESSAGES[state]) % {"date": date_text(due)}


def _uncovered_report_state(application: Application, due: datetime.date) -> str:
    """Where the report a tranche waits for stands when no accepted one covers it: submitted, returned or missing."""
    covering = ProgressReport.objects.filter(application=application, period_end__gte=due)
    if covering.filter(status=ReportStatus.SUBMITTED).exists():
        return "submitted"
    if covering.filter(status=ReportStatus.RETURNED).exists():
        return "returned"
    return "missing"


def _approval_refusal(tranche: StipendTranche, *, known_gate: tuple | None = None) -> Refusal | None:
    """A tranche is approved only for an enrolled scholar, once the progress report due before it is accepted.
    ``known_gate`` is (that report's due date, its state) when the caller already read it (a list page does)."""
    application = tranche.application
    if application.status not in PAYABLE_SCHOLARS:
        return Refusal(
            ScholarshipRefusal.SCHOLAR_NOT_ENROLLED,
            _("Stipends are approved only for an enrolled scholar; this one is %s.") % application.get_status_display(),
        )
    if known_gate is None:
        due, covered = report_gate(tranche)
        report_state = None if covered else _uncovered_report_state(application, due)
    else:
        due, report_state = known_gate
    if report_state in REPORT_GATE_MESSAGES:
        return Refusal(ScholarshipRefusal.REPORT_NOT_ACCEPTED, report_gate_message(report_state, due))
    return None


def tranche_move_refusal(tranche: StipendTranche, user, move: str, *, known_gate: tuple | None = None):
    """Why ``user`` may not ``approve``, ``pay`` or ``cancel`` this tranche now (None when they may): the role,
    the tranche's status (neither offered), then for approval the scholar's status and the report gate (shown)."""
    return (
        permission_refusal(user, TRANCHE_PERMS[move])
        or move_refusal(tranche, TRANCHE_MOVES, move)
        or (_approval_refusal(tranche, known_gate=known_gate) if move == "approve" else None)
    )


STIPEND_TRANCHES = TranchePipeline(
    moves=TRANCHE_MOVES,
    perms=TRANCHE_PERMS,
    guard=tranche_move_refusal,
    no_date=Refusal(ScholarshipRefusal.DATE_REQUIRED, gettext_lazy("Give the date."), "paid_on"),
    cancel_note="status_note",
)


@transaction.atomic
def tranche_approve(*, tranche: StipendTranche, approved_by) -> StipendTranche:
    """Release a tranche for payment, once the progress report due before it is in and accepted."""
    return _moved(STIPEND_TRANCHES.approve(tranche, approved_by, approved_at=timezone.now()))


@transaction.atomic
def tranche_pay(*, tranche: StipendTranche, paid_by, paid_on: datetime.date, payment_reference="") -> StipendTranche:
    return _moved(STIPEND_TRANCHES.pay(tranche, paid_by, paid_on=paid_on, payment_reference=payment_reference))


@transaction.atomic
def tranche_cancel(*, tranche: StipendTranche, cancelled_by, reason: str) -> StipendTranche:
    return _moved(STIPEND_TRANCHES.cancel(tranche, cancelled_by, reason=reason))


def _moved(tranche: StipendTranche) -> StipendTranche:
    """A stipend approved, paid or cancelled moves the programme's money flows."""
    money_flows.changed(tranche.application.call.programme_id)
    return tranche


# --- progress reports ---------------------------------------------------------------------------------------------


def report_submit_refusal(application: Application, user) -> Refusal | None:
    """Only the host institution reports, and only on an enrolled scholar."""
    refusal = permission_refusal(user, Perm.ADD_PROGRESS_REPORT) or member_refusal(
        user, application.call.host_id, _("Only the host institution can report on this scholar.")
    )
    if refusal is None and application.status != ApplicationStatus.ENROLLED:
        message = _("Progress is reported for an enrolled scholar; this one is %s.") % application.get_status_display()
        return Refusal(ScholarshipRefusal.SCHOLAR_NOT_ENROLLED, message, offered=False)
    return refusal


def report_decide_refusal(report: ProgressReport, user) -> Refusal | None:
    """Officers accept or return a report the host submitted (neither is offered otherwise)."""
    return permission_refusal(user, REPORT_DECIDE_PERM) or move_refusal(report, REPORT_MOVES, "decide")


@transaction.atomic
def progress_report_submit(
    *, application: Application, submitted_by, term_label, period_end: datetime.date, result, remarks=""
) -> ProgressReport:
    """The host institution reports an enrolled scholar's term: its label, when it ended, the result."""
    enforce(report_submit_refusal(application, submitted_by))
    lock_row(application)
    enforce(report_submit_refusal(application, submitted_by))
    errors = {}
    if period_end is None:
        errors["period_end"] = _("Give the date.")
    elif not in_range(period_end):
        errors["period_end"] = range_message()
    elif period_end > timezone.localdate():
        errors["period_end"] = _("Report a term once it has ended: this date is in the future.")
    elif period_end <= application.enrolled_on:
        errors["period_end"] = _("The scholar enrolled on %(date)s: the period must end after that.") % {
            "date": date_text(application.enrolled_on)
        }
    elif application.progress_reports.filter(period_end=period_end, status__in=(R.SUBMITTED, R.ACCEPTED)).exists():
        # A second tap on a slow link, or the same term twice: a returned report is the only one to replace.
        errors["period_end"] = _("A progress report for the period ending %(date)s is already in.") % {
            "date": date_text(period_end)
        }
    report = ProgressReport(
        application=application,
        term_label=(term_label or "").strip(),
        period_end=period_end,
        result=(result or "").strip(),
        remarks=(remarks or "").strip(),
        submitted_by=submitted_by,
    )
    errors_or_clean(report, errors)
    return create_by(report, submitted_by)


@transaction.atomic
def progress_report_accept(*, report: ProgressReport, accepted_by) -> ProgressReport:
    enforce(report_decide_refusal(report, accepted_by))
    lock_for(report, REPORT_MOVES, "decide")
    report.status = R.ACCEPTED
    report.reviewed_by = accepted_by
    report.reviewed_at = timezone.now()
    return save_by(report, accepted_by, ["status", "reviewed_by", "reviewed_at"])


@transaction.atomic
def progress_report_return(*, report: ProgressReport, returned_by, reason: str) -> ProgressReport:
    """Send a report back to the host with the reason; they submit a corrected one."""
    enforce(report_decide_refusal(report, returned_by))
    reason = require_reason(reason)
    lock_for(report, REPORT_MOVES, "decide")
    report.status = R.RETURNED
    report.reviewed_by = returned_by
    report.reviewed_at = timezone.now()
    report.return_reason = reason
    return save_by(report, returned_by, ["status", "reviewed_by", "reviewed_at", "return_reason"])
