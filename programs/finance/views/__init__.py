"""Officer workspace pages for loans, repayments and grants.

Every action is a POST to its own URL that calls exactly one finance service; a
refusal from the service comes back as a message or a field error, never a 500.
"""

from programs.finance.views.drafting import loan_create, loan_edit, loan_preview
from programs.finance.views.loans import (
    LOAN_PAGE_MOVES,
    loan_detail,
    loan_list,
    loan_move,
)
from programs.finance.views.moratoria import (
    MORATORIUM_PAGE_MOVES,
    moratorium_create,
    moratorium_detail,
    moratorium_list,
    moratorium_move,
)
from programs.finance.views.restructurings import (
    RESTRUCTURING_PAGE_MOVES,
    loan_restructure,
    restructuring_detail,
    restructuring_move,
)
from programs.finance.views.rows import (
    REPAYMENT_MOVES,
    TRANCHE_MOVES,
    grant_create,
    grant_detail,
    grant_list,
    repayment_create,
    repayment_move,
    tranche_move,
)

__all__ = [
    "LOAN_PAGE_MOVES",
    "REPAYMENT_MOVES",
    "RESTRUCTURING_PAGE_MOVES",
    "MORATORIUM_PAGE_MOVES",
    "moratorium_create",
    "moratorium_detail",
    "moratorium_list",
    "moratorium_move",
    "loan_restructure",
    "restructuring_detail",
    "restructuring_move",
    "TRANCHE_MOVES",
    "grant_create",
    "grant_detail",
    "grant_list",
    "loan_create",
    "loan_detail",
    "loan_edit",
    "loan_list",
    "loan_move",
    "loan_preview",
    "repayment_create",
    "repayment_move",
    "tranche_move",
]
