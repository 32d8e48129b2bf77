"""Money coming back on a loan: recorded or notified, confirmed, rejected or reversed, and allocated to the
schedule (oldest installment first, interest before principal) under a lock on the loan."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cooperation.access import require_perm
from cooperation.dates import date_error
from cooperation.money import positive_amount_problem
from cooperation.refusals import enforce, raise_refusal
from cooperation.roles import Perm
from cooperation.workflow import as_decimal, lock_row, require_reason, save_by
from programs.finance import allocation
from programs.finance.models import Allocation, Installment, Loan, LoanStatus, Repayment, RepaymentStatus
from programs.finance.services.guards import FinanceRefusal, payment_refusal, repayment_move_refusal
from programs.finance.services.terms import format_money
from programs.finance.summaries import keeps_figures


def _dues(installments: list[Installment]) -> list[allocation.Due]:
    return [
        allocation.Due(item.pk, item.interest_due - item.interest_paid, item.principal_due - item.principal_paid)
        for item in installments
    ]


def amount_owed(loan: Loan) -> Decimal:
    """Everything still owed on the loan's schedule (interest and principal, due or not)."""
    return allocation.total_owed(_dues(list(loan.schedule.all())))


def _payment_errors(*, loan: Loan, paid_on, amount, currency, check_owed: bool = True) -> None:
    """Refuse a payment that cannot be applied to ``loan`` now; every message names the field it is about."""
    raise_refusal(payment_refusal(loan))
    errors = {}
    amount = as_decimal(amount)
    if paid_on is None:
        errors["paid_on"] = _("Give the date of the payment.")
    elif (problem := date_error(paid_on, past=True)) is not None:
        errors["paid_on"] = problem.messages[0]
    elif loan.disbursed_on and paid_on < loan.disbursed_on:
        errors["paid_on"] = _("A repayment cannot be dated before the disbursement (%(date)s).") % {
            "date": formats.date_format(loan.disbursed_on, "DATE_FORMAT")
        }
    if currency is None or currency.pk != loan.currency_id:
        errors["currency"] = _("This loan is in %(code)s; record the repayment in %(code)s.") % {
            "code": loan.currency_id
        }
    if amount is None:
        errors["amount"] = _("Give the amount paid.")
    elif problem := positive_amount_problem(amount, loan.currency, _("The amount must be more than zero.")):
        errors["amount"] = problem
    elif check_owed:
        owed = amount_owed(loan)
        if amount > owed:
            errors["amount"] = _overpayment(owed, loan)
    if errors:
        raise ValidationError(errors)


def _overpayment(owed: Decimal, loan: Loan) -> ValidationError:
    message = _("This is more than is owed: %(owed)s is still owed on this loan.")
    return ValidationError(message % {"owed": format_money(owed, loan.currency)}, code=FinanceRefusal.OVERPAYMENT)


def _lock_loan_of(repayment_or_loan) -> Loan:
    loan = repayment_or_loan if isinstance(repayment_or_loan, Loan) else repayment_or_loan.loan
    return lock_row(loan)


PAID_FIELDS = ["interest_paid", "principal_paid"]
REVERSAL_FIELDS = ["reversed_at", "reversed_by", "reversal_reason"]


def _apply(portions: list[allocation.Portion], installments: dict) -> None:
    """Add ``portions`` to what the installments (by id) have been paid."""
    for portion in portions:
        item = installments[portion.installment_id]
        item.interest_paid += portion.interest
        item.principal_paid += portion.principal


def _row(repayment: Repayment, portion: allocation.Portion, installments: dict) -> Allocation:
    return Allocation(
        repayment=repayment,
        installment=installments[portion.installment_id],
        interest=portion.interest,
        principal=portion.principal,
    )


def _allocate(loan: Loan, repayment: Repayment, user) -> list[Installment]:
    """Apply one confirmed repayment to the (locked) loan's schedule; return the schedule as it now stands.

    The new allocations and the installments they pay get history rows by ``user``, written in bulk.
    """
    installments = list(loan.schedule.order_by("number"))
    try:
        portions = allocation.allocate(repayment.amount, _dues(installments))
    except allocation.Overpayment as refused:
        raise ValidationError({"amount": _overpayment(refused.owed, loan)}) from None
    by_id = {item.pk: item for item in installments}
    now = timezone.now()
    rows = [_row(repayment, portion, by_id) for portion in portions]
    bulk_create_with_history(rows, Allocation, default_user=user, default_date=now)
    _apply(portions, by_id)
    touched = [by_id[portion.installment_id] for portion in portions]
    bulk_update_with_history(touched, Installment, PAID_FIELDS, default_user=user, default_date=now)
    return installments


def _reallocate(loan: Loan, reversal: Repayment) -> list[Installment]:
    """Apply the loan's confirmed repayments again from scratch, oldest payment first, after ``reversal``.

    Nothing is deleted. A live allocation that the new plan repeats exactly stays as it is; every
    other one (all of the reversed repayment's, and those of later payments that now fall on other
    installments) is marked reversed with the reversal's who, when and why, and the plan's remaining
    portions become new rows. Allocations and installments that change get history rows, in bulk.
    """
    user, now, reason = reversal.reversed_by, reversal.reversed_at, reversal.reversal_reason
    installments = list(loan.schedule.order_by("number"))
    paid_before = {item.pk: (item.interest_paid, item.principal_paid) for item in installments}
    for item in installments:
        item.interest_paid = item.principal_paid = Decimal(0)
    confirmed = list(loan.repayments.filter(status=RepaymentStatus.CONFIRMED).order_by("paid_on", "created_at", "pk"))
    plan = allocation.reallocate([(repayment.pk, repayment.amount) for repayment in confirmed], _dues(installments))
    by_id = {item.pk: item for item in installments}

    planned = {
        (repayment_id, portion.installment_id): portion
        for repayment_id, portions in plan.items()
        for portion in portions
    }
    retired = []
    for row in Allocation.objects.filter(repayment__loan=loan):
        portion = planned.get((row.repayment_id, row.installment_id))
        if portion is not None and (portion.interest, portion.principal) == (row.interest, row.principal):
            del planned[(row.repayment_id, row.installment_id)]  # applied as before: the row stays
            continue
        row.reversed_at, row.reversed_by, row.reversal_reason = now, user, reason
        retired.append(row)
    bulk_update_with_history(
        retired, Allocation, REVERSAL_FIELDS, default_user=user, default_date=now, manager=Allocation.with_reversed
    )
    repayments = {repayment.pk: repayment for repayment in confirmed}
    new_rows = [_row(repayments[repayment_id], portion, by_id) for (repayment_id, _), portion in planned.items()]
    bulk_create_with_history(new_rows, Allocation, default_user=user, default_date=now)

    for portions in plan.values():
        _apply(portions, by_id)
    changed = [item for item in installments if (item.interest_paid, item.principal_paid) != paid_before[item.pk]]
    bulk_update_with_history(changed, Installment, PAID_FIELDS, default_user=user, default_date=now)
    return installments


def _close_or_reopen(loan: Loan, installments: list[Installment], user) -> None:
    """A disbursed loan whose every installment is paid is repaid; a repaid one that owes again is reopened."""
    fully_paid = all(item.is_paid for item in installments)
    if loan.status == LoanStatus.DISBURSED and fully_paid:
        last_payment = (
            loan.repayments.filter(status=RepaymentStatus.CONFIRMED)
            .order_by("-paid_on")
            .values_list("paid_on", flat=True)[:1]
        )
        loan.status = LoanStatus.REPAID
        loan.closed_on = last_payment[0] if last_payment else timezone.localdate()
        save_by(loan, user, ["status", "closed_on"])
    elif loan.status == LoanStatus.REPAID and not fully_paid:
        loan.status = LoanStatus.DISBURSED
        loan.closed_on = None
        save_by(loan, user, ["status", "closed_on"])


def _new_repayment(loan: Loan, user, paid_on, amount, currency, reference, **fields) -> Repayment:
    """Check a payment on ``loan`` and store it as recorded by ``user``."""
    _payment_errors(loan=loan, paid_on=paid_on, amount=amount, currency=currency)
    repayment = Repayment(
        loan=loan,
        paid_on=paid_on,
        amount=as_decimal(amount),
        currency=currency,
        reference=reference or "",
        recorded_by=user,
        **fields,
    )
    repayment.full_clean()
    repayment._history_user = user
    repayment.save()
    return repayment


@transaction.atomic
@keeps_figures
def repayment_record(*, loan: Loan, recorded_by, paid_on, amount, currency, reference="") -> Repayment:
    """An officer records money received: confirmed at once and allocated to the schedule."""
    require_perm(recorded_by, Perm.RECORD_REPAYMENT)
    _lock_loan_of(loan)
    repayment = _new_repayment(
        loan,
        recorded_by,
        paid_on,
        amount,
        currency,
        reference,
        status=RepaymentStatus.CONFIRMED,
        confirmed_by=recorded_by,
    )
    _close_or_reopen(loan, _allocate(loan, repayment, recorded_by), recorded_by)
    return repayment


@transaction.atomic
def repayment_notify(*, loan: Loan, notified_by, paid_on, amount, currency, reference="") -> Repayment:
    """A partner user tells us their organisation paid; the payment waits until an officer confirms it."""
    enforce(payment_refusal(loan, notified_by, Perm.ADD_REPAYMENT))
    return _new_repayment(loan, notified_by, paid_on, amount, currency, reference, status=RepaymentStatus.PENDING)


def _lock_repayment(repayment: Repayment) -> Loan:
    """Lock the repayment's loan (every money write on a loan queues there), then reload the repayment."""
    loan = _lock_loan_of(repayment)
    repayment.refresh_from_db()
    repayment.loan = loan
    return loan


@transaction.atomic
@keeps_figures
def repayment_confirm(*, repayment: Repayment, confirmed_by) -> Repayment:
    require_perm(confirmed_by, Perm.RECORD_REPAYMENT)
    loan = _lock_repayment(repayment)
    raise_refusal(repayment_move_refusal(repayment, confirmed_by, "confirm"))
    _payment_errors(loan=loan, paid_on=repayment.paid_on, amount=repayment.amount, currency=repayment.currency)
    repayment.status = RepaymentStatus.CONFIRMED
    repayment.confirmed_by = confirmed_by
    save_by(repayment, confirmed_by, ["status", "confirmed_by"])
    _close_or_reopen(loan, _allocate(loan, repayment, confirmed_by), confirmed_by)
    return repayment


@transaction.atomic
def repayment_reject(*, repayment: Repayment, rejected_by, reason: str) -> Repayment:
    """The notified money never arrived: the notification stays on record as rejected, with the reason."""
    require_perm(rejected_by, Perm.RECORD_REPAYMENT)
    reason = require_reason(reason)
    _lock_repayment(repayment)
    raise_refusal(repayment_move_refusal(repayment, rejected_by, "reject"))
    repayment.status = RepaymentStatus.REJECTED
    repayment.reversal_reason = reason
    save_by(repayment, rejected_by, ["status", "reversal_reason"])
    return repayment


@transaction.atomic
@keeps_figures
def repayment_reverse(*, repayment: Repayment, reversed_by, reason: str) -> Repayment:
    """Undo a wrong repayment (it stays on record) and re-allocate the loan's remaining repayments."""
    require_perm(reversed_by, Perm.RECORD_REPAYMENT)
    reason = require_reason(reason)
    loan = _lock_repayment(repayment)
    raise_refusal(repayment_move_refusal(repayment, reversed_by, "reverse"))
    repayment.status = RepaymentStatus.REVERSED
    repayment.reversed_by = reversed_by
    repayment.reversed_at = timezone.now()
    repayment.reversal_reason = reason
    save_by(repayment, reversed_by, ["status", "reversed_by", "reversed_at", "reversal_reason"])
    installments = _reallocate(loan, repayment)
    _close_or_reopen(loan, installments, reversed_by)
    return repayment
