"""Pure money arithmetic for repayments and grants: no database, only Decimals.

A repayment pays installments oldest first and, within one installment,
interest before principal. Because that waterfall only ever fills the oldest
gap, the paid state of a schedule depends only on the total confirmed, never
on the order or split of the payments — which is what makes a reversal safe
to handle by re-allocating every remaining payment from scratch.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

ZERO = Decimal(0)


class SplitAmount:
    """An amount made of interest and principal (an installment's, or a part of one)."""

    interest: Decimal
    principal: Decimal

    @property
    def total(self) -> Decimal:
        return self.interest + self.principal


@dataclass(frozen=True)
class InstallmentAmount(SplitAmount):
    installment_id: Hashable
    interest: Decimal
    principal: Decimal


class Due(InstallmentAmount):
    """What one installment still owes, in schedule order."""


class Portion(InstallmentAmount):
    """The part of one payment applied to one installment."""


class Overpayment(ValueError):
    """The payment is larger than everything still owed; ``owed`` says how much is."""

    def __init__(self, owed: Decimal):
        super().__init__(f"only {owed} is owed")
        self.owed = owed


def total_owed(dues: Iterable[Due]) -> Decimal:
    return sum((due.total for due in dues), ZERO)


def allocate(amount: Decimal, dues: Sequence[Due]) -> list[Portion]:
    """Apply ``amount`` to ``dues`` (oldest first), interest before principal within each installment.

    Raises ``Overpayment`` when the amount exceeds what is owed, and ``ValueError``
    when it is not positive.
    """
    if amount <= 0:
        raise ValueError("a payment must be positive")
    owed = total_owed(dues)
    if amount > owed:
        raise Overpayment(owed)
    portions, left = [], amount
    for due in dues:
        if left <= 0:
            break
        interest = min(left, due.interest)
        principal = min(left - interest, due.principal)
        if interest or principal:
            portions.append(Portion(due.installment_id, interest, principal))
            left -= interest + principal
    return portions


def remaining_after(dues: Sequence[Due], portions: Iterable[Portion]) -> list[Due]:
    """``dues`` with ``portions`` taken off, in the same order."""
    paid: dict[Hashable, tuple[Decimal, Decimal]] = {}
    for portion in portions:
        interest, principal = paid.get(portion.installment_id, (ZERO, ZERO))
        paid[portion.installment_id] = (interest + portion.interest, principal + portion.principal)
    remaining = []
    for due in dues:
        interest, principal = paid.get(due.installment_id, (ZERO, ZERO))
        remaining.append(Due(due.installment_id, due.interest - interest, due.principal - principal))
    return remaining


def reallocate(payments: Sequence[tuple[Hashable, Decimal]], dues: Sequence[Due]) -> dict[Hashable, list[Portion]]:
    """Allocate every payment, in the order given, against a schedule with nothing paid yet."""
    result: dict[Hashable, list[Portion]] = {}
    for key, amount in payments:
        portions = allocate(amount, dues)
        result[key] = portions
        dues = remaining_after(dues, portions)
    return result


def split_evenly(amount: Decimal, parts: int, minor_unit: int) -> list[Decimal]:
    """``amount`` in ``parts`` shares of whole minor units; leftover units go to the first shares.

    1000.00 in 3 → 333.34, 333.33, 333.33.
    """
    if parts < 1:
        raise ValueError("at least one part")
    unit = Decimal(1).scaleb(-minor_unit)
    base = (amount / parts).quantize(unit, rounding=ROUND_DOWN)
    leftover_units = int((amount - base * parts) / unit)
    return [base + unit if index < leftover_units else base for index in range(parts)]
