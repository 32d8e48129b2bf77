"""Loans and repayments as the user may see them: arrears of today, schedules, reminders and history."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperation.history import HistoryEntry, HistorySource, history_for
from cooperation.records import with_related
from cooperation.roles import Perm
from programs.finance import schedule
from programs.finance.models import (
    Allocation,
    Installment,
    Loan,
    LoanRestructuring,
    LoanStatus,
    ReminderLog,
    Repayment,
    RepaymentStatus,
)
from programs.finance.selectors.common import (
    ARREARS_STATUSES,
    MONEY,
    OUTSTANDING,
    PRINCIPAL_OUTSTANDING,
    UNPAID,
    ZERO,
    DaysBetween,
    date_value,
    on_visible_loans,
    per_loan,
    visible_loans,
)
from programs.selectors import today_or, with_emails

# --- loans --------------------------------------------------------------------------------------------------------


def loan_list(*, user, today: datetime.date | None = None) -> QuerySet[Loan]:
    """Loans ``user`` may see, each annotated (in SQL) with its outstanding principal and arrears as of ``today``.

    ``outstanding_principal`` counts only active (disbursed) loans; ``overdue_amount`` and
    ``max_days_past_due`` count unpaid installments due before ``today`` on active or written-off loans.
    """
    today = today_or(today)
    past_due = Q(due_date__lt=today) & UNPAID
    in_arrears = Q(status__in=ARREARS_STATUSES)
    return (
        visible_loans(user)
        .select_related("programme", "borrower", "lender", "currency")
        .annotate(
            outstanding_principal=Case(
                When(status=LoanStatus.DISBURSED, then=Coalesce(per_loan(PRINCIPAL_OUTSTANDING), ZERO)),
                default=Value(ZERO),
                output_field=MONEY,
            ),
            overdue_amount=Case(
                When(in_arrears, then=Coalesce(per_loan(OUTSTANDING, past_due), ZERO)),
                default=Value(ZERO),
                output_field=MONEY,
            ),
            max_days_past_due=Case(
                When(
                    in_arrears,
                    then=Coalesce(
                        DaysBetween(
                            date_value(today), per_loan("due_date", past_due, aggregate=Min, output_field=DateField())
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
    """One loan ``user`` may see (404 otherwise), with the same annotations as ``loan_list`` and the records it
    points at, read by id rather than joined (see ``cooperation.records``)."""
    queryset = loan_list(user=user, today=today).select_related(None).select_related("programme", "currency")
    return with_related(get_object_or_404(queryset, pk=pk), "borrower", "lender", "created_by", "approved_by")


def loan_schedule(*, loan: Loan, today: datetime.date | None = None) -> QuerySet[Installment]:
    """The loan's installments in order, annotated with ``paid_amount``, ``outstanding_amount`` and ``days_past_due``.

    (``Installment.outstanding``, ``total_paid`` and ``is_paid`` are properties on the model too.)
    """
    today = today_or(today)
    if loan.status in ARREARS_STATUSES:
        days_past_due = Case(
            When(Q(due_date__lt=today) & UNPAID, then=DaysBetween(date_value(today), F("due_date"))),
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


# The installments a loan's page lists at first (two years of monthly ones, from the oldest still owed); the whole
# schedule is a link away, its totals always those of the whole schedule.
SCHEDULE_SHOWN = 24


@dataclass(frozen=True)
class ScheduleSummary:
    """A schedule's size and totals, and the part of it a loan's page lists (``first`` to ``last``)."""

    count: int
    principal_due: Decimal
    interest_due: Decimal
    total_due: Decimal
    paid: Decimal
    outstanding: Decimal
    first: int
    last: int

    @property
    def is_whole(self) -> bool:
        return self.first <= 1 and self.last >= self.count


def loan_schedule_summary(*, loan: Loan, shown: int | None = None) -> ScheduleSummary:
    """The loan's schedule summed in SQL (one query however many installments), and the ``shown`` installments a
    page lists: from the oldest one still owed (with the one paid before it), or the last ``shown`` once all are
    paid; the whole schedule when ``shown`` is None or covers it."""
    totals = Installment.objects.filter(loan=loan).aggregate(
        count=Count("pk"),
        principal=Coalesce(Sum("principal_due"), ZERO),
        interest=Coalesce(Sum("interest_due"), ZERO),
        paid=Coalesce(Sum(F("principal_paid") + F("interest_paid"), output_field=MONEY), ZERO),
        outstanding=Coalesce(Sum(OUTSTANDING), ZERO),
        oldest_owed=Min("number", filter=UNPAID),
    )
    count = totals["count"]
    first, last = 1, count
    if shown is not None and count > shown:
        first = max(1, min((totals["oldest_owed"] or count) - 1, count - shown + 1))
        last = first + shown - 1
    return ScheduleSummary(
        count=count,
        principal_due=totals["principal"],
        interest_due=totals["interest"],
        total_due=totals["principal"] + totals["interest"],
        paid=totals["paid"],
        outstanding=totals["outstanding"],
        first=first,
        last=last,
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
    return with_emails(loan_reminders(user=user, loan=loan).order_by("-created_at", "-pk"), user=user)


def loan_history(*, user, loan: Loan) -> list[HistoryEntry]:
    """The latest changes to a loan, its repayments, its schedule and how payments were applied, newest first.

    A generated schedule is one entry; installments appear again when a payment (or a reversal)
    changes what they have been paid; an allocation appears when a payment is applied, and when a
    reversal takes it off the schedule (who, when, why). Amounts are in the loan's currency.
    """
    currency = loan.currency
    return history_for(
        user,
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
            HistorySource(
                LoanRestructuring.history.filter(loan_id=loan.pk),
                subject=lambda record: _("Restructuring"),
                currency=currency,
                money_fields=RESTRUCTURING_MONEY,
                shown_on_creation=RESTRUCTURING_TERMS,
            ),
        ],
    )


RESTRUCTURING_MONEY = frozenset({"capitalised", "waived", "new_principal"})
RESTRUCTURING_TERMS = ("annual_rate", "installments", "grace_periods", "first_due_date", "arrears")


def restructuring_history(*, user, record: LoanRestructuring) -> list[HistoryEntry]:
    """Who proposed, decided on and reversed a restructuring, when and why, newest first."""
    return history_for(
        user,
        [
            HistorySource(
                LoanRestructuring.history.filter(id=record.pk),
                currency=record.loan.currency,
                money_fields=RESTRUCTURING_MONEY,
                shown_on_creation=(*RESTRUCTURING_TERMS, "reason"),
            )
        ],
    )


# --- repayments ---------------------------------------------------------------------------------------------------


def repayment_list(*, user, loan: Loan | None = None) -> QuerySet[Repayment]:
    if not user.has_perm(Perm.VIEW_REPAYMENT):
        return Repayment.objects.none()
    queryset = on_visible_loans(user, Repayment.objects.all()).select_related(
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
