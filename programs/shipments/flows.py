"""The goods a programme sends, as money for budgets against actuals.

Goods are spent when they leave: the packing-list value (quantity × value per unit) on the dispatch date. A
manager's approval of the dispatch commits them: the value of the approved shipments not yet dispatched, on the
approval date. Summed in SQL per programme, date and currency from each shipment's values (``ShipmentValue``), so
the rows grow with days, not with items.
"""

from decimal import Decimal

from django.db.models import F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext

from cooperation.date_spans import DateSpan
from cooperation.money import quantize
from cooperation.money_flows import Category, Flow, Stage
from cooperation.reference.models import Currency
from programs.shipments.models import ShipmentStatus, ShipmentValue


def _rows(values, on, span: DateSpan | None) -> list[tuple]:
    """(programme id, currency, date, value) of the shipments' ``values``, summed per programme, currency and
    date (only the dates within ``span``, when given)."""
    return list(
        values.order_by()
        .annotate(on=on)
        .filter(Q() if span is None else span.within("on"))
        .values("shipment__programme_id", "currency_id", "on")
        .annotate(amount=Sum("sent"))
        .values_list("shipment__programme_id", "currency_id", "on", "amount")
    )


def money_flows(
    programme_ids: list[int] | None = None, *, currency: str | None = None, span: DateSpan | None = None
) -> list[Flow]:
    values = ShipmentValue.objects.all()
    if programme_ids is not None:
        values = values.filter(shipment__programme_id__in=programme_ids)
    if currency is not None:
        values = values.filter(currency_id=currency)
    dispatched = values.filter(shipment__dispatched_on__isnull=False)
    approved = values.filter(Q(shipment__status=ShipmentStatus.READY) & Q(shipment__dispatch_approved_at__isnull=False))
    stages = (
        (_rows(dispatched, F("shipment__dispatched_on"), span), Stage.SPENT, gettext("Goods dispatched")),
        (
            _rows(approved, TruncDate("shipment__dispatch_approved_at"), span),
            Stage.COMMITTED,
            gettext("Dispatch approved"),
        ),
    )
    codes = {code for rows, _stage, _source in stages for _programme, code, _on, _amount in rows}
    currencies = Currency.objects.in_bulk(list(codes)) if codes else {}
    return [
        Flow(
            programme_id,
            Category.IN_KIND.value,
            stage.value,
            on,
            code,
            quantize(Decimal(amount), currencies[code]),
            source,
        )
        for rows, stage, source in stages
        for programme_id, code, on, amount in rows
        if amount
    ]
