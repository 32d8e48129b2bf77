"""Goods sent against goods counted on receipt, per currency (by value) and per unit of measure (by quantity), over
the shipments the consignees have counted: what the dashboard's discrepancy rate and the discrepancy list add up.

Four grouped queries whatever the number of shipments; values are never added across currencies, nor quantities
across units.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, QuerySet, Sum

from cooperation.reference.models import Currency
from cooperation.roles import Perm
from programs.selectors import percent_of
from programs.shipments.models import DELIVERED, QUANTITY_DIGITS, ReceiptLine, Shipment, ShipmentItem
from programs.shipments.selectors._common import (
    DISCREPANCY,
    GOOD_VALUE,
    LINE_VALUE,
    MONEY,
    ZERO,
    _money,
)
from programs.shipments.selectors.shipments import _visible_shipments

DAMAGED_VALUE = ExpressionWrapper(F("damaged") * F("item__unit_value"), output_field=MONEY)
LOST_VALUE = ExpressionWrapper(F("lost") * F("item__unit_value"), output_field=MONEY)


@dataclass(frozen=True)
class DiscrepancyCurrency:
    """The goods in one currency, by value."""

    currency: Currency
    sent: Decimal = ZERO  # the packing lists' value
    received: Decimal = ZERO  # counted in good condition
    damaged: Decimal = ZERO
    lost: Decimal = ZERO  # short: sent, never counted as arrived
    discrepancy_lines: int = 0  # receipt lines with units damaged or lost
    shipments: int = 0  # counted shipments with goods in this currency
    shipments_with_discrepancy: int = 0

    @property
    def not_good(self) -> Decimal:
        return self.damaged + self.lost

    @property
    def rate(self) -> Decimal:
        """Damaged and lost in percent of what was sent, by value: the dashboard's discrepancy rate."""
        return percent_of(self.not_good, self.sent)


@dataclass(frozen=True)
class DiscrepancyUnit:
    """The goods counted in one unit of measure (carton, kg), by quantity."""

    unit: str
    sent: Decimal = ZERO
    received: Decimal = ZERO
    damaged: Decimal = ZERO
    lost: Decimal = ZERO
    discrepancy_lines: int = 0

    @property
    def rate(self) -> Decimal:
        return percent_of(self.damaged + self.lost, self.sent)


@dataclass(frozen=True)
class DiscrepancySummary:
    by_currency: list[DiscrepancyCurrency]
    by_unit: list[DiscrepancyUnit]


def _counted_shipments(user, shipments: QuerySet[Shipment] | None) -> QuerySet:
    """Ids of the received (or partly received) shipments ``user`` may see, of ``shipments`` when given."""
    if not user.has_perm(Perm.VIEW_RECEIPT):
        return Shipment.objects.none().values("pk")
    visible = _visible_shipments(user).filter(status__in=DELIVERED)
    if shipments is not None:
        visible = visible.filter(pk__in=shipments.values("pk"))
    return visible.order_by().values("pk")


QUANTITY_STEP = Decimal(1).scaleb(-QUANTITY_DIGITS["decimal_places"])


def _nonzero(values: dict) -> dict:
    return {key: ZERO if value is None else value for key, value in values.items()}


def _quantities(values: dict) -> dict:
    """Sums of quantities to the quantity's own decimals (SQLite hands back floats' digits)."""
    return {key: Decimal(value).quantize(QUANTITY_STEP) for key, value in _nonzero(values).items()}


def _named(row: dict) -> dict:
    """A grouped row's sums under the names they stand for (summed as ``sum_<name>``, so that no sum takes the name
    of the column it adds up: the database would read the sum where the column is meant)."""
    return {key.removeprefix("sum_"): value for key, value in row.items()}


def discrepancy_summary(*, user, shipments: QuerySet[Shipment] | None = None) -> DiscrepancySummary:
    """Sent, received in good condition, damaged and lost, per currency and per unit, over the shipments received
    that ``user`` may see (of ``shipments`` only, when given: a narrowed ``shipment_list``)."""
    counted = _counted_shipments(user, shipments)
    items = ShipmentItem.objects.filter(shipment__in=counted).order_by()
    lines = ReceiptLine.objects.filter(receipt__shipment__in=counted).order_by()
    quantity = DecimalField(max_digits=30, decimal_places=3)

    by_currency: dict[str, dict] = {}
    for row in items.values("currency_id", "currency__minor_unit").annotate(
        sum_sent=Sum(LINE_VALUE), sum_shipments=Count("shipment", distinct=True)
    ):
        code = row.pop("currency_id")
        by_currency[code] = _named(row)
    for row in lines.values("item__currency_id").annotate(
        sum_received=Sum(GOOD_VALUE),
        sum_damaged=Sum(DAMAGED_VALUE),
        sum_lost=Sum(LOST_VALUE),
        sum_discrepancy_lines=Count("pk", filter=DISCREPANCY),
        sum_shipments_with_discrepancy=Count("receipt__shipment", filter=DISCREPANCY, distinct=True),
    ):
        code = row.pop("item__currency_id")
        by_currency[code].update(_named(row))
    currencies = []
    for code in sorted(by_currency):
        values = _nonzero(by_currency[code])
        currency = Currency(code=code, minor_unit=values.pop("currency__minor_unit"))
        amounts = {key: _money(values.pop(key, ZERO), currency) for key in ("sent", "received", "damaged", "lost")}
        currencies.append(DiscrepancyCurrency(currency=currency, **amounts, **values))

    by_unit: dict[str, dict] = {}
    for row in items.values("unit").annotate(sum_sent=Sum("quantity", output_field=quantity)):
        unit = row.pop("unit")
        by_unit[unit] = _named(row)
    for row in lines.values("item__unit").annotate(
        sum_received=Sum("good", output_field=quantity),
        sum_damaged=Sum("damaged", output_field=quantity),
        sum_lost=Sum("lost", output_field=quantity),
        sum_discrepancy_lines=Count("pk", filter=DISCREPANCY),
    ):
        unit = row.pop("item__unit")
        by_unit[unit].update(_named(row))
    units = []
    for unit in sorted(by_unit):
        values = by_unit[unit]
        lines_count = values.pop("discrepancy_lines", 0)
        units.append(DiscrepancyUnit(unit=unit, discrepancy_lines=lines_count, **_quantities(values)))
    return DiscrepancySummary(currencies, units)
