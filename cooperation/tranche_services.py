"""One pipeline for money paid in tranches (a grant's, a scholar's stipend): approve, pay and cancel.

Every module's tranches leave the same statuses (``TRANCHE_MOVES_FROM``); a module words its own refusals
(``tranche_moves``), names the permission each move needs and writes the guard that adds its own rules (a grant's
maker–checker, a stipend's progress report). Each move then runs the same steps: the role (a 403), the move's own
input, the tranche reloaded under a row lock, the guard asked about the tranche as it now is, and the change
saved naming who made it.
"""

from django.db import models

from cooperation.access import require_perm
from cooperation.dates import check_date
from cooperation.refusals import Refusal, raise_refusal
from cooperation.tranches import BaseTranche, TrancheStatus
from cooperation.workflow import Move, lock_for, require_reason, save_by

TRANCHE_MOVES_FROM = {
    "approve": frozenset({TrancheStatus.SCHEDULED}),
    "pay": frozenset({TrancheStatus.APPROVED}),
    "cancel": frozenset({TrancheStatus.SCHEDULED, TrancheStatus.APPROVED}),
}
TRANCHE_MOVES_TO = {"approve": TrancheStatus.APPROVED, "pay": TrancheStatus.PAID, "cancel": TrancheStatus.CANCELLED}


def tranche_moves(*, approve, pay, cancel) -> dict[str, Move]:
    """A module's table of tranche moves: the shared statuses each leaves from, with the module's refusal messages
    (``%s`` is the current status)."""
    messages = {"approve": approve, "pay": pay, "cancel": cancel}
    return {move: Move(allowed, messages[move]) for move, allowed in TRANCHE_MOVES_FROM.items()}


class TranchePipeline:
    """One module's tranche moves: its ``moves`` table, the permission each move needs (``perms``), its ``guard``
    (``guard(tranche, user, move)`` returns a ``Refusal`` or None), the refusal of a payment without its date
    (``no_date``), and the field where a cancellation keeps its reason (``cancel_note``; none: no reason asked)."""

    def __init__(self, *, moves: dict[str, Move], perms: dict, guard, no_date: Refusal, cancel_note: str = ""):
        self.moves, self.perms, self.guard = moves, perms, guard
        self.no_date, self.cancel_note = no_date, cancel_note

    def approve(self, tranche: BaseTranche, user, **also) -> BaseTranche:
        """Release a tranche for payment; ``also`` is what else the module's tranche records of the approval."""
        require_perm(user, self.perms["approve"])
        return self._move(tranche, user, "approve", approved_by=user, **also)

    def pay(self, tranche: BaseTranche, user, *, paid_on, payment_reference="") -> BaseTranche:
        """Record the payment of an approved tranche: the day it was paid (not in the future) and its reference."""
        require_perm(user, self.perms["pay"])
        if paid_on is None:
            raise self.no_date.error()
        check_date(paid_on, "paid_on", past=True)
        reference = (payment_reference or "").strip()
        return self._move(tranche, user, "pay", paid_on=paid_on, payment_reference=reference)

    def cancel(self, tranche: BaseTranche, user, *, reason: str = "") -> BaseTranche:
        """Cancel a tranche not paid yet, with the reason where the module keeps one."""
        require_perm(user, self.perms["cancel"])
        note = {self.cancel_note: require_reason(reason)} if self.cancel_note else {}
        return self._move(tranche, user, "cancel", **note)

    def _move(self, tranche: BaseTranche, user, move: str, **changes) -> BaseTranche:
        lock_for(tranche, self.moves, move)
        raise_refusal(self.guard(tranche, user, move))
        tranche.status = TRANCHE_MOVES_TO[move]
        for field, value in changes.items():
            setattr(tranche, field, value)
        # What the user typed passes the model's own field checks (a reference no longer than the field allows).
        tranche.clean_fields(exclude=_fields_other_than(tranche, changes))
        return save_by(tranche, user, ["status", *changes])


def _fields_other_than(record: models.Model, changes: dict) -> list[str]:
    """The fields a move leaves alone, and the users it names (the acting user, already checked)."""
    return [field.name for field in record._meta.concrete_fields if field.name not in changes or field.is_relation]
