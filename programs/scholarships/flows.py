"""Stipends as money flows for budgets against actuals: approved tranches not yet paid are committed (on the day of
their approval), paid tranches are spent (on their payment date), both technical cooperation."""

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from cooperation.date_spans import DateSpan
from cooperation.money_flows import Category, Flow, Stage
from programs.scholarships.models import StipendTranche, TrancheStatus

PROGRAMME = "application__call__programme_id"


def _rows(tranches, day: str):
    return (
        tranches.order_by()
        .values(PROGRAMME, "currency__code", day)
        .annotate(total=Sum("amount"))
        .order_by(PROGRAMME, day, "currency__code")
    )


def money_flows(programme_ids, *, currency: str | None = None, span: DateSpan | None = None) -> list[Flow]:
    tranches = StipendTranche.objects.all()
    if programme_ids is not None:
        tranches = tranches.filter(**{f"{PROGRAMME}__in": list(programme_ids)})
    if currency is not None:
        tranches = tranches.filter(currency__code=currency)
    approved = tranches.filter(status=TrancheStatus.APPROVED, approved_at__isnull=False).annotate(
        approved_on=TruncDate("approved_at")
    )
    paid = tranches.filter(status=TrancheStatus.PAID, paid_on__isnull=False)
    if span is not None:
        approved, paid = approved.filter(span.within("approved_on")), paid.filter(span.within("paid_on"))
    flows = []
    for rows, stage, day, source in (
        (_rows(approved, "approved_on"), Stage.COMMITTED, "approved_on", _("Stipends approved")),
        (_rows(paid, "paid_on"), Stage.SPENT, "paid_on", _("Stipends paid")),
    ):
        flows.extend(
            Flow(
                programme_id=row[PROGRAMME],
                category=Category.TECHNICAL,
                stage=stage,
                on=row[day],
                currency=row["currency__code"],
                amount=row["total"],
                source=str(source),
            )
            for row in rows
        )
    return flows
