"""Loan restructurings as the user may see them, with the before and after of each."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from cooperation.access import sees_everything
from cooperation.records import with_related
from cooperation.reference.models import Currency
from cooperation.roles import Perm
from programs.finance import restructuring, schedule
from programs.finance.models import Loan, LoanRestructuring, Moratorium, RestructuringStatus
from programs.finance.selectors.common import on_visible_loans
from programs.finance.services.restructurings import comparison, new_terms, restructuring_plan, term_errors


def restructuring_list(*, user, loan: Loan | None = None) -> QuerySet[LoanRestructuring]:
    """The restructurings of the loans ``user`` may see (a partner user: those their organisation borrows)."""
    rows = on_visible_loans(user, LoanRestructuring.objects.all()).select_related(
        "loan__borrower", "loan__currency", "proposed_by", "decided_by"
    )
    return rows if loan is None else rows.filter(loan=loan)


def restructuring_get(*, user, pk) -> LoanRestructuring:
    record = get_object_or_404(restructuring_list(user=user).select_related("loan__programme", "moratorium"), pk=pk)
    return with_related(record, "reversed_by")


@dataclass(frozen=True)
class Comparison:
    """What a restructuring does to a loan: both sides, and the amounts moved from one to the other."""

    as_of: datetime.date
    before: restructuring.Side
    after: restructuring.Side
    plan: restructuring.Plan

    @property
    def new_rows(self) -> list[schedule.Row]:
        return self.plan.rows

    @property
    def capitalised(self) -> Decimal:
        return self.plan.capitalised

    @property
    def waived(self) -> Decimal:
        return self.plan.waived


def _stored_old(record: LoanRestructuring) -> list[restructuring.OldInstallment]:
    return [
        restructuring.OldInstallment(
            row["number"],
            datetime.date.fromisoformat(row["due_date"]),
            Decimal(row["principal_due"]),
            Decimal(row["interest_due"]),
            Decimal(row["balance_after"]),
            Decimal(row["principal_paid"]),
            Decimal(row["interest_paid"]),
            row["kept"],
        )
        for row in record.old_schedule
    ]


def restructuring_comparison(record: LoanRestructuring, *, today: datetime.date) -> Comparison:
    """The before and after of ``record``: as it would apply today while proposed (or rejected), as it applied on
    the day it was approved otherwise. Raises the service's ValidationError when it cannot apply today."""
    loan = record.loan
    if record.status in {RestructuringStatus.APPROVED, RestructuringStatus.REVERSED} and record.old_schedule:
        as_of, old = record.effective_on, _stored_old(record)
    else:
        as_of, old = today, None
        values = {name: getattr(record, name) for name in ("annual_rate", "installments", "grace_periods")}
        values |= {"first_due_date": record.first_due_date, "arrears": record.arrears, "frequency": loan.frequency}
        errors = term_errors(values, as_of=today)
        if errors:
            raise ValidationError(errors)
    old, plan = restructuring_plan(loan, new_terms(record), as_of=as_of, old=old)
    before, after = comparison(loan, old, plan)
    return Comparison(as_of, before, after, plan)


def moratorium_list(*, user) -> QuerySet[Moratorium]:
    """Moratoria cover many borrowers: staff who see every loan read them, partner users none."""
    if not (user.has_perm(Perm.VIEW_LOAN) and sees_everything(user)):
        return Moratorium.objects.none()
    return Moratorium.objects.select_related("country", "proposed_by", "decided_by")


def moratorium_get(*, user, pk) -> Moratorium:
    return get_object_or_404(moratorium_list(user=user), pk=pk)


@dataclass(frozen=True)
class AppliedTotals:
    """What a moratorium's applied restructurings moved, in one currency."""

    currency: object
    loans: int
    new_principal: Decimal
    capitalised: Decimal
    waived: Decimal


def applied_totals(restructurings: QuerySet[LoanRestructuring]) -> list[AppliedTotals]:
    """Per currency (never added across currencies), the applied restructurings among ``restructurings``: how
    many loans, their new principal, and the interest capitalised and waived. One query."""
    rows = list(
        restructurings.filter(status=RestructuringStatus.APPROVED)
        .order_by()
        .values("loan__currency")
        .annotate(
            loans=Count("pk"), new_principal=Sum("new_principal"), capitalised=Sum("capitalised"), waived=Sum("waived")
        )
        .order_by("loan__currency")
    )
    currencies = Currency.objects.in_bulk([row["loan__currency"] for row in rows])
    return [
        AppliedTotals(
            currency=currencies[row["loan__currency"]],
            loans=row["loans"],
            new_principal=row["new_principal"] or Decimal(0),
            capitalised=row["capitalised"],
            waived=row["waived"],
        )
        for row in rows
    ]
