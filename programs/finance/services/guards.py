"""Which move a user may make on a loan, a grant tranche or a repayment now, and if not, why.

Each record kind has one table of moves (from which statuses each is allowed) and one guard that answers for a
user: ``None`` when the move is open to them, otherwise a ``Refusal`` with a stable code. The services ask the
guard before acting; the pages, the portal, the API and the admin ask the same guard.
"""

from dataclasses import replace
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import sees_everything
from cooperation.refusals import Refusal, Refused
from cooperation.roles import Perm
from cooperation.tranche_services import tranche_moves
from cooperation.workflow import Move, maker_checker_refusal, move_refusal, permission_refusal
from partners.selectors import user_organisation_ids
from programs.finance.models import Loan, LoanStatus, Repayment, RepaymentStatus, Tranche


class FinanceRefusal(StrEnum):
    """Refusals only finance makes (the shared ones are ``cooperation.refusals.Refused``)."""

    DATE_REQUIRED = "date_required"  # a disbursement or a tranche payment without its date
    DISBURSEMENT_AFTER_FIRST_REPAYMENT = "disbursement_after_first_repayment"
    LOAN_NOT_DISBURSED = "loan_not_disbursed"  # a repayment on a loan that is not active
    OVERPAYMENT = "overpayment"  # more than is still owed on the loan
    RESTRUCTURING_PENDING = "restructuring_pending"  # a second proposal while one waits for a decision
    NOTHING_TO_RESTRUCTURE = "nothing_to_restructure"  # nothing is owed on the loan any more
    FIRST_DUE_PASSED = "first_due_passed"  # the new schedule would start on or before the day it takes effect
    NEW_SCHEDULE_PAID = "new_schedule_paid"  # a reversal after repayments were allocated to the new installments
    NOT_LATEST_RESTRUCTURING = "not_latest_restructuring"  # a reversal under a later restructuring


LOAN_MOVES = {
    "update": Move({LoanStatus.DRAFT}, gettext_lazy("A loan can be edited only while it is a draft; this one is %s.")),
    "submit": Move(
        {LoanStatus.DRAFT}, gettext_lazy("A loan can be submitted only when it is a draft; this one is %s.")
    ),
    "approve": Move(
        {LoanStatus.SUBMITTED}, gettext_lazy("A loan can be approved only when it is submitted; this one is %s.")
    ),
    "reject": Move(
        {LoanStatus.SUBMITTED}, gettext_lazy("A loan can be rejected only when it is submitted; this one is %s.")
    ),
    "disburse": Move(
        {LoanStatus.APPROVED}, gettext_lazy("A loan can be disbursed only when it is approved; this one is %s.")
    ),
    "cancel": Move(
        {LoanStatus.DRAFT, LoanStatus.SUBMITTED, LoanStatus.APPROVED},
        gettext_lazy("A loan can be cancelled only before it is disbursed; this one is %s."),
    ),
    "write_off": Move(
        {LoanStatus.DISBURSED},
        gettext_lazy("A loan can be written off only while it is disbursed (active); this one is %s."),
    ),
}
LOAN_MOVE_PERMS = {
    "update": Perm.CHANGE_LOAN,
    "submit": Perm.CHANGE_LOAN,
    "approve": Perm.APPROVE_LOAN,
    "reject": Perm.APPROVE_LOAN,
    "disburse": Perm.CHANGE_LOAN,
    "cancel": Perm.CHANGE_LOAN,
    "write_off": Perm.APPROVE_LOAN,
}
LOAN_DECISIONS = {"approve", "reject"}  # maker–checker: not by whoever created the loan

TRANCHE_MOVES = tranche_moves(
    approve=gettext_lazy("A tranche can be approved only when it is scheduled; this one is %s."),
    pay=gettext_lazy("A tranche can be paid only when it is approved; this one is %s."),
    cancel=gettext_lazy("A tranche can be cancelled only before it is paid; this one is %s."),
)
TRANCHE_MOVE_PERMS = {"approve": Perm.APPROVE_TRANCHE, "pay": Perm.CHANGE_TRANCHE, "cancel": Perm.CHANGE_TRANCHE}

REPAYMENT_MOVES = {
    "confirm": Move(
        {RepaymentStatus.PENDING},
        gettext_lazy("Only a payment awaiting confirmation can be confirmed; this one is %s."),
    ),
    "reject": Move(
        {RepaymentStatus.PENDING},
        gettext_lazy("Only a payment awaiting confirmation can be rejected; this one is %s."),
    ),
    "reverse": Move(
        {RepaymentStatus.CONFIRMED}, gettext_lazy("Only a confirmed repayment can be reversed; this one is %s.")
    ),
}
REPAYMENT_MOVE_PERMS = dict.fromkeys(REPAYMENT_MOVES, Perm.RECORD_REPAYMENT)


def loan_move_refusal(loan: Loan, user, move: str) -> Refusal | None:
    """Why ``user`` may not make ``move`` on ``loan`` now, or None.

    Approving and rejecting are a manager's decision on someone else's loan: an officer who prepares loans sees
    them disabled with the reason, as does the manager who created the loan.
    """
    refusal = move_refusal(loan, LOAN_MOVES, move)
    if refusal is not None:
        return refusal
    if move not in LOAN_DECISIONS:
        return permission_refusal(user, LOAN_MOVE_PERMS[move])
    refusal = permission_refusal(user, Perm.APPROVE_LOAN, _("Only a manager can approve or reject a loan."))
    if refusal is not None:
        return replace(refusal, offered=user.has_perm(Perm.CHANGE_LOAN))
    return maker_checker_refusal(
        loan.created_by_id, user, _("You created this loan, so another manager must approve or reject it.")
    )


def tranche_move_refusal(tranche: Tranche, user, move: str) -> Refusal | None:
    """Why ``user`` may not make ``move`` on ``tranche`` now, or None (approval: not by the grant's creator)."""
    refusal = move_refusal(tranche, TRANCHE_MOVES, move) or permission_refusal(user, TRANCHE_MOVE_PERMS[move])
    if refusal is not None or move != "approve":
        return refusal
    return maker_checker_refusal(
        tranche.grant.created_by_id, user, _("You created this grant, so another manager must approve its tranches.")
    )


def repayment_move_refusal(repayment: Repayment, user, move: str) -> Refusal | None:
    """Why ``user`` may not make ``move`` on ``repayment`` now, or None."""
    return move_refusal(repayment, REPAYMENT_MOVES, move) or permission_refusal(user, REPAYMENT_MOVE_PERMS[move])


def payment_refusal(loan: Loan, user=None, perm: Perm = Perm.RECORD_REPAYMENT) -> Refusal | None:
    """Why a payment cannot be recorded (``perm`` RECORD_REPAYMENT) or notified (ADD_REPAYMENT) on ``loan`` now by
    ``user``, or None: the role, then whose loan it is (a partner user notifies payments on their organisation's
    loans only), then the loan's status (the only question asked without a user)."""
    if user is not None:
        refusal = permission_refusal(user, perm) or _borrower_refusal(loan, user)
        if refusal is not None:
            return refusal
    if loan.status != LoanStatus.DISBURSED:
        message = _("Repayments can be recorded only on a disbursed (active) loan; this one is %s.")
        return Refusal(FinanceRefusal.LOAN_NOT_DISBURSED, message % loan.get_status_display(), offered=False)
    return None


def _borrower_refusal(loan: Loan, user) -> Refusal | None:
    if sees_everything(user) or loan.borrower_id in user_organisation_ids(user):
        return None
    message = _("Only the borrower's staff can notify a payment on this loan.")
    return Refusal(Refused.NOT_PERMITTED, message, offered=False)


def open_moves(record, user, moves: dict, guard) -> set[str]:
    """The moves a page offers as buttons on ``record``: open to ``user``, or refused with a reason worth showing."""
    offered = set()
    for name in moves:
        refusal = guard(record, user, name)
        if refusal is None or refusal.offered:
            offered.add(name)
    return offered
