"""The manager dashboard's shipment section."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from cooperation.reference.models import Country, Currency
from programs.shipments.models import DELIVERED, ON_THE_WAY, ReceiptLine, ShipmentItem, ShipmentStatus
from programs.shipments.selectors._common import GOOD_VALUE, LINE_VALUE, NOT_GOOD_VALUE, _money, _percent, _today
from programs.shipments.selectors.shipments import CurrencyAmount, _visible_shipments, delayed_condition

# --- the manager dashboard ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryAmount:
    country: Country
    currency: Currency
    amount: Decimal


@dataclass(frozen=True)
class DiscrepancyRate:
    """Damaged and lost ÷ sent, by value, over the shipments the consignees have counted (one currency)."""

    currency: Currency
    sent: Decimal
    not_good: Decimal

    @property
    def percent(self) -> Decimal:
        return _percent(self.not_good, self.sent)


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
        return _percent(self.on_time_count, self.arrived_count)


def shipment_dashboard(*, user, today: datetime.date | None = None) -> ShipmentDashboard:
    """The managers' numbers, aggregated in SQL: seven queries whatever the number of shipments."""
    today = _today(today)
    shipments = _visible_shipments(user)
    visible_ids = shipments.values("pk")

    counts = shipments.order_by().aggregate(
        **{f"status_{status.value}": Count("pk", filter=Q(status=status)) for status in ShipmentStatus},
        arrived_total=Count("pk", filter=Q(arrived_on__isnull=False)),
        on_time_total=Count("pk", filter=Q(arrived_on__isnull=False, arrived_on__lte=F("expected_arrival"))),
        delayed_total=Count("pk", filter=delayed_condition(today)),
    )
    in_transit_rows = list(
        ShipmentItem.objects.filter(shipment__in=visible_ids, shipment__status__in=ON_THE_WAY)
        .order_by()
        .values("currency_id")
        .annotate(value=Sum(LINE_VALUE))
    )
    delivered_rows = list(
        ReceiptLine.objects.filter(receipt__shipment__in=visible_ids)
        .order_by()
        .values("receipt__shipment__destination_country_id", "item__currency_id")
        .annotate(value=Sum(GOOD_VALUE))
    )
    sent_rows = list(
        ShipmentItem.objects.filter(shipment__in=visible_ids, shipment__status__in=DELIVERED)
        .order_by()
        .values("currency_id")
        .annotate(sent=Sum(LINE_VALUE))
    )
    not_good_rows = {
        row["item__currency_id"]: row["value"]
        for row in ReceiptLine.objects.filter(
            receipt__shipment__in=visible_ids, receipt__shipment__status__in=DELIVERED
        )
        .order_by()
        .values("item__currency_id")
        .annotate(value=Sum(NOT_GOOD_VALUE))
    }

    codes = {row["currency_id"] for row in in_transit_rows + sent_rows}
    codes |= {row["item__currency_id"] for row in delivered_rows}
    currencies = Currency.objects.in_bulk(list(codes)) if codes else {}
    country_ids = {row["receipt__shipment__destination_country_id"] for row in delivered_rows}
    countries = Country.objects.in_bulk(list(country_ids)) if country_ids else {}

    delivered = [
        CountryAmount(
            countries[row["receipt__shipment__destination_country_id"]],
            currencies[row["item__currency_id"]],
            _money(row["value"], currencies[row["item__currency_id"]]),
        )
        for row in delivered_rows
    ]
    delivered.sort(key=lambda entry: (entry.currency.code, -entry.amount, entry.country.name))
    return ShipmentDashboard(
        by_status={status.value: counts[f"status_{status.value}"] for status in ShipmentStatus},
        in_transit_count=sum(counts[f"status_{status.value}"] for status in ON_THE_WAY),
        in_transit_value=[
            CurrencyAmount(currencies[row["currency_id"]], _money(row["value"], currencies[row["currency_id"]]))
            for row in sorted(in_transit_rows, key=lambda row: row["currency_id"])
        ],
        delivered_by_country=delivered,
        discrepancy_rates=[
            DiscrepancyRate(
                currency=currencies[row["currency_id"]],
                sent=_money(row["sent"], currencies[row["currency_id"]]),
                not_good=_money(not_good_rows.get(row["currency_id"]), currencies[row["currency_id"]]),
            )
            for row in sorted(sent_rows, key=lambda row: row["currency_id"])
        ],
        arrived_count=counts["arrived_total"],
        on_time_count=counts["on_time_total"],
        delayed_count=counts["delayed_total"],
    )
