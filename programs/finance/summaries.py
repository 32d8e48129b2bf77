"""Keeping ``LoanFigures``, ``MonthFigures`` and ``LoanTotals`` current, and rebuilding them from scratch.

Every service that moves a loan's money or status runs under ``keeps_figures``: with the loan's row locked (so
writes on one loan queue, as the services already make them), it reads what the loan contributes to the month rows,
runs the service, reads it again and adds the difference, all in the service's transaction. A loan's own reads cost
its schedule and its repayments, a few hundred rows at most, whatever the size of the portfolio; the month and
total rows are changed in a fixed order, so concurrent writes on loans of one programme queue instead of
deadlocking.

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
from programs.finance.models import (
    COMMITTED_STATUSES,
    DacFinding,
    Installment,
    Loan,
    LoanFigures,
    LoanStatus,
    LoanTotals,
    MonthFigures,
    Repayment,
    RepaymentStatus,
)

MONEY = DecimalField(**MONEY_DIGITS)
ZERO = Decimal(0)
# The month rows' counters, in the order a contribution lists them.
COUNTERS = (
    "expected",
    "due_installments",
    "received",
    "repayments",
    "arrears",
    "arrears_installments",
    "late_loans",
    "late_principal",
)
MONTH_KEY = ("programme_id", "currency_id", "month")
# The total rows' counters, in the order a contribution lists them.
TOTALS = ("loans", "principal", "disbursed", "principal_outstanding")
TOTALS_KEY = ("programme_id", "currency_id", "status", "dac")
BATCH = 2000


def month_of(day):
    return day.replace(day=1)


def _empty() -> list:
    return [ZERO, 0, ZERO, 0, ZERO, 0, 0, ZERO]


def _no_totals() -> list:
    return [0, ZERO, ZERO, ZERO]


def totals_key(loan) -> tuple:
    return (loan.programme_id, loan.currency_id, loan.status, DacFinding.of(loan.dac_concessional).value)


def totals_of(loan, principal_outstanding) -> list:
    """What one committed loan adds to its total row."""
    disbursed = loan.principal if loan.disbursed_on is not None else ZERO
    return [1, loan.principal, disbursed, principal_outstanding or ZERO]


def loan_contribution(loan_id: int) -> tuple[dict | None, dict, dict]:
    """What one loan puts in the summaries as it stands now: its ``LoanFigures`` values (None without a schedule),
    its counters per (programme, currency, month) and, once committed, its total row's."""
    loan = Loan.objects.only(
        "programme_id", "currency_id", "status", "disbursed_on", "principal", "dac_concessional"
    ).get(pk=loan_id)
    schedule = list(
        Installment.objects.filter(loan_id=loan_id).values_list(
            "due_date", "principal_due", "interest_due", "principal_paid", "interest_paid"
        )
    )
    months: dict = defaultdict(_empty)
    totals: dict = {}
    if not schedule:
        if loan.status in COMMITTED_STATUSES:
            totals[totals_key(loan)] = totals_of(loan, ZERO)
        return None, months, totals
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
    if active and oldest_unpaid is not None:
        late = months[(loan.programme_id, loan.currency_id, month_of(oldest_unpaid))]
        late[6] += 1
        late[7] += principal_outstanding
    if loan.status in COMMITTED_STATUSES:
        totals[totals_key(loan)] = totals_of(loan, principal_outstanding)
    figures = {"principal_outstanding": principal_outstanding, "oldest_unpaid_due_date": oldest_unpaid}
    return figures, months, totals


def _add_counters(model, key_fields: tuple, counters: tuple, changes: dict) -> None:
    """Add ``changes`` (counters per key: programme, currency, then the model's own key fields) to ``model``'s
    rows, creating those that do not exist yet: three statements however many rows change, the rows locked in key
    order."""
    keys = sorted(key for key, values in changes.items() if any(values))
    if not keys:
        return
    model.objects.bulk_create([model(**dict(zip(key_fields, key, strict=True))) for key in keys], ignore_conflicts=True)
    changed = []
    # One loan's keys share its programme and currency: one locking read per pair, so one in practice.
    for programme, currency in sorted({key[:2] for key in keys}):
        wanted = [key for key in keys if key[:2] == (programme, currency)]
        narrowing = {
            f"{name}__in": {key[position] for key in wanted} for position, name in enumerate(key_fields[2:], 2)
        }
        locked = model.objects.select_for_update().filter(programme_id=programme, currency_id=currency, **narrowing)
        for row in locked.order_by(*key_fields[2:]):
            key = tuple(getattr(row, name) for name in key_fields)
            if key not in changes:
                continue
            for name, value in zip(counters, changes[key], strict=True):
                setattr(row, name, getattr(row, name) + value)
            changed.append(row)
    model.objects.bulk_update(changed, counters, batch_size=BATCH)


def _add_to_months(changes: dict) -> None:
    _add_counters(MonthFigures, MONTH_KEY, COUNTERS, changes)


def _add_to_totals(changes: dict) -> None:
    _add_counters(LoanTotals, TOTALS_KEY, TOTALS, changes)


def _difference(before: dict, after: dict, empty=_empty) -> dict:
    changes = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, empty()), after.get(key, empty())
        changes[key] = [now - then for now, then in zip(new, old, strict=True)]
    return changes


def _loan_id(kwargs: dict) -> int:
    if "loan" in kwargs:
        return kwargs["loan"].pk
    return kwargs["repayment"].loan_id


def keeps_figures(service):
    """Keep the summaries current around ``service`` (called inside its transaction, with ``loan=`` or
    ``repayment=``): the loan's figures and its share of the month and total rows follow what the service did."""

    @functools.wraps(service)
    def kept(*args, **kwargs):
        loan_id = _loan_id(kwargs)
        with transaction.atomic():
            # The loan's row lock first: every money write on a loan queues there, so "before" stays true.
            list(Loan.objects.select_for_update().filter(pk=loan_id).values_list("pk"))
            _figures, before, totals_before = loan_contribution(loan_id)
            result = service(*args, **kwargs)
            figures, after, totals_after = loan_contribution(loan_id)
            _add_to_months(_difference(before, after))
            _add_to_totals(_difference(totals_before, totals_after, _no_totals))
            if figures is None:
                LoanFigures.objects.filter(loan_id=loan_id).delete()
            else:
                LoanFigures.objects.update_or_create(loan_id=loan_id, defaults=figures)
        return result

    return kept


def findings_changed(findings: list[tuple]) -> None:
    """Move committed loans between total rows after their DAC finding changed: ``findings`` holds each loan (with
    its new ``dac_concessional``) and its finding before. Called in the transaction that saved them."""
    moved = [(loan, before) for loan, before in findings if loan.status in COMMITTED_STATUSES]
    if not moved:
        return
    outstanding = dict(
        LoanFigures.objects.filter(loan_id__in=[loan.pk for loan, _before in moved]).values_list(
            "loan_id", "principal_outstanding"
        )
    )
    changes: dict = defaultdict(_no_totals)
    for loan, before in moved:
        counters = totals_of(loan, outstanding.get(loan.pk))
        old_key = (*totals_key(loan)[:3], DacFinding.of(before).value)
        for position, value in enumerate(counters):
            changes[old_key][position] -= value
            changes[totals_key(loan)][position] += value
    _add_to_totals(changes)


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


def computed_standing(loans: dict[int, dict], months: dict, loan_model=Loan) -> dict[tuple, list]:
    """Add to ``months`` the active loans late since each month (from ``loans``, the figures by loan id), and return
    the total rows of the committed loans, by (programme, currency, status, DAC finding)."""
    totals: dict = defaultdict(_no_totals)
    committed = loan_model.objects.filter(status__in=COMMITTED_STATUSES).only(
        "programme_id", "currency_id", "status", "disbursed_on", "principal", "dac_concessional"
    )
    for loan in committed.order_by().iterator(chunk_size=BATCH):
        figures = loans.get(loan.pk, {})
        outstanding, oldest_unpaid = figures.get("principal_outstanding") or ZERO, figures.get("oldest_unpaid_due_date")
        for position, value in enumerate(totals_of(loan, outstanding)):
            totals[totals_key(loan)][position] += value
        if loan.status == LoanStatus.DISBURSED and oldest_unpaid is not None:
            late = months[(loan.programme_id, loan.currency_id, month_of(oldest_unpaid))]
            late[6] += 1
            late[7] += outstanding
    return totals


def rebuild(
    *,
    loan_figures_model=LoanFigures,
    month_figures_model=MonthFigures,
    loan_totals_model=LoanTotals,
    installment_model=Installment,
    repayment_model=Repayment,
    loan_model=Loan,
) -> tuple[int, int]:
    """Replace the summaries with figures computed from scratch; return how many loan and month rows were written.

    The models can be a migration's historical ones. Run it in a transaction (the command and the migration do):
    a dashboard read meanwhile sees the old figures, never half of the new ones.
    """
    loans = computed_loan_figures(installment_model)
    months = computed_month_figures(installment_model, repayment_model)
    totals = computed_standing(loans, months, loan_model)
    loan_figures_model.objects.all().delete()
    month_figures_model.objects.all().delete()
    loan_totals_model.objects.all().delete()
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
    loan_totals_model.objects.bulk_create(
        (
            loan_totals_model(**dict(zip(TOTALS_KEY, key, strict=True)), **dict(zip(TOTALS, counters, strict=True)))
            for key, counters in sorted(totals.items())
        ),
        batch_size=BATCH,
    )
    return len(loans), len(months)
