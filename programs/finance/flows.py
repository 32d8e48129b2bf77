"""Finance's money flows for budgets against actuals.

Loans: the principal is committed on the day the loan was approved (``approved_at``, while it waits to be
disbursed) and spent on the day it was disbursed (``disbursed_on``), whatever became of it since (repaid, written
off). Grant tranches: committed on the day they were approved (the first history entry in which the tranche
reads approved; the planned date for a tranche approved before history was kept), spent on the day they were paid
(``paid_on``). Each is summed in SQL per programme, day and currency.
"""

from django.db.models import F, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext

from cooperation.money_flows import Category, Flow, Stage
from programs.finance.models import Loan, LoanStatus, Tranche, TrancheStatus


def _flows(rows, stage: str, source: str, programme: str, currency: str) -> list[Flow]:
    return [
        Flow(
            programme_id=row[programme],
            category=Category.FINANCIAL,
            stage=stage,
            on=row["on"],
            currency=row[currency],
            amount=row["amount"],
            source=source,
        )
        for row in rows
        if row["on"] is not None
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


def money_flows(programme_ids) -> list[Flow]:
    loans = Loan.objects.order_by()
    tranches = Tranche.objects.order_by()
    if programme_ids is not None:
        loans = loans.filter(programme_id__in=programme_ids)
        tranches = tranches.filter(grant__programme_id__in=programme_ids)
    loans_committed = (
        loans.filter(status=LoanStatus.APPROVED, approved_at__isnull=False)
        .annotate(on=TruncDate("approved_at"))
        .values("programme_id", "on", "currency_id")
        .annotate(amount=Sum("principal"))
    )
    loans_spent = (
        loans.filter(disbursed_on__isnull=False)
        .annotate(on=F("disbursed_on"))
        .values("programme_id", "on", "currency_id")
        .annotate(amount=Sum("principal"))
    )
    tranches_committed = (
        tranches.filter(status=TrancheStatus.APPROVED)
        .annotate(on=_approved_on())
        .values("grant__programme_id", "on", "grant__currency_id")
        .annotate(amount=Sum("amount"))
    )
    tranches_spent = (
        tranches.filter(status=TrancheStatus.PAID)
        .annotate(on=F("paid_on"))
        .values("grant__programme_id", "on", "grant__currency_id")
        .annotate(amount=Sum("amount"))
    )
    return [
        *_flows(loans_committed, Stage.COMMITTED, gettext("Loans approved"), "programme_id", "currency_id"),
        *_flows(loans_spent, Stage.SPENT, gettext("Loans disbursed"), "programme_id", "currency_id"),
        *_flows(
            tranches_committed,
            Stage.COMMITTED,
            gettext("Grant tranches approved"),
            "grant__programme_id",
            "grant__currency_id",
        ),
        *_flows(
            tranches_spent, Stage.SPENT, gettext("Grant tranches paid"), "grant__programme_id", "grant__currency_id"
        ),
    ]
