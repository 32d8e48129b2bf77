"""Keeping ``LoanFigures`` and ``MonthFigures`` current, and rebuilding them from scratch.

Every service that moves a loan's money or status runs under ``keeps_figures``: with the loan's row locked (so
writes on one loan queue, as the services already make them), it reads what the loan contributes to the month rows,
runs the service, reads it again and adds the difference, all in the service's transaction. A loan's own reads cost
its schedule and its repayments, a few hundred rows at most, whatever the size of the portfolio; the month rows are
changed in a fixed order, so concurrent writes on loans of one programme queue instead of deadlocking.

``rebuild`` recomputes both tables from the schedules and repayments in a handful of set-based queries: the
backfill, and ``manage.py refresh_summaries`` for repairs after data was written around the services.
"""

import functools
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Min, Q, Sum
from django.db.models.functions import TruncMonth

from cooperation.money import MONEY_DIGITS
from programs.finance.models import Installment, Loan, LoanFigures, LoanStatus, MonthFigures, Repayment, RepaymentStatus

MONEY = DecimalField(**MONEY_DIGITS)
ZERO = Decimal(0)
# The month rows' counters, in the order a contribution lists them.
COUNTERS = ("expected", "due_installments", "received", "repayments", "arrears", "arrears_installments")
BATCH = 2000


def month_of(day):
    return day.replace(day=1)


def _empty() -> list:
    return [ZERO, 0, ZERO, 0, ZERO, 0]


def loan_contribution(loan_id: int) -> tuple[dict | None, dict]:
    """What one loan puts in the summaries as it stands now: its ``LoanFigures`` values (None without a schedule)
    and its counters per (programme, currency, month)."""
    loan = Loan.objects.only("programme_id", "currency_id", "status", "disbursed_on").get(pk=loan_id)
    schedule = list(
        Installment.objects.filter(loan_id=loan_id).values_list(
            "due_date", "principal_due", "interest_due", "principal_paid", "interest_paid"
        )
    )
    months: dict = defaultdict(_empty)
    if not schedule:
        return None, months
    disbursed = loan.disbursed_on is not None
    active = loan.status == LoanStatus.DISBURSED
    principal_outstanding, oldest_unpaid = ZERO, None
    for due_date, principal_due, interest_due, principal_paid, interest_paid in schedule:
        principal_outstanding += principal_due - principal_paid
        unpaid = principal_paid < principal_due or interest_paid < interest_due
        if unpaid and (oldest_unpaid is None or due_date < oldest_unpaid):
            oldest_unpaid = due_date
        key = (loan.programme_id, loan.currency_id, month_of(due_date))
        if disbursed:
            months[key][0] += principal_due + interest_due
            months[key][1] += 1
        if active and unpaid:
            months[key][4] += principal_due + interest_due - principal_paid - interest_paid
            months[key][5] += 1
    if disbursed:
        confirmed = Repayment.objects.filter(loan_id=loan_id, status=RepaymentStatus.CONFIRMED)
        for paid_on, amount in confirmed.values_list("paid_on", "amount"):
            key = (loan.programme_id, loan.currency_id, month_of(paid_on))
            months[key][2] += amount
            months[key][3] += 1
    figures = {"principal_outstanding": principal_outstanding, "oldest_unpaid_due_date": oldest_unpaid}
    return figures, months


def _add_to_months(changes: dict) -> None:
    """Add ``changes`` (counters per key) to the month rows, creating the rows that do not exist yet: three
    statements however many months change, the rows locked in key order."""
    keys = sorted(key for key, counters in changes.items() if any(counters))
    if not keys:
        return
    rows = [
        MonthFigures(programme_id=programme, currency_id=currency, month=month) for programme, currency, month in keys
    ]
    MonthFigures.objects.bulk_create(rows, ignore_conflicts=True)
    changed = []
    # One loan's keys share its programme and currency: one locking read per pair, so one in practice.
    for programme, currency in sorted({key[:2] for key in keys}):
        months = [
            month
            for key_programme, key_currency, month in keys
            if (key_programme, key_currency) == (programme, currency)
        ]
        locked = MonthFigures.objects.select_for_update().filter(
            programme_id=programme, currency_id=currency, month__in=months
        )
        for row in locked.order_by("month"):
            for name, value in zip(COUNTERS, changes[(programme, currency, row.month)], strict=True):
                setattr(row, name, getattr(row, name) + value)
            changed.append(row)
    MonthFigures.objects.bulk_update(changed, COUNTERS, batch_size=BATCH)


def _difference(before: dict, after: dict) -> dict:
    changes = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, _empty()), after.get(key, _empty())
        changes[key] = [now - then for now, then in zip(new, old, strict=True)]
    return changes


def _loan_id(kwargs: dict) -> int:
    if "loan" in kwargs:
        return kwargs["loan"].pk
    return kwargs["repayment"].loan_id


def keeps_figures(service):
    """Keep the summaries current around ``service`` (called inside its transaction, with ``loan=`` or
    ``repayment=``): the loan's figures and its share of the month rows follow what the service did."""

    @functools.wraps(service)
    def kept(*args, **kwargs):
        loan_id = _loan_id(kwargs)
        with transaction.atomic():
            # The loan's row lock first: every money write on a loan queues there, so "before" stays true.
            list(Loan.objects.select_for_update().filter(pk=loan_id).values_list("pk"))
            _figures, before = loan_contribution(loan_id)
            result = service(*args, **kwargs)
            figures, after = loan_contribution(loan_id)
            _add_to_months(_difference(before, after))
            if figures is None:
                LoanFigures.objects.filter(loan_id=loan_id).delete()
            else:
                LoanFigures.objects.update_or_create(loan_id=loan_id, defaults=figures)
        return result

    return kept


# --- from scratch -------------------------------------------------------------------------------------------------


def computed_loan_figures(installment_model=Installment) -> dict[int, dict]:
    """Every loan's figures computed from its schedule, by loan id."""
    unpaid = Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due"))
    rows = (
        installment_model.objects.order_by()
        .values("loan_id")
        .annotate(
            principal_outstanding=Sum(ExpressionWrapper(F("principal_due") - F("principal_paid"), output_field=MONEY)),
            oldest_unpaid_due_date=Min("due_date", filter=unpaid),
        )
    )
    return {row.pop("loan_id"): row for row in rows}


def computed_month_figures(installment_model=Installment, repayment_model=Repayment) -> dict[tuple, list]:
    """Every month row computed from the schedules and repayments, by (programme, currency, month)."""
    unpaid = Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due"))
    active_unpaid = Q(loan__status=LoanStatus.DISBURSED) & unpaid
    disbursed = Q(loan__disbursed_on__isnull=False)
    due = ExpressionWrapper(F("principal_due") + F("interest_due"), output_field=MONEY)
    owed = ExpressionWrapper(
        F("principal_due") + F("interest_due") - F("principal_paid") - F("interest_paid"), output_field=MONEY
    )
    months: dict = defaultdict(_empty)
    installments = (
        installment_model.objects.filter(disbursed | Q(loan__status=LoanStatus.DISBURSED))
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values("loan__programme_id", "loan__currency_id", "month")
        .annotate(
            expected=Sum(due, filter=disbursed),
            due_installments=Count("pk", filter=disbursed),
            arrears=Sum(owed, filter=active_unpaid),
            arrears_installments=Count("pk", filter=active_unpaid),
        )
    )
    for row in installments:
        counters = months[(row["loan__programme_id"], row["loan__currency_id"], row["month"])]
        counters[0] += row["expected"] or ZERO
        counters[1] += row["due_installments"]
        counters[4] += row["arrears"] or ZERO
        counters[5] += row["arrears_installments"]
    repayments = (
        repayment_model.objects.filter(status=RepaymentStatus.CONFIRMED, loan__disbursed_on__isnull=False)
        .annotate(month=TruncMonth("paid_on"))
        .order_by()
        .values("loan__programme_id", "loan__currency_id", "month")
        .annotate(received=Sum("amount"), repayments=Count("pk"))
    )
    for row in repayments:
        counters = months[(row["loan__programme_id"], row["loan__currency_id"], row["month"])]
        counters[2] += row["received"] or ZERO
        counters[3] += row["repayments"]
    return months


def rebuild(
    *,
    loan_figures_model=LoanFigures,
    month_figures_model=MonthFigures,
    installment_model=Installment,
    repayment_model=Repayment,
) -> tuple[int, int]:
    """Replace both summaries with figures computed from scratch; return how many rows of each were written.

    The models can be a migration's historical ones. Run it in a transaction (the command and the migration do):
    a dashboard read meanwhile sees the old figures, never half of the new ones.
    """
    loans = computed_loan_figures(installment_model)
    months = computed_month_figures(installment_model, repayment_model)
    loan_figures_model.objects.all().delete()
    month_figures_model.objects.all().delete()
    loan_figures_model.objects.bulk_create(
        (loan_figures_model(loan_id=loan_id, **values) for loan_id, values in loans.items()), batch_size=BATCH
    )
    month_figures_model.objects.bulk_create(
        (
            month_figures_model(
                programme_id=programme,
                currency_id=currency,
                month=month,
                **dict(zip(COUNTERS, counters, strict=True)),
            )
            for (programme, currency, month), counters in sorted(months.items())
        ),
        batch_size=BATCH,
    )
    return len(loans), len(months)
