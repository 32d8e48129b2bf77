"""The manager dashboard's shipment section."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from cooperation.date_spans import DateSpan
from cooperation.reference.models import Country, Currency
from programs.selectors import percent_of, today_or
from programs.shipments.models import DELIVERED, ON_THE_WAY, ReceiptLine, ShipmentItem, ShipmentStatus
from programs.shipments.selectors._common import GOOD_VALUE, LINE_VALUE, NOT_GOOD_VALUE, ZERO, _money
from programs.shipments.selectors.shipments import (
    CurrencyAmount,
    _visible_shipments,
    delayed_condition,
    narrowed_shipments,
)

# --- the manager dashboard ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryAmount(CurrencyAmount):
    """The value delivered to one destination country, in one currency."""

    country: Country


@dataclass(frozen=True)
class DiscrepancyRate:
    """Damaged and lost ÷ sent, by value, over the shipments the consignees have counted (one currency)."""

    currency: Currency
    sent: Decimal
    not_good: Decimal

    @property
    def percent(self) -> Decimal:
        return percent_of(self.not_good, self.sent)


@dataclass(frozen=True)
class ShipmentDashboard:
    by_status: dict[str, int]
    in_transit_count: int
    in_transit_value: list[CurrencyAmount]
    delivered_by_country: list[CountryAmount]
    discrepancy_rates: list[DiscrepancyRate]
    arrived_count: int
    on_time_count: int
    delayed_count: int

    @property
    def on_time_rate(self) -> Decimal:
        """Arrivals on or before the expected arrival, in percent of all arrivals."""
        return percent_of(self.on_time_count, self.arrived_count)


def shipment_dashboard(
    *,
    user,
    today: datetime.date | None = None,
    programmes: QuerySet | None = None,
    currency: str | None = None,
    period: DateSpan | None = None,
) -> ShipmentDashboard:
    """The managers' numbers, aggregated in SQL: five queries whatever the number of shipments.

    The shipments are counted in one pass, the items in a second (their value on the way and the value sent on the
    delivered shipments) and the receipt lines in a third (what arrived good by destination country, and what was
    damaged or lost on the delivered shipments); the last two read the currencies and countries they name.

    ``programmes``, ``currency`` and ``period`` narrow the shipments as in ``narrowed_shipments``; with a
    ``currency`` the values count only the goods valued in it.
    """
    today = today_or(today)
    shipments = narrowed_shipments(_visible_shipments(user), programmes=programmes, currency=currency, period=period)
    items = ShipmentItem.objects.filter(shipment__status__in=(*ON_THE_WAY, *DELIVERED))
    lines = ReceiptLine.objects.all()
    if shipments.query.has_filters():  # who sees everything needs no list of the shipments they see
        visible_ids = shipments.values("pk")
        items = items.filter(shipment__in=visible_ids)
        lines = lines.filter(receipt__shipment__in=visible_ids)
    if currency is not None:
        items = items.filter(currency_id=currency)
        lines = lines.filter(item__currency_id=currency)

    counts = shipments.order_by().aggregate(
        **{f"status_{status.value}": Count("pk", filter=Q(status=status)) for status in ShipmentStatus},
        arrived_total=Count("pk", filter=Q(arrived_on__isnull=False)),
        on_time_total=Count("pk", filter=Q(arrived_on__isnull=False, arrived_on__lte=F("expected_arrival"))),
        delayed_total=Count("pk", filter=delayed_condition(today)),
    )
    item_rows = list(
        items.order_by()
        .values("currency_id")
        .annotate(
            in_transit=Sum(LINE_VALUE, filter=Q(shipment__status__in=ON_THE_WAY)),
            sent=Sum(LINE_VALUE, filter=Q(shipment__status__in=DELIVERED)),
        )
    )
    in_transit = {row["currency_id"]: row["in_transit"] for row in item_rows if row["in_transit"] is not None}
    sent = {row["currency_id"]: row["sent"] for row in item_rows if row["sent"] is not None}
    delivered_rows = list(
        lines.order_by()
        .values("receipt__shipment__destination_country_id", "item__currency_id")
        .annotate(
            value=Sum(GOOD_VALUE),
            not_good=Sum(NOT_GOOD_VALUE, filter=Q(receipt__shipment__status__in=DELIVERED)),
        )
    )
    not_good: dict[str, Decimal] = {}
    for row in delivered_rows:
        if row["not_good"] is not None:
            code = row["item__currency_id"]
            not_good[code] = not_good.get(code, ZERO) + row["not_good"]

    codes = {*in_transit, *sent, *(row["item__currency_id"] for row in delivered_rows)}
    currencies = Currency.objects.in_bulk(list(codes)) if codes else {}
    country_ids = {row["receipt__shipment__destination_country_id"] for row in delivered_rows}
    countries = Country.objects.in_bulk(list(country_ids)) if country_ids else {}

    delivered = [
        CountryAmount(
            country=countries[row["receipt__shipment__destination_country_id"]],
            currency=currencies[row["item__currency_id"]],
            amount=_money(row["value"], currencies[row["item__currency_id"]]),
        )
        for row in delivered_rows
    ]
    delivered.sort(key=lambda entry: (entry.currency.code, -entry.amount, entry.country.name))
    return ShipmentDashboard(
        by_status={status.value: counts[f"status_{status.value}"] for status in ShipmentStatus},
        in_transit_count=sum(counts[f"status_{status.value}"] for status in ON_THE_WAY),
        in_transit_value=[
            CurrencyAmount(currencies[code], _money(value, currencies[code]))
            for code, value in sorted(in_transit.items())
        ],
        delivered_by_country=delivered,
        discrepancy_rates=[
            DiscrepancyRate(
                currencies[code], _money(value, currencies[code]), _money(not_good.get(code), currencies[code])
            )
            for code, value in sorted(sent.items())
        ],
        arrived_count=counts["arrived_total"],
        on_time_count=counts["on_time_total"],
        delayed_count=counts["delayed_total"],
    )
