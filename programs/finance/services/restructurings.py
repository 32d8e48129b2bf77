"""Restructuring an active loan: an officer proposes new terms, a manager who did not propose them approves or
rejects them, and an approved restructuring can be reversed while nothing has been paid on its new installments.

The arithmetic is ``programs.finance.restructuring``; here the loan is locked, the proposal checked, and the
schedule rewritten: kept installments reduced to what was paid on them (their allocations untouched), the
installments nothing was paid on deleted (each as it stood is kept in the restructuring's ``old_schedule``), and
the new installments created after the last kept one. ``keeps_figures`` keeps the loan's summaries right.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cooperation.access import require_perm
from cooperation.dates import DateOutOfRange, add_months, date_error
from cooperation.refusals import Refusal, raise_refusal, refuse
from cooperation.roles import Perm
from cooperation.workflow import (
    Move,
    as_decimal,
    lock_for,
    lock_row,
    maker_checker_refusal,
    move_refusal,
    permission_refusal,
    require_reason,
    save_by,
)
from programs.finance import restructuring
from programs.finance.models import Allocation, Installment, Loan, LoanRestructuring, LoanStatus, RestructuringStatus
from programs.finance.services.guards import FinanceRefusal
from programs.finance.summaries import keeps_figures

RESTRUCTURING_MOVES = {
    "approve": Move(
        {RestructuringStatus.PROPOSED},
        gettext_lazy("A restructuring can be approved only while it is proposed; this one is %s."),
    ),
    "reject": Move(
        {RestructuringStatus.PROPOSED},
        gettext_lazy("A restructuring can be rejected only while it is proposed; this one is %s."),
    ),
    "reverse": Move(
        {RestructuringStatus.APPROVED},
        gettext_lazy("Only an approved restructuring can be reversed; this one is %s."),
    ),
}
RESTRUCTURING_MOVE_PERMS = dict.fromkeys(RESTRUCTURING_MOVES, Perm.APPROVE_LOAN)
TERM_FIELDS = ("annual_rate", "installments", "grace_periods", "first_due_date", "arrears")


# --- guards -------------------------------------------------------------------------------------------------------


def propose_refusal(loan: Loan, user) -> Refusal | None:
    """Why ``user`` may not propose a restructuring of ``loan`` now, or None."""
    refusal = permission_refusal(user, Perm.CHANGE_LOAN)
    if refusal is not None:
        return refusal
    if loan.status != LoanStatus.DISBURSED:
        message = _("Only a disbursed (active) loan can be restructured; this one is %s.")
        return Refusal(FinanceRefusal.LOAN_NOT_DISBURSED, message % loan.get_status_display(), offered=False)
    if loan.restructurings.filter(status=RestructuringStatus.PROPOSED).exists():
        message = _("This loan already has a restructuring waiting for a decision.")
        return Refusal(FinanceRefusal.RESTRUCTURING_PENDING, message, offered=False)
    return None


def restructuring_move_refusal(record: LoanRestructuring, user, move: str) -> Refusal | None:
    """Why ``user`` may not make ``move`` on ``record`` now, or None. Approving and rejecting are a manager's
    decision on someone else's proposal (maker–checker)."""
    refusal = move_refusal(record, RESTRUCTURING_MOVES, move)
    if refusal is not None:
        return refusal
    refusal = permission_refusal(user, Perm.APPROVE_LOAN, _("Only a manager can decide on a restructuring."))
    if refusal is not None:
        return Refusal(refusal.code, refusal.message, refusal.field, offered=user.has_perm(Perm.CHANGE_LOAN))
    if move == "reverse":
        return reverse_refusal(record)
    return maker_checker_refusal(
        record.proposed_by_id, user, _("You proposed this restructuring, so another manager must decide on it.")
    )


# --- the plan -----------------------------------------------------------------------------------------------------


def old_installments(loan: Loan) -> list[restructuring.OldInstallment]:
    """The loan's schedule as it stands, each installment knowing whether a repayment was ever allocated to it."""
    allocated = set(Allocation.with_reversed.filter(installment__loan=loan).values_list("installment_id", flat=True))
    return [
        restructuring.OldInstallment(
            item.number,
            item.due_date,
            item.principal_due,
            item.interest_due,
            item.balance_after,
            item.principal_paid,
            item.interest_paid,
            item.pk in allocated,
        )
        for item in loan.schedule.order_by("number")
    ]


def new_terms(values) -> restructuring.NewTerms:
    """The new terms of a restructuring, or of a form's values (``annual_rate``, ``installments``, ...)."""
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    return restructuring.NewTerms(
        annual_rate_percent=as_decimal(get("annual_rate")),
        installments=int(get("installments")),
        grace_periods=int(get("grace_periods") or 0),
        first_due=get("first_due_date"),
        arrears=restructuring.ArrearsTreatment(get("arrears")),
        moratorium_months=int(get("moratorium_months") or 0) if _has(values, "moratorium_months") else 0,
    )


def _has(values, name: str) -> bool:
    return name in values if isinstance(values, dict) else hasattr(values, name)


def restructuring_plan(loan: Loan, terms: restructuring.NewTerms, *, as_of: datetime.date, old=None):
    """What the terms would do to the loan's schedule if they took effect on ``as_of``: (old, plan)."""
    old = old_installments(loan) if old is None else old
    try:
        plan = restructuring.plan(
            old,
            terms,
            as_of=as_of,
            principal=loan.principal,
            minor_unit=loan.currency.minor_unit,
            periods_per_year=loan.frequency,
            amortization=restructuring.schedule.Amortization(loan.amortization),
            day_count=restructuring.schedule.DayCount(loan.day_count),
            disbursed_on=loan.disbursed_on,
        )
    except ValueError:
        message = _("Nothing is owed on this loan any more; there is nothing to restructure.")
        raise refuse(FinanceRefusal.NOTHING_TO_RESTRUCTURE, message) from None
    return old, plan


def comparison(loan: Loan, old, plan) -> tuple[restructuring.Side, restructuring.Side]:
    """The before and after of a plan: installments still to pay, their totals, and each grant element at the loan's
    discount rate."""
    common = {"principal": loan.principal, "disbursed_on": loan.disbursed_on, "discount_rate": loan.discount_rate}
    return restructuring.before_side(old, **common), restructuring.after_side(plan, **common)


def term_errors(values: dict, *, as_of: datetime.date) -> dict[str, str]:
    """Field errors in proposed terms, in the words of a finance officer."""
    errors = {}
    rate = as_decimal(values.get("annual_rate"))
    installments, grace = values.get("installments"), values.get("grace_periods") or 0
    first_due = values.get("first_due_date")
    if rate is None:
        errors["annual_rate"] = _("Give the new annual interest rate.")
    elif not 0 <= rate <= 100:
        errors["annual_rate"] = _("The interest rate is a percentage between 0 and 100.")
    if not isinstance(installments, int) or not 1 <= installments <= 600:
        errors["installments"] = _("The new schedule needs from 1 to 600 installments.")
    elif not 0 <= grace < installments:
        errors["grace_periods"] = _(
            "The interest-only installments must be fewer than the installments, so that principal is repaid."
        )
    if first_due is None:
        errors["first_due_date"] = _("Give the first due date of the new schedule.")
    elif (problem := date_error(first_due)) is not None:
        errors["first_due_date"] = problem.messages[0]
    elif first_due <= as_of:
        errors["first_due_date"] = _("The new schedule must start after %(date)s.") % {
            "date": formats.date_format(as_of, "DATE_FORMAT")
        }
    elif "installments" not in errors:
        try:
            add_months(first_due, 12 // values["frequency"] * (installments - 1))
        except DateOutOfRange:
            errors["first_due_date"] = _("The new schedule would end too far in the future.")
    if values.get("arrears") not in {choice.value for choice in restructuring.ArrearsTreatment}:
        errors["arrears"] = _("Choose whether overdue interest is capitalised or waived.")
    return errors


def check_terms(loan: Loan, values: dict, *, as_of: datetime.date):
    """The (old, plan) of proposed terms on ``loan``, or a ValidationError keyed by field."""
    errors = term_errors({**values, "frequency": loan.frequency}, as_of=as_of)
    if errors:
        raise ValidationError(errors)
    return restructuring_plan(loan, new_terms(values), as_of=as_of)


# --- the moves ----------------------------------------------------------------------------------------------------


@transaction.atomic
def restructuring_propose(
    *, loan: Loan, proposed_by, annual_rate, installments, grace_periods, first_due_date, arrears, reason
) -> LoanRestructuring:
    """An officer proposes new terms for an active loan; nothing changes until a manager approves them."""
    require_perm(proposed_by, Perm.CHANGE_LOAN)
    lock_row(loan)
    raise_refusal(propose_refusal(loan, proposed_by))
    reason = require_reason(reason)
    values = {
        "annual_rate": annual_rate,
        "installments": installments,
        "grace_periods": grace_periods or 0,
        "first_due_date": first_due_date,
        "arrears": arrears,
    }
    check_terms(loan, values, as_of=timezone.localdate())
    record = LoanRestructuring(loan=loan, proposed_by=proposed_by, reason=reason, **values)
    record.annual_rate = as_decimal(annual_rate)
    record._history_user = proposed_by
    record.save()
    return record


def _snapshot(old, plan) -> list[dict]:
    kept = {item.number for item in plan.kept}
    return [
        {
            "number": item.number,
            "due_date": item.due_date.isoformat(),
            "principal_due": str(item.principal_due),
            "interest_due": str(item.interest_due),
            "balance_after": str(item.balance_after),
            "principal_paid": str(item.principal_paid),
            "interest_paid": str(item.interest_paid),
            "kept": item.number in kept,
        }
        for item in old
    ]


@keeps_figures
def _rewrite_schedule(*, loan: Loan, record: LoanRestructuring, user, now) -> None:
    """Apply ``record``'s terms to the locked loan's schedule, as of today."""
    today = timezone.localdate(now)
    if loan.status != LoanStatus.DISBURSED:
        raise refuse(
            FinanceRefusal.LOAN_NOT_DISBURSED,
            _("Only a disbursed (active) loan can be restructured; this one is %s.") % loan.get_status_display(),
        )
    if record.first_due_date <= today:
        raise refuse(
            FinanceRefusal.FIRST_DUE_PASSED,
            _("The new schedule was to start on %(date)s, which has come; reject this proposal and propose again.")
            % {"date": formats.date_format(record.first_due_date, "DATE_FORMAT")},
        )
    old, plan = restructuring_plan(loan, new_terms(record), as_of=today)
    installments = {item.number: item for item in loan.schedule.all()}
    changed = []
    for kept in plan.kept:
        if kept.changed:
            item = installments[kept.number]
            item.principal_due, item.interest_due, item.balance_after = (
                kept.principal_due,
                kept.interest_due,
                kept.balance_after,
            )
            changed.append(item)
    bulk_update_with_history(
        changed, Installment, ["principal_due", "interest_due", "balance_after"], default_user=user, default_date=now
    )
    for number in plan.removed:
        item = installments[number]
        item._history_user = user
        item.delete()
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
            for row in plan.rows
        ],
        Installment,
        default_user=user,
        default_date=now,
    )
    record.old_schedule = _snapshot(old, plan)
    record.effective_on = today
    record.capitalised = plan.capitalised
    record.waived = plan.waived
    record.new_principal = plan.new_principal
    record.first_new_number = plan.rows[0].number


def approve_proposed(record: LoanRestructuring, user, now) -> LoanRestructuring:
    """Approve a proposed restructuring (the loan and the record locked by the caller's transaction)."""
    loan = lock_row(record.loan)
    lock_for(record, RESTRUCTURING_MOVES, "approve")
    raise_refusal(restructuring_move_refusal(record, user, "approve"))
    _rewrite_schedule(loan=loan, record=record, user=user, now=now)
    record.status = RestructuringStatus.APPROVED
    record.decided_by, record.decided_at = user, now
    return save_by(
        record,
        user,
        [
            "status",
            "decided_by",
            "decided_at",
            "old_schedule",
            "effective_on",
            "capitalised",
            "waived",
            "new_principal",
            "first_new_number",
        ],
    )


@transaction.atomic
def restructuring_approve(*, restructuring: LoanRestructuring, approved_by) -> LoanRestructuring:
    """A manager who did not propose it approves a restructuring: the loan's schedule is rewritten now."""
    require_perm(approved_by, Perm.APPROVE_LOAN)
    return approve_proposed(restructuring, approved_by, timezone.now())


@transaction.atomic
def restructuring_reject(*, restructuring: LoanRestructuring, rejected_by, reason: str) -> LoanRestructuring:
    require_perm(rejected_by, Perm.APPROVE_LOAN)
    reason = require_reason(reason)
    lock_row(restructuring.loan)
    lock_for(restructuring, RESTRUCTURING_MOVES, "reject")
    raise_refusal(restructuring_move_refusal(restructuring, rejected_by, "reject"))
    restructuring.status = RestructuringStatus.REJECTED
    restructuring.decided_by, restructuring.decided_at = rejected_by, timezone.now()
    restructuring.decision_note = reason
    return save_by(restructuring, rejected_by, ["status", "decided_by", "decided_at", "decision_note"])


def reverse_refusal(record: LoanRestructuring) -> Refusal | None:
    """Why an approved restructuring cannot be undone now (a later one, or payments on its installments), or None."""
    later = record.loan.restructurings.filter(
        status=RestructuringStatus.APPROVED, decided_at__gt=record.decided_at
    ).exists()
    if later:
        message = _("A later restructuring of this loan was approved; reverse that one first.")
        return Refusal(FinanceRefusal.NOT_LATEST_RESTRUCTURING, message)
    new = Installment.objects.filter(loan_id=record.loan_id, number__gte=record.first_new_number)
    if Allocation.with_reversed.filter(installment__in=new).exists():
        message = _(
            "Repayments have been allocated to the new installments, so the old schedule cannot be restored; "
            "propose a new restructuring instead."
        )
        return Refusal(FinanceRefusal.NEW_SCHEDULE_PAID, message)
    return None


@keeps_figures
def _restore_schedule(*, loan: Loan, record: LoanRestructuring, user, now) -> None:
    for item in Installment.objects.filter(loan=loan, number__gte=record.first_new_number):
        item._history_user = user
        item.delete()
    installments = {item.number: item for item in loan.schedule.all()}
    restored, recreated = [], []
    for row in record.old_schedule:
        amounts = {
            "principal_due": Decimal(row["principal_due"]),
            "interest_due": Decimal(row["interest_due"]),
            "balance_after": Decimal(row["balance_after"]),
        }
        if row["kept"] and row["number"] in installments:
            item = installments[row["number"]]
            for name, value in amounts.items():
                setattr(item, name, value)
            restored.append(item)
        else:
            due = datetime.date.fromisoformat(row["due_date"])
            recreated.append(Installment(loan=loan, number=row["number"], due_date=due, **amounts))
    bulk_update_with_history(
        restored, Installment, ["principal_due", "interest_due", "balance_after"], default_user=user, default_date=now
    )
    bulk_create_with_history(recreated, Installment, default_user=user, default_date=now)


@transaction.atomic
def restructuring_reverse(*, restructuring: LoanRestructuring, reversed_by, reason: str) -> LoanRestructuring:
    """Undo an approved restructuring: the old schedule comes back as it stood, when nothing was paid on the new
    installments and no later restructuring was approved."""
    require_perm(reversed_by, Perm.APPROVE_LOAN)
    reason = require_reason(reason)
    loan = lock_row(restructuring.loan)
    lock_for(restructuring, RESTRUCTURING_MOVES, "reverse")
    raise_refusal(restructuring_move_refusal(restructuring, reversed_by, "reverse"))
    raise_refusal(reverse_refusal(restructuring))
    now = timezone.now()
    _restore_schedule(loan=loan, record=restructuring, user=reversed_by, now=now)
    restructuring.status = RestructuringStatus.REVERSED
    restructuring.reversed_by, restructuring.reversed_at, restructuring.reversal_reason = reversed_by, now, reason
    return save_by(restructuring, reversed_by, ["status", "reversed_by", "reversed_at", "reversal_reason"])
