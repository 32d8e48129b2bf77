"""Reads of loans, repayments, grants and notifications, scoped to who asks.

Staff who see everything read every record; a partner user reads only the
loans their organisation borrows, the grants it receives and its own
notifications. Money figures are aggregated in SQL, so a page costs the same
number of queries for five loans as for five thousand.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperation.access import require_perm, sees_everything
from cooperation.history import HistoryEntry, HistorySource, history_entries
from cooperation.money import MONEY_DIGITS, quantize
from cooperation.outbox.selectors import messages_about
from cooperation.reference.models import Currency
from cooperation.roles import Perm
from partners.models import Notification
from partners.selectors import user_organisation_ids
from programs.finance import schedule
from programs.finance.models import (
    Allocation,
    Grant,
    Installment,
    Loan,
    LoanStatus,
    ReminderLog,
    Repayment,
    RepaymentStatus,
    Tranche,
    TrancheStatus,
)

MONEY = DecimalField(**MONEY_DIGITS)
ZERO = Decimal(0)
PERCENT = Decimal("0.01")
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


def _date(value: datetime.date) -> Value:
    return Value(value, output_field=DateField())


UNPAID = Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due"))
OUTSTANDING = ExpressionWrapper(
    F("principal_due") + F("interest_due") - F("principal_paid") - F("interest_paid"), output_field=MONEY
)
PRINCIPAL_OUTSTANDING = ExpressionWrapper(F("principal_due") - F("principal_paid"), output_field=MONEY)


def _per_loan(expression, *conditions: Q, aggregate=Sum, output_field=MONEY) -> Subquery:
    """A correlated subquery: ``aggregate(expression)`` over the installments of each loan of the outer query."""
    rows = (
        Installment.objects.filter(*conditions, loan=OuterRef("pk"))
        .order_by()
        .values("loan")
        .annotate(result=aggregate(expression))
        .values("result")
    )
    return Subquery(rows, output_field=output_field)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _in_minor_units(values: dict, currency: Currency) -> dict:
    """Sums of amounts in whole minor units are whole minor units too; say so (SQLite hands back floats' digits)."""
    return {key: quantize(value, currency) if isinstance(value, Decimal) else value for key, value in values.items()}


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    if not whole:
        return ZERO.quantize(PERCENT)
    return (100 * part / whole).quantize(PERCENT, rounding=ROUND_HALF_EVEN)


# --- loans --------------------------------------------------------------------------------------------------------


def _visible_loans(user) -> QuerySet[Loan]:
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_LOAN)):
        return Loan.objects.none()
    if sees_everything(user):
        return Loan.objects.all()
    # A draft is the officer's working copy: the borrower sees a loan once it is submitted.
    return Loan.objects.filter(borrower_id__in=user_organisation_ids(user)).exclude(status=LoanStatus.DRAFT)


def loan_list(*, user, today: datetime.date | None = None) -> QuerySet[Loan]:
    """Loans ``user`` may see, each annotated (in SQL) with its outstanding principal and arrears as of ``today``.

    ``outstanding_principal`` counts only active (disbursed) loans; ``overdue_amount`` and
    ``max_days_past_due`` count unpaid installments due before ``today`` on active or written-off loans.
    """
    today = _today(today)
    past_due = Q(due_date__lt=today) & UNPAID
    in_arrears = Q(status__in=ARREARS_STATUSES)
    return (
        _visible_loans(user)
        .select_related("programme", "borrower", "lender", "currency")
        .annotate(
            outstanding_principal=Case(
                When(status=LoanStatus.DISBURSED, then=Coalesce(_per_loan(PRINCIPAL_OUTSTANDING), ZERO)),
                default=Value(ZERO),
                output_field=MONEY,
            ),
            overdue_amount=Case(
                When(in_arrears, then=Coalesce(_per_loan(OUTSTANDING, past_due), ZERO)),
                default=Value(ZERO),
                output_field=MONEY,
            ),
            max_days_past_due=Case(
                When(
                    in_arrears,
                    then=Coalesce(
                        DaysBetween(
                            _date(today), _per_loan("due_date", past_due, aggregate=Min, output_field=DateField())
                        ),
                        0,
                    ),
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
    )


def loan_get(*, user, pk, today: datetime.date | None = None) -> Loan:
    """One loan ``user`` may see (404 otherwise), with the same annotations as ``loan_list``."""
    queryset = loan_list(user=user, today=today).select_related("created_by", "approved_by")
    return get_object_or_404(queryset, pk=pk)


def loan_schedule(*, loan: Loan, today: datetime.date | None = None) -> QuerySet[Installment]:
    """The loan's installments in order, annotated with ``paid_amount``, ``outstanding_amount`` and ``days_past_due``.

    (``Installment.outstanding``, ``total_paid`` and ``is_paid`` are properties on the model too.)
    """
    today = _today(today)
    if loan.status in ARREARS_STATUSES:
        days_past_due = Case(
            When(Q(due_date__lt=today) & UNPAID, then=DaysBetween(_date(today), F("due_date"))),
            default=Value(0),
            output_field=IntegerField(),
        )
    else:  # nothing is late on a loan whose money never went out or that is closed
        days_past_due = Value(0, output_field=IntegerField())
    return (
        Installment.objects.filter(loan=loan)
        .order_by("number")
        .annotate(
            paid_amount=ExpressionWrapper(F("principal_paid") + F("interest_paid"), output_field=MONEY),
            outstanding_amount=OUTSTANDING,
            days_past_due=days_past_due,
        )
    )


def loan_grant_element(*, loan: Loan) -> Decimal:
    """The loan's OECD DAC grant element in percent, from its schedule (or the schedule its terms would give)."""
    from programs.finance.services import loan_terms

    installments = list(loan.schedule.order_by("number"))
    if installments:
        rows = [
            schedule.Row(item.number, item.due_date, item.principal_due, item.interest_due, item.balance_after)
            for item in installments
        ]
    else:
        rows = schedule.build(loan_terms(loan))
    return schedule.grant_element(rows, loan.principal, loan.disbursed_on or loan.disbursement_date, loan.discount_rate)


def loan_reminders(*, user, loan: Loan) -> QuerySet[ReminderLog]:
    if not user.has_perm(Perm.VIEW_REMINDER):
        return ReminderLog.objects.none()
    return ReminderLog.objects.filter(installment__loan=loan).select_related("installment")


INSTALLMENT_MONEY = frozenset({"principal_due", "interest_due", "balance_after", "principal_paid", "interest_paid"})


def _repayment_subject(paid_on: datetime.date) -> str:
    return _("Repayment of %(date)s") % {"date": formats.date_format(paid_on, "DATE_FORMAT")}


def loan_reminders_with_emails(*, user, loan: Loan) -> list[ReminderLog]:
    """The loan's reminders, newest first, each with ``emails``: its outbox rows (two queries in all)."""
    reminders = list(loan_reminders(user=user, loan=loan).order_by("-created_at", "-pk"))
    emails: dict[int, list] = {}
    for message in messages_about(user=user, records=[loan_reminders(user=user, loan=loan)]):
        emails.setdefault(message.object_id, []).append(message)
    for reminder in reminders:
        reminder.emails = emails.get(reminder.pk, [])
    return reminders


def loan_history(*, user, loan: Loan) -> list[HistoryEntry]:
    """The latest changes to a loan, its repayments, its schedule and how payments were applied, newest first.

    A generated schedule is one entry; installments appear again when a payment (or a reversal)
    changes what they have been paid; an allocation appears when a payment is applied, and when a
    reversal takes it off the schedule (who, when, why). Amounts are in the loan's currency.
    """
    require_perm(user, Perm.VIEW_HISTORY)
    currency = loan.currency
    return history_entries(
        [
            HistorySource(Loan.history.filter(id=loan.pk), currency=currency, money_fields=frozenset({"principal"})),
            HistorySource(
                Repayment.history.filter(loan_id=loan.pk),
                subject=lambda record: _repayment_subject(record.paid_on),
                currency=currency,
                money_fields=frozenset({"amount"}),
            ),
            HistorySource(
                Installment.history.filter(loan_id=loan.pk),
                subject=lambda record: _("Installment #%(number)d") % {"number": record.number},
                currency=currency,
                money_fields=INSTALLMENT_MONEY,
                created_together=lambda count: (
                    ngettext("Schedule of %(count)d installment", "Schedule of %(count)d installments", count)
                    % {"count": count}
                ),
            ),
            HistorySource(
                Allocation.history.filter(installment__loan_id=loan.pk).select_related("repayment", "installment"),
                subject=lambda record: (
                    _("%(repayment)s applied to installment #%(number)d")
                    % {"repayment": _repayment_subject(record.repayment.paid_on), "number": record.installment.number}
                ),
                currency=currency,
                money_fields=frozenset({"interest", "principal"}),
                shown_on_creation=("interest", "principal"),
            ),
        ]
    )


# --- repayments ---------------------------------------------------------------------------------------------------


def repayment_list(*, user, loan: Loan | None = None) -> QuerySet[Repayment]:
    if not user.has_perm(Perm.VIEW_REPAYMENT):
        return Repayment.objects.none()
    queryset = Repayment.objects.filter(loan__in=_visible_loans(user).values("pk")).select_related(
        "loan__borrower", "currency", "recorded_by", "confirmed_by", "reversed_by"
    )
    if loan is not None:
        queryset = queryset.filter(loan=loan)
    return queryset


def repayment_get(*, user, pk) -> Repayment:
    queryset = repayment_list(user=user).prefetch_related(
        Prefetch(
            "allocations",
            queryset=Allocation.objects.select_related("installment").order_by("installment__number"),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def pending_repayments(*, user) -> QuerySet[Repayment]:
    """Payments partners notified that wait for an officer's confirmation, oldest first."""
    return repayment_list(user=user).filter(status=RepaymentStatus.PENDING).order_by("paid_on", "created_at")


# --- portfolio ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurrencyPortfolio:
    currency: Currency
    outstanding_principal: Decimal = ZERO
    disbursed: Decimal = ZERO
    collected_this_month: Decimal = ZERO
    due_next_30_days: Decimal = ZERO
    overdue: Decimal = ZERO
    at_risk_30: Decimal = ZERO  # outstanding principal of loans with an installment > 30 days late
    at_risk_90: Decimal = ZERO
    active_loans: int = 0

    @property
    def par30(self) -> Decimal:
        """Portfolio at risk over 30 days, in percent of the outstanding principal."""
        return _percent(self.at_risk_30, self.outstanding_principal)

    @property
    def par90(self) -> Decimal:
        return _percent(self.at_risk_90, self.outstanding_principal)


def _late_loans(today: datetime.date, days: int) -> QuerySet:
    """Ids of loans with an unpaid installment more than ``days`` days past due."""
    return Installment.objects.filter(UNPAID, due_date__lt=today - datetime.timedelta(days=days)).values("loan_id")


def portfolio_summary(*, user, today: datetime.date | None = None) -> list[CurrencyPortfolio]:
    """The portfolio per currency (never summed across currencies), in four queries whatever its size."""
    today = _today(today)
    loans = _visible_loans(user)
    active = loans.filter(status=LoanStatus.DISBURSED)
    by_currency: dict[str, dict] = defaultdict(dict)

    installment_rows = (
        Installment.objects.filter(loan__in=active.values("pk"))
        .order_by()
        .values("loan__currency_id")
        .annotate(
            outstanding_principal=Sum(PRINCIPAL_OUTSTANDING),
            due_next_30_days=Sum(
                OUTSTANDING, filter=Q(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=30))
            ),
            overdue=Sum(OUTSTANDING, filter=Q(due_date__lt=today)),
            at_risk_30=Sum(PRINCIPAL_OUTSTANDING, filter=Q(loan_id__in=_late_loans(today, 30))),
            at_risk_90=Sum(PRINCIPAL_OUTSTANDING, filter=Q(loan_id__in=_late_loans(today, 90))),
        )
    )
    for row in installment_rows:
        code = row.pop("loan__currency_id")
        by_currency[code].update({key: value or ZERO for key, value in row.items()})

    for row in active.order_by().values("currency_id").annotate(count=Count("pk")):
        by_currency[row["currency_id"]]["active_loans"] = row["count"]
    disbursed = (
        loans.filter(disbursed_on__isnull=False).order_by().values("currency_id").annotate(total=Sum("principal"))
    )
    for row in disbursed:
        by_currency[row["currency_id"]]["disbursed"] = row["total"]
    collected = (
        Repayment.objects.filter(
            loan__in=loans.values("pk"),
            status=RepaymentStatus.CONFIRMED,
            paid_on__gte=today.replace(day=1),
            paid_on__lte=today,
        )
        .order_by()
        .values("currency_id")
        .annotate(total=Sum("amount"))
    )
    for row in collected:
        by_currency[row["currency_id"]]["collected_this_month"] = row["total"]

    currencies = Currency.objects.in_bulk(list(by_currency))
    return [
        CurrencyPortfolio(currency=currencies[code], **_in_minor_units(by_currency[code], currencies[code]))
        for code in sorted(by_currency)
    ]


@dataclass(frozen=True)
class MonthAmounts:
    month: datetime.date  # the first day of the month
    expected: Decimal = ZERO
    received: Decimal = ZERO


@dataclass(frozen=True)
class CurrencyMonths:
    currency: Currency
    months: list[MonthAmounts] = field(default_factory=list)


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    this_month = today.replace(day=1)
    return [schedule.add_months(this_month, -offset) for offset in reversed(range(months))]


def repayments_by_month(*, user, today: datetime.date | None = None, months: int = 12) -> list[CurrencyMonths]:
    """Per currency, month by month up to ``today``'s month: installments falling due against money received."""
    today = _today(today)
    starts = _month_starts(today, months)
    end = schedule.add_months(starts[-1], 1) - datetime.timedelta(days=1)
    loans = _visible_loans(user).filter(disbursed_on__isnull=False).values("pk")
    amounts: dict[str, dict[datetime.date, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))

    expected = (
        Installment.objects.filter(loan__in=loans, due_date__gte=starts[0], due_date__lte=end)
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values("loan__currency_id", "month")
        .annotate(total=Sum(ExpressionWrapper(F("principal_due") + F("interest_due"), output_field=MONEY)))
    )
    for row in expected:
        amounts[row["loan__currency_id"]][row["month"]]["expected"] = row["total"]
    received = (
        Repayment.objects.filter(
            loan__in=loans, status=RepaymentStatus.CONFIRMED, paid_on__gte=starts[0], paid_on__lte=end
        )
        .annotate(month=TruncMonth("paid_on"))
        .order_by()
        .values("currency_id", "month")
        .annotate(total=Sum("amount"))
    )
    for row in received:
        amounts[row["currency_id"]][row["month"]]["received"] = row["total"]

    currencies = Currency.objects.in_bulk(list(amounts))
    return [
        CurrencyMonths(
            currency=currencies[code],
            months=[
                MonthAmounts(month=start, **_in_minor_units(amounts[code].get(start, {}), currencies[code]))
                for start in starts
            ],
        )
        for code in sorted(amounts)
    ]


# --- grants -------------------------------------------------------------------------------------------------------


def _per_grant(*statuses: str) -> Coalesce:
    rows = (
        Tranche.objects.filter(grant=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("grant")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), ZERO, output_field=MONEY)


def _visible_grants(user) -> QuerySet[Grant]:
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_GRANT)):
        return Grant.objects.none()
    if sees_everything(user):
        return Grant.objects.all()
    return Grant.objects.filter(recipient_id__in=user_organisation_ids(user))


def grant_list(*, user) -> QuerySet[Grant]:
    """Grants ``user`` may see, annotated with ``paid_total`` (paid tranches), ``unpaid_total`` (approved, awaiting
    payment), ``scheduled_total`` (not yet approved), ``cancelled_total`` and ``remaining_total`` (still to pay:
    the amount less what was paid or cancelled)."""
    return (
        _visible_grants(user)
        .select_related("programme", "recipient", "currency")
        .annotate(
            paid_total=_per_grant(TrancheStatus.PAID),
            unpaid_total=_per_grant(TrancheStatus.APPROVED),
            scheduled_total=_per_grant(TrancheStatus.SCHEDULED),
            cancelled_total=_per_grant(TrancheStatus.CANCELLED),
        )
        .annotate(
            remaining_total=ExpressionWrapper(F("amount") - F("paid_total") - F("cancelled_total"), output_field=MONEY)
        )
    )


def grant_get(*, user, pk) -> Grant:
    queryset = (
        grant_list(user=user)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.select_related("approved_by").order_by("number"))
        )
    )
    return get_object_or_404(queryset, pk=pk)


def tranche_get(*, user, pk) -> Tranche:
    if not user.has_perm(Perm.VIEW_TRANCHE):
        return get_object_or_404(Tranche.objects.none(), pk=pk)
    queryset = Tranche.objects.filter(grant__in=_visible_grants(user).values("pk")).select_related(
        "grant__currency", "grant__recipient", "approved_by"
    )
    return get_object_or_404(queryset, pk=pk)


def tranche_list(*, user, grant: Grant | None = None) -> QuerySet[Tranche]:
    if not user.has_perm(Perm.VIEW_TRANCHE):
        return Tranche.objects.none()
    queryset = Tranche.objects.filter(grant__in=_visible_grants(user).values("pk")).select_related(
        "grant__currency", "grant__recipient", "approved_by"
    )
    return queryset.filter(grant=grant) if grant is not None else queryset


# --- the partner portal's messages --------------------------------------------------------------------------------


def notification_list(*, user) -> QuerySet[Notification]:
    """Messages for the organisations ``user`` works for, newest first."""
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_NOTIFICATION)):
        return Notification.objects.none()
    return Notification.objects.filter(organisation_id__in=user_organisation_ids(user)).select_related("organisation")
