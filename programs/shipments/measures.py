"""The figures of in-kind cooperation an indicator can be computed from (registered in apps.py): the goods the
consignees of a programme's shipments received in good condition over a span, counted or valued."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.urls import reverse

from cooperation.measures import MeasuredValue
from programs.shipments.models import ReceiptLine

VALUE = ExpressionWrapper(F("good") * F("item__unit_value"), output_field=DecimalField(max_digits=40, decimal_places=8))


def goods_received(indicator, starts_on: datetime.date, ends_on: datetime.date) -> MeasuredValue:
    """The quantity received in good condition on the programme's shipments in the span (a number indicator), or
    its value in the indicator's currency, counting only the items valued in that currency (a money indicator)."""
    lines = ReceiptLine.objects.filter(
        receipt__shipment__programme_id=indicator.result.programme_id,
        receipt__received_on__gte=starts_on,
        receipt__received_on__lte=ends_on,
    )
    if indicator.unit == "money":
        total = lines.filter(item__currency_id=indicator.currency_id).aggregate(total=Sum(VALUE))["total"]
    else:
        total = lines.aggregate(total=Sum("good"))["total"]
    records = f"{reverse('shipments:list')}?{urlencode({'programme': indicator.result.programme_id})}"
    return MeasuredValue(Decimal(total or 0), {}, records)
