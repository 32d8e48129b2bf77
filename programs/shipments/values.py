"""Keeping ``ShipmentValue`` current, and rebuilding it from scratch.

Every service that writes a shipment's items or receipt lines calls ``refresh_shipment_values`` in its transaction,
under the shipment's row lock the services already take: the shipment's rows are deleted and written again from its
items and lines (a packing list and its receipts, a few dozen rows), so they are exactly what the dashboard would
have summed from the items and lines themselves.

``rebuild`` recomputes every shipment's rows in a few set-based queries: the backfill, the bulk generator's last
step, and ``manage.py refresh_shipment_values`` for repairs after data was written around the services.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Sum

from programs.shipments.models import ReceiptLine, ShipmentItem, ShipmentValue
from programs.shipments.selectors._common import GOOD_VALUE, LINE_VALUE, NOT_GOOD_VALUE

BATCH = 2000


def computed_values(
    *,
    shipment_ids: Iterable[int] | None = None,
    item_model=ShipmentItem,
    line_model=ReceiptLine,
) -> dict[tuple[int, str], dict[str, Decimal | None]]:
    """Each (shipment id, currency code)'s value sent, received good and damaged or lost, summed from the items
    and receipt lines (of the shipments ``shipment_ids`` names, or of all)."""
    items = item_model.objects.order_by()
    lines = line_model.objects.order_by()
    if shipment_ids is not None:
        shipment_ids = list(shipment_ids)
        items = items.filter(shipment_id__in=shipment_ids)
        lines = lines.filter(receipt__shipment_id__in=shipment_ids)
    values: dict[tuple[int, str], dict[str, Decimal | None]] = {}
    sent = items.values("shipment_id", "currency_id").annotate(value=Sum(LINE_VALUE))
    for shipment_id, code, value in sent.values_list("shipment_id", "currency_id", "value"):
        values[(shipment_id, code)] = {"sent": value, "good": None, "not_good": None}
    counted = (
        lines.values("receipt__shipment_id", "item__currency_id")
        .annotate(good_value=Sum(GOOD_VALUE), not_good_value=Sum(NOT_GOOD_VALUE))
        .values_list("receipt__shipment_id", "item__currency_id", "good_value", "not_good_value")
    )
    for shipment_id, code, good, not_good in counted:
        row = values.setdefault((shipment_id, code), {"sent": Decimal(0), "good": None, "not_good": None})
        row["good"], row["not_good"] = good, not_good
    return values


def _write(value_model, values: dict) -> int:
    value_model.objects.bulk_create(
        (
            value_model(shipment_id=shipment_id, currency_id=code, **figures)
            for (shipment_id, code), figures in sorted(values.items())
        ),
        batch_size=BATCH,
    )
    return len(values)


def refresh_shipment_values(shipment_id: int) -> None:
    """Rewrite one shipment's values from its items and receipt lines. Call it in the transaction of the write
    that changed them, under the shipment's row lock: four statements whatever the number of shipments."""
    values = computed_values(shipment_ids=[shipment_id])
    ShipmentValue.objects.filter(shipment_id=shipment_id).delete()
    _write(ShipmentValue, values)


def rebuild(*, value_model=ShipmentValue, item_model=ShipmentItem, line_model=ReceiptLine) -> int:
    """Replace every shipment's values with ones computed from scratch; return how many rows were written.

    The models can be a migration's historical ones. Run it in a transaction (the command and the migration do):
    a dashboard read meanwhile sees the old values, never half of the new ones."""
    values = computed_values(item_model=item_model, line_model=line_model)
    value_model.objects.all().delete()
    return _write(value_model, values)
