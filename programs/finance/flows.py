"""Finance's money flows for budgets against actuals.

Loans: the principal is committed on the day the loan was approved (``approved_at``, while it waits to be
disbursed) and spent on the day it was disbursed (``disbursed_on``), whatever became of it since (repaid, written
off). Grant tranches: committed on the day they were approved (the first history entry in which the tranche
reads approved; the planned date for a tranche approved before history was kept), spent on the day they were paid
(``paid_on``). Each is summed in SQL per programme, day and currency.
"""

from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext

from cooperation.date_spans import DateSpan
from cooperation.money_flows import Category, Flow, Stage
from programs.finance.models import Loan, LoanStatus, Tranche, TrancheStatus


def _flows(rows, stage: str, source: str) -> list[Flow]:
    """``rows`` of (programme id, day, currency, amount): tuples, as a national portfolio has tens of thousands."""
    return [
        Flow(programme_id, Category.FINANCIAL, stage, on, currency, amount, source)
        for programme_id, on, currency, amount in rows
        if on is not None
    ]


def _approved_on():
    """The day a tranche was approved, from its history."""
    approvals = (
        Tranche.history.filter(id=OuterRef("pk"), status=TrancheStatus.APPROVED)
        .order_by("history_date")
        .annotate(day=TruncDate("history_date"))
        .values("day")[:1]
    )
    return Coalesce(Subquery(approvals), F("planned_on"))


def money_flows(programme_ids, *, currency: str | None = None, span: DateSpan | None = None) -> list[Flow]:
    loans = Loan.objects.order_by()
    tranches = Tranche.objects.order_by()
    if programme_ids is not None:
        loans = loans.filter(programme_id__in=programme_ids)
        tranches = tranches.filter(grant__programme_id__in=programme_ids)
    if currency is not None:
        loans = loans.filter(currency_id=currency)
        tranches = tranches.filter(grant__currency_id=currency)
    within = Q() if span is None else span.within("on")
    loans_committed = (
        loans.filter(status=LoanStatus.APPROVED, approved_at__isnull=False)
        .annotate(on=TruncDate("approved_at"))
        .filter(within)
        .values("programme_id", "on", "currency_id")
        .annotate(amount=Sum("principal"))
    )
    loans_spent = (
        loans.filter(disbursed_on__isnull=False)
        .annotate(on=F("disbursed_on"))
        .filter(within)
        .values("programme_id", "on", "currency_id")
        .annotate(amount=Sum("principal"))
    )
    tranches_committed = (
        tranches.filter(status=TrancheStatus.APPROVED)
        .annotate(on=_approved_on())
        .filter(within)
        .values("grant__programme_id", "on", "grant__currency_id")
        .annotate(amount=Sum("amount"))
    )
    tranches_spent = (
        tranches.filter(status=TrancheStatus.PAID)
        .annotate(on=F("paid_on"))
        .filter(within)
        .values("grant__programme_id", "on", "grant__currency_id")
        .annotate(amount=Sum("amount"))
    )
    loan_row = ("programme_id", "on", "currency_id", "amount")
    tranche_row = ("grant__programme_id", "on", "grant__currency_id", "amount")
    return [
        *_flows(loans_committed.values_list(*loan_row), Stage.COMMITTED, gettext("Loans approved")),
        *_flows(loans_spent.values_list(*loan_row), Stage.SPENT, gettext("Loans disbursed")),
        *_flows(tranches_committed.values_list(*tranche_row), Stage.COMMITTED, gettext("Grant tranches approved")),
        *_flows(tranches_spent.values_list(*tranche_row), Stage.SPENT, gettext("Grant tranches paid")),
    ]
