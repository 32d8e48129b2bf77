"""A loan's life: drafted, submitted, approved (its schedule fixed) or rejected, disbursed, cancelled or written off."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from cooperation import money_flows
from cooperation.access import require_perm
from cooperation.dates import check_date
from cooperation.refusals import raise_refusal, refuse
from cooperation.risk import acknowledge
from cooperation.roles import Perm
from cooperation.workflow import lock_for, new_values, only_fields, require_reason, save_by, update_by
from programs.finance.models import DayCountConvention, Installment, Loan, LoanStatus
from programs.finance.services.guards import LOAN_MOVE_PERMS, LOAN_MOVES, FinanceRefusal, loan_move_refusal
from programs.finance.services.terms import LOAN_FIELDS, loan_schedule_rows, save_with_reference, validate_loan
from programs.finance.summaries import keeps_figures


def _lock_for_move(loan: Loan, user, move: str) -> None:
    """Lock the loan, then refuse the move unless its guard allows it to ``user`` on the loan as it now stands."""
    lock_for(loan, LOAN_MOVES, move)
    raise_refusal(loan_move_refusal(loan, user, move))


# What a new draft holds where its creator gives nothing.
LOAN_DEFAULTS = {
    "lender": None,
    "grace_periods": 0,
    "day_count": DayCountConvention.THIRTY_E_360,
    "discount_rate": Decimal("5"),
    "purpose": "",
}


@transaction.atomic
def loan_create(*, created_by, risk_acknowledged: bool = False, **data) -> Loan:
    """Draft a loan (one of LOAN_FIELDS each, see LOAN_DEFAULTS); its schedule is generated on approval. A borrower
    with risk flags needs ``risk_acknowledged``; the draft's history then names the flags."""
    require_perm(created_by, Perm.ADD_LOAN)
    loan = Loan(
        **new_values("loan_create", data, LOAN_FIELDS, LOAN_DEFAULTS), status=LoanStatus.DRAFT, created_by=created_by
    )
    validate_loan(loan)
    acknowledge(loan.borrower, risk_acknowledged, record=loan)
    loan._history_user = created_by
    save_with_reference(loan, "LN")
    return loan


@transaction.atomic
def loan_update(*, loan: Loan, updated_by, **data) -> Loan:
    """Change a draft's terms or parties; only the fields given change."""
    require_perm(updated_by, Perm.CHANGE_LOAN)
    only_fields("loan_update", data, LOAN_FIELDS)
    _lock_for_move(loan, updated_by, "update")
    return update_by(loan, updated_by, LOAN_FIELDS, data, validate=validate_loan)


@transaction.atomic
def loan_submit(*, loan: Loan, submitted_by) -> Loan:
    require_perm(submitted_by, Perm.CHANGE_LOAN)
    _lock_for_move(loan, submitted_by, "submit")
    validate_loan(loan)  # the programme or participation may have changed since drafting
    loan.status = LoanStatus.SUBMITTED
    loan.status_note = ""
    return save_by(loan, submitted_by, ["status", "status_note"])


@transaction.atomic
@keeps_figures
def loan_approve(*, loan: Loan, approved_by) -> Loan:
    """Approve a submitted loan (maker–checker) and generate its schedule, once."""
    require_perm(approved_by, Perm.APPROVE_LOAN)
    _lock_for_move(loan, approved_by, "approve")
    approved_at = timezone.now()
    if not loan.schedule.exists():
        bulk_create_with_history(
            [
                Installment(
                    loan=loan,
                    number=row.number,
                    due_date=row.due_date,
                    principal_due=row.principal,
                    interest_due=row.interest,
                    balance_after=row.balance_after,
                )
                for row in loan_schedule_rows(loan)
            ],
            Installment,
            default_user=approved_by,
            default_date=approved_at,
        )
    loan.status = LoanStatus.APPROVED
    loan.approved_by = approved_by
    loan.approved_at = approved_at
    money_flows.changed(loan.programme_id)
    return save_by(loan, approved_by, ["status", "approved_by", "approved_at"])


def _close(loan: Loan, user, *, move: str, status: LoanStatus, reason: str) -> Loan:
    """End a loan's life in ``status`` for a stated reason (rejected, cancelled, written off)."""
    require_perm(user, LOAN_MOVE_PERMS[move])
    reason = require_reason(reason)
    _lock_for_move(loan, user, move)
    loan.status = status
    loan.status_note = reason
    loan.closed_on = timezone.localdate()
    money_flows.changed(loan.programme_id)  # an approved loan cancelled is no longer committed
    return save_by(loan, user, ["status", "status_note", "closed_on"])


@transaction.atomic
@keeps_figures
def loan_reject(*, loan: Loan, rejected_by, reason: str) -> Loan:
    return _close(loan, rejected_by, move="reject", status=LoanStatus.REJECTED, reason=reason)


@transaction.atomic
@keeps_figures
def loan_disburse(*, loan: Loan, disbursed_by, disbursed_on: datetime.date) -> Loan:
    """Record that the money went out: the loan becomes active and repayments can be recorded."""
    require_perm(disbursed_by, Perm.CHANGE_LOAN)
    if disbursed_on is None:
        raise refuse(FinanceRefusal.DATE_REQUIRED, _("Give the date the money was disbursed."), "disbursed_on")
    check_date(disbursed_on, "disbursed_on", past=True)
    _lock_for_move(loan, disbursed_by, "disburse")
    if disbursed_on >= loan.first_repayment_date:
        raise refuse(
            FinanceRefusal.DISBURSEMENT_AFTER_FIRST_REPAYMENT,
            _("The disbursement must come before the first repayment date (%(date)s).")
            % {"date": formats.date_format(loan.first_repayment_date, "DATE_FORMAT")},
            "disbursed_on",
        )
    loan.status = LoanStatus.DISBURSED
    loan.disbursed_on = disbursed_on
    money_flows.changed(loan.programme_id)
    return save_by(loan, disbursed_by, ["status", "disbursed_on"])


@transaction.atomic
@keeps_figures
def loan_cancel(*, loan: Loan, cancelled_by, reason: str) -> Loan:
    return _close(loan, cancelled_by, move="cancel", status=LoanStatus.CANCELLED, reason=reason)


@transaction.atomic
@keeps_figures
def loan_write_off(*, loan: Loan, written_off_by, reason: str) -> Loan:
    return _close(loan, written_off_by, move="write_off", status=LoanStatus.WRITTEN_OFF, reason=reason)
