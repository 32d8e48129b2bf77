"""Expressions and helpers the finance reads share: money fields, arrears, what is still owed."""

import datetime
from decimal import Decimal

from django.db.models import (
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)

from cooperation.access import sees_everything
from cooperation.money import MONEY_DIGITS, quantize
from cooperation.reference.models import Currency
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.finance.models import (
    Installment,
    Loan,
    LoanStatus,
)
from programs.selectors import per_row, visible_records

MONEY = DecimalField(**MONEY_DIGITS)
ZERO = Decimal(0)
# Statuses in which a loan's unpaid installments are arrears (a write-off does not make them paid).
ARREARS_STATUSES = (LoanStatus.DISBURSED, LoanStatus.WRITTEN_OFF)


class DaysBetween(Func):
    """Whole days from ``end`` back to ``start`` (both dates), computed by the database."""

    output_field = IntegerField()
    arity = 2

    def _operands(self, compiler):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return end, start, (*end_params, *start_params)

    def as_sql(self, compiler, connection, **extra_context):
        end, start, params = self._operands(compiler)
        return f"(CAST({end} AS date) - CAST({start} AS date))", params  # PostgreSQL: date − date is days

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start, params = self._operands(compiler)
        return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)", params


def date_value(value: datetime.date) -> Value:
    return Value(value, output_field=DateField())


UNPAID = Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due"))
OUTSTANDING = ExpressionWrapper(
    F("principal_due") + F("interest_due") - F("principal_paid") - F("interest_paid"), output_field=MONEY
)
PRINCIPAL_OUTSTANDING = ExpressionWrapper(F("principal_due") - F("principal_paid"), output_field=MONEY)


def per_loan(expression, *conditions: Q, aggregate=Sum, output_field=MONEY) -> Subquery:
    """A correlated subquery: ``aggregate(expression)`` over the installments of each loan of the outer query."""
    return per_row(Installment.objects.filter(*conditions), "loan", aggregate(expression), output_field=output_field)


def in_minor_units(values: dict, currency: Currency) -> dict:
    """Sums of amounts in whole minor units are whole minor units too; say so (SQLite hands back floats' digits)."""
    return {key: quantize(value, currency) if isinstance(value, Decimal) else value for key, value in values.items()}


def visible_loans(user) -> QuerySet[Loan]:
    """The loans ``user`` may see: the borrower sees a loan once it is submitted."""
    return visible_records(user, Loan, Perm.VIEW_LOAN, "borrower", draft=LoanStatus.DRAFT)


def on_visible_loans(user, rows: QuerySet, link: str = "loan") -> QuerySet:
    """``rows`` (of a model linked to a loan by ``link``) on the loans ``user`` may see (``visible_loans``), as plain
    conditions on the loan rather than a subquery of every loan: staff who see everything read ``rows`` whole."""
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_LOAN)):
        return rows.none()
    if sees_everything(user):
        return rows
    return rows.filter(**{f"{link}__borrower_id__in": user_organisation_ids(user)}).exclude(
        **{f"{link}__status": LoanStatus.DRAFT}
    )
