"""A programme's and a partner's shipments at a glance, for their pages and the partner portal's home.

Every figure is aggregated in SQL over the shipments the user may see: a hub costs the same number of queries
for ten shipments as for ten thousand. Values stay per currency, never summed across them.
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Sum

from cooperation.reference.models import Currency
from programs.shipments.models import ReceiptLine, ShipmentItem, ShipmentStatus
from programs.shipments.selectors._common import DISCREPANCY, LINE_VALUE, _money
from programs.shipments.selectors.shipments import CurrencyAmount, _visible_shipments


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class ShipmentFigures:
    """Shipments by status (only the statuses some shipment is in), how many of them have damaged or lost goods on
    a receipt, and (where asked) the value of the goods dispatched per currency and the number of items."""

    total: int = 0
    by_status: list[StatusCount] = field(default_factory=list)
    with_discrepancies: int = 0
    dispatched_values: list[CurrencyAmount] = field(default_factory=list)
    item_count: int = 0


def _discrepant_shipments() -> Exists:
    """Whether the outer shipment has damaged or lost goods on a receipt: read through that shipment's receipts,
    never through every discrepancy on record."""
    return Exists(ReceiptLine.objects.filter(DISCREPANCY, receipt__shipment=OuterRef("pk")))


def _counts(shipments, **groups: Q) -> dict:
    """How many of ``shipments`` each group (a name and its condition) holds per status (``<group>_<status>``) and
    with discrepancies (``<group>_discrepant``): one query grouped by status, group and discrepancy, counted here
    (a few dozen rows however many shipments)."""
    flags = {name: ExpressionWrapper(condition, output_field=BooleanField()) for name, condition in groups.items()}
    rows = (
        shipments.order_by()
        .annotate(**flags, discrepant=_discrepant_shipments())
        .values_list("status", *groups, "discrepant")
        .annotate(count=Count("pk"))
    )
    counts = {f"{name}_{key}": 0 for name in groups for key in [*ShipmentStatus.values, "discrepant"]}
    for status, *flagged, discrepant, count in rows:
        for name, member in zip(groups, flagged, strict=True):
            if member:
                counts[f"{name}_{status}"] += count
                counts[f"{name}_discrepant"] += count if discrepant else 0
    return counts


def _figures(counts: dict, prefix: str, **extra) -> ShipmentFigures:
    by_status = [
        StatusCount(status.value, str(status.label), counts[f"{prefix}_{status.value}"])
        for status in ShipmentStatus
        if counts[f"{prefix}_{status.value}"]
    ]
    return ShipmentFigures(
        total=sum(entry.count for entry in by_status),
        by_status=by_status,
        with_discrepancies=counts[f"{prefix}_discrepant"],
        **extra,
    )


def programme_shipment_figures(*, user, programme) -> ShipmentFigures:
    """The programme's shipments that ``user`` may see: by status, with discrepancies, the goods dispatched per
    currency (their packing-list value) and the items on their packing lists. Three queries, one without shipments."""
    shipments = _visible_shipments(user).filter(programme=programme)
    counts = _counts(shipments, all=Q(pk__isnull=False))
    if not any(counts.values()):
        return _figures(counts, "all")  # no shipment: no goods either, and no query for them
    rows = list(
        ShipmentItem.objects.filter(shipment__in=shipments.values("pk"))
        .order_by()
        .values("currency_id")
        .annotate(value=Sum(LINE_VALUE, filter=Q(shipment__dispatched_on__isnull=False)), items=Count("pk"))
    )
    dispatched = [row for row in rows if row["value"] is not None]
    currencies = Currency.objects.in_bulk([row["currency_id"] for row in dispatched]) if dispatched else {}
    values = [
        CurrencyAmount(currencies[row["currency_id"]], _money(row["value"], currencies[row["currency_id"]]))
        for row in sorted(dispatched, key=lambda row: row["currency_id"])
    ]
    return _figures(counts, "all", dispatched_values=values, item_count=sum(row["items"] for row in rows))


@dataclass(frozen=True)
class PartnerShipments:
    sent: ShipmentFigures  # as the donor or the consignor
    received: ShipmentFigures  # as the consignee


def partner_shipment_figures(*, user, organisation_ids) -> PartnerShipments:
    """The shipments ``user`` may see that the organisations (``organisation_ids``) sent, as donor or consignor,
    and that they receive, as consignee: by status and with discrepancies, in one query."""
    shipments = _visible_shipments(user)
    sent = Q(donor_id__in=organisation_ids) | Q(consignor_id__in=organisation_ids)
    received = Q(consignee_id__in=organisation_ids)
    counts = _counts(shipments.filter(sent | received), sent=sent, received=received)
    return PartnerShipments(_figures(counts, "sent"), _figures(counts, "received"))
