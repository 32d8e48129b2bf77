"""Every write to loans, their schedules and repayments, and to grants and their tranches.

Each business action is one function: keyword-only arguments, the acting user,
a named permission, validation before anything is saved, one transaction.
Each move asks its guard (``services.guards``) first: a refusal carries a stable
code and a message that names the current status. Writes that touch a loan's
money lock the loan row first (``select_for_update``), so concurrent requests
on PostgreSQL queue instead of over-allocating.
"""

from programs.finance.services.grants import grant_create, tranche_approve, tranche_cancel, tranche_pay
from programs.finance.services.guards import (
    LOAN_MOVES,
    REPAYMENT_MOVES,
    TRANCHE_MOVES,
    FinanceRefusal,
    loan_move_refusal,
    open_moves,
    payment_refusal,
    repayment_move_refusal,
    tranche_move_refusal,
)
from programs.finance.services.loans import (
    loan_approve,
    loan_cancel,
    loan_create,
    loan_disburse,
    loan_reject,
    loan_submit,
    loan_update,
    loan_write_off,
)
from programs.finance.services.repayments import (
    amount_owed,
    repayment_confirm,
    repayment_notify,
    repayment_record,
    repayment_reject,
    repayment_reverse,
)
from programs.finance.services.terms import (
    LOAN_FIELDS,
    MAX_TRANCHES,
    TERM_FIELDS,
    _schedule_ends_in_time,
    loan_schedule_rows,
    loan_terms,
    schedule_preview,
)

__all__ = [
    "LOAN_FIELDS",
    "LOAN_MOVES",
    "MAX_TRANCHES",
    "REPAYMENT_MOVES",
    "TERM_FIELDS",
    "TRANCHE_MOVES",
    "FinanceRefusal",
    "_schedule_ends_in_time",
    "amount_owed",
    "grant_create",
    "loan_approve",
    "loan_cancel",
    "loan_create",
    "loan_disburse",
    "loan_move_refusal",
    "loan_reject",
    "loan_schedule_rows",
    "loan_submit",
    "loan_terms",
    "loan_update",
    "loan_write_off",
    "open_moves",
    "payment_refusal",
    "repayment_confirm",
    "repayment_move_refusal",
    "repayment_notify",
    "repayment_record",
    "repayment_reject",
    "repayment_reverse",
    "schedule_preview",
    "tranche_approve",
    "tranche_cancel",
    "tranche_pay",
    "tranche_move_refusal",
]
