"""A service's "no": a stable code for programs, a message in the user's language for people, and its field.

Every module names its refusals in one ``StrEnum`` (``LoanRefusal.OWN_LOAN = "own_loan"``); the kernel's codes
below are those every module shares. A guard (``can_approve(loan, user)``) returns a ``Refusal`` or ``None``;
the service raises ``refusal.error()``; pages show ``refusal.message`` beside the button, and the API answers
``{"code": refusal.code, "detail": refusal.message, "attr": refusal.field}``. Tests compare codes, never words.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError


class Refused(StrEnum):
    """Refusals of the same kind in every module."""

    WRONG_STATUS = "wrong_status"  # the record's status does not allow this move
    NOT_PERMITTED = "permission_denied"  # the user's role does not allow this move
    OWN_RECORD = "own_record"  # maker–checker: who made or proposed it may not approve it
    REASON_REQUIRED = "reason_required"
    NOT_A_NUMBER = "not_a_number"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class Refusal:
    """Why a move is not possible now. ``offered`` is False when a page should not even show the move (wrong
    status, another role's move); True when it shows it disabled with the message (another manager must approve)."""

    code: str
    message: str
    field: str = NON_FIELD_ERRORS
    offered: bool = True

    def error(self) -> ValidationError:
        return refuse(self.code, self.message, self.field)

    def __str__(self) -> str:
        return str(self.message)


def refuse(code: str, message, field: str = NON_FIELD_ERRORS) -> ValidationError:
    """The error a service raises: on ``field`` (the whole record by default), with its stable ``code``."""
    return ValidationError({field: ValidationError(message, code=str(code))})


def raise_refusal(refusal: Refusal | None) -> None:
    """A service's first step after its guard: go on only when the guard found nothing against the move."""
    if refusal is not None:
        raise refusal.error()


def enforce(refusal: Refusal | None) -> None:
    """A service's guard, obeyed: a role or organisation that may not act is a 403, any other refusal a 400."""
    if refusal is None:
        return
    if refusal.code == Refused.NOT_PERMITTED:
        raise PermissionDenied(refusal.message)
    raise refusal.error()


def refusal_codes(error: ValidationError) -> set[str]:
    """Every code in a service's error, wherever it sits (what tests and callers compare)."""
    if hasattr(error, "error_dict"):
        return {item.code or "invalid" for items in error.error_dict.values() for item in items}
    return {item.code or "invalid" for item in error.error_list}
