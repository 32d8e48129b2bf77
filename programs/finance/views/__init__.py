"""Officer workspace pages for loans, repayments and grants.

Every action is a POST to its own URL that calls exactly one finance service; a
refusal from the service comes back as a message or a field error, never a 500.
"""

from programs.finance.views.drafting import loan_create, loan_edit, loan_preview
from programs.finance.views.loans import (
    loan_approve,
    loan_cancel,
    loan_detail,
    loan_disburse,
    loan_list,
    loan_reject,
    loan_submit,
    loan_write_off,
)
from programs.finance.views.rows import (
    grant_create,
    grant_detail,
    grant_list,
    repayment_confirm,
    repayment_create,
    repayment_reject,
    repayment_reverse,
    tranche_approve,
    tranche_cancel,
    tranche_pay,
)

__all__ = [
    "grant_create",
    "grant_detail",
    "grant_list",
    "loan_approve",
    "loan_cancel",
    "loan_create",
    "loan_detail",
    "loan_disburse",
    "loan_edit",
    "loan_list",
    "loan_preview",
    "loan_reject",
    "loan_submit",
    "loan_write_off",
    "repayment_confirm",
    "repayment_create",
    "repayment_reject",
    "repayment_reverse",
    "tranche_approve",
    "tranche_cancel",
    "tranche_pay",
]
