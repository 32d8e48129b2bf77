"""The manager dashboard's shipment section."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from cooperation.date_spans import DateSpan
from cooperation.reference.models import Country, Currency
from programs.selectors import percent_of, today_or
from programs.shipments.models import DELIVERED, ON_THE_WAY, ShipmentStatus
from programs.shipments.selectors._common import ZERO, _money
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
    """The managers' numbers, aggregated in SQL: four queries whatever the number of shipments.

    The shipments are counted in one pass; their values (``ShipmentValue``, kept by the services from the items
    and receipt lines) are summed in a second by destination country and currency: on the way, sent on the
    delivered shipments, arrived in good condition and damaged or lost; the last two read the currencies and
    countries they name.

    ``programmes``, ``currency`` and ``period`` narrow the shipments as in ``narrowed_shipments``; with a
    ``currency`` the values count only the goods valued in it.
    """
    today = today_or(today)
    shipments = narrowed_shipments(_visible_shipments(user), programmes=programmes, currency=currency, period=period)
    counts = shipments.order_by().aggregate(
        **{f"status_{status.value}": Count("pk", filter=Q(status=status)) for status in ShipmentStatus},
        arrived_total=Count("pk", filter=Q(arrived_on__isnull=False)),
        on_time_total=Count("pk", filter=Q(arrived_on__isnull=False, arrived_on__lte=F("expected_arrival"))),
        delayed_total=Count("pk", filter=delayed_condition(today)),
    )
    # One join of the shipments to their values, every condition on it in one filter(): the value on the way and
    # sent counts the shipments on the way or delivered, what arrived any shipment's counted goods.
    valued = Q(currency_values__isnull=False) & (
        Q(status__in=(*ON_THE_WAY, *DELIVERED)) | Q(currency_values__good__isnull=False)
    )
    if currency is not None:
        valued &= Q(currency_values__currency_id=currency)
    # The currency narrows the join itself: the shipments with values in it are those carrying goods valued in it.
    valued_shipments = narrowed_shipments(_visible_shipments(user), programmes=programmes, period=period)
    rows = list(
        valued_shipments.filter(valued)
        .order_by()
        .values("destination_country_id", "currency_values__currency_id")
        .annotate(
            in_transit_value=Sum("currency_values__sent", filter=Q(status__in=ON_THE_WAY)),
            sent_value=Sum("currency_values__sent", filter=Q(status__in=DELIVERED)),
            good_value=Sum("currency_values__good"),
            not_good_value=Sum("currency_values__not_good", filter=Q(status__in=DELIVERED)),
        )
    )
    in_transit: dict[str, Decimal] = {}
    sent: dict[str, Decimal] = {}
    not_good: dict[str, Decimal] = {}
    for row in rows:
        code = row["currency_values__currency_id"]
        for totals, name in ((in_transit, "in_transit_value"), (sent, "sent_value"), (not_good, "not_good_value")):
            if row[name] is not None:
                totals[code] = totals.get(code, ZERO) + row[name]
    delivered_rows = [row for row in rows if row["good_value"] is not None]

    codes = {*in_transit, *sent, *(row["currency_values__currency_id"] for row in delivered_rows)}
    currencies = Currency.objects.in_bulk(list(codes)) if codes else {}
    country_ids = {row["destination_country_id"] for row in delivered_rows}
    countries = Country.objects.in_bulk(list(country_ids)) if country_ids else {}

    delivered = [
        CountryAmount(
            country=countries[row["destination_country_id"]],
            currency=currencies[row["currency_values__currency_id"]],
            amount=_money(row["good_value"], currencies[row["currency_values__currency_id"]]),
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
