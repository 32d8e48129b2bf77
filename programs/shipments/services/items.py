"""The packing list (its items, and the shipment with its items saved in one go) and tracking events."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation import money_flows
from cooperation.access import require_perm
from cooperation.dates import check_date, date_error
from cooperation.money import amount_error, currency_problem
from cooperation.refusals import Refused, refuse
from cooperation.roles import Perm
from cooperation.workflow import as_decimal, clean_with, lock_for, only_fields, update_by
from programs.shipments.models import EventKind, Shipment, ShipmentItem, TrackingEvent
from programs.shipments.services._common import (
    CUSTOMS_KINDS,
    DECIMAL_ITEM_FIELDS,
    ITEM_FIELDS,
    SHIPMENT_MOVES,
    ShipmentRefusal,
)
from programs.shipments.services.shipments import shipment_create, shipment_update
from programs.shipments.values import refresh_shipment_values

# --- tracking events ----------------------------------------------------------------------------------------------


@transaction.atomic
def tracking_event_add(
    *, shipment: Shipment, added_by, kind: str, occurred_at: datetime.datetime | None = None, place="", note=""
) -> TrackingEvent:
    """An event on the way that does not change the status: customs entry, hold or release, or a note."""
    require_perm(added_by, Perm.ADD_TRACKING_EVENT)
    if kind not in EventKind.values or kind == EventKind.STATUS_CHANGE:
        raise refuse(
            ShipmentRefusal.WRONG_EVENT_KIND,
            _("Choose customs entry, customs hold, customs release or a note."),
            "kind",
        )
    if kind in CUSTOMS_KINDS:
        lock_for(shipment, SHIPMENT_MOVES, "customs")
    if occurred_at is not None:
        check_date(occurred_at, "occurred_at", past=True)
    if kind == EventKind.NOTE and not (note or "").strip():
        raise refuse(ShipmentRefusal.NOTE_REQUIRED, _("Write the note."), "note")
    event = TrackingEvent(
        shipment=shipment,
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        place=(place or "").strip(),
        note=(note or "").strip(),
        user=added_by,
    )
    event.full_clean()
    event.save()
    return event


# --- items (the packing list) -------------------------------------------------------------------------------------


def _validate_item(item: ShipmentItem) -> None:
    errors: dict[str, str] = {}
    if item.quantity is None:
        errors["quantity"] = _("Give the quantity.")
    elif item.quantity <= 0:
        errors["quantity"] = _("The quantity must be more than zero.")
    if item.unit_weight_kg is not None and item.unit_weight_kg < 0:
        errors["unit_weight_kg"] = _("The weight cannot be negative.")
    if item.unit_value is not None and item.unit_value < 0:
        errors["unit_value"] = _("The value cannot be negative.")
    currency = getattr(item, "currency", None) if item.currency_id else None
    if (problem := currency_problem(currency)) is not None:
        errors["currency"] = problem
    value_problem = amount_error(item.unit_value, currency, whole_minor_units=False)
    if "unit_value" not in errors and value_problem is not None:
        errors["unit_value"] = value_problem
    if (problem := date_error(item.expiry_date)) is not None:
        errors["expiry_date"] = problem.messages[0]
    clean_with(item, errors, validate_constraints=False)


def _item_values(data: dict) -> dict:
    values = dict(data)
    for field in DECIMAL_ITEM_FIELDS:
        if field in values:
            converted = as_decimal(values[field])
            if converted is None and values[field] not in (None, ""):
                raise refuse(Refused.NOT_A_NUMBER, _("Enter a number."), field)
            values[field] = converted
    return values


def _save_item(item: ShipmentItem, user, fields: list[str] | None = None) -> ShipmentItem:
    item._history_user = user
    item.save(update_fields=[*fields, "updated_at"] if fields else None)
    return item


@transaction.atomic
def item_add(
    *,
    shipment: Shipment,
    added_by,
    category,
    description,
    unit,
    quantity,
    currency,
    unit_weight_kg=Decimal(0),
    unit_value=Decimal(0),
    expiry_date=None,
    donor=None,
) -> ShipmentItem:
    require_perm(added_by, Perm.ADD_SHIPMENT_ITEM)
    lock_for(shipment, SHIPMENT_MOVES, "edit_items")
    values = _item_values(
        {
            "quantity": quantity,
            "unit_weight_kg": Decimal(0) if unit_weight_kg in (None, "") else unit_weight_kg,
            "unit_value": Decimal(0) if unit_value in (None, "") else unit_value,
        }
    )
    item = ShipmentItem(
        shipment=shipment,
        category=category,
        description=(description or "").strip(),
        unit=(unit or "").strip(),
        currency=currency,
        expiry_date=expiry_date,
        donor=donor,
        **values,
    )
    _validate_item(item)
    _save_item(item, added_by)
    refresh_shipment_values(shipment.pk)
    money_flows.changed(shipment.programme_id)
    return item


@transaction.atomic
def item_update(*, item: ShipmentItem, updated_by, **data) -> ShipmentItem:
    require_perm(updated_by, Perm.CHANGE_SHIPMENT_ITEM)
    only_fields("item_update", data, ITEM_FIELDS)
    lock_for(item.shipment, SHIPMENT_MOVES, "edit_items")
    item = update_by(item, updated_by, ITEM_FIELDS, _item_values(data), validate=_validate_item)
    refresh_shipment_values(item.shipment_id)
    money_flows.changed(item.shipment.programme_id)
    return item


@transaction.atomic
def item_remove(*, item: ShipmentItem, removed_by) -> None:
    require_perm(removed_by, Perm.CHANGE_SHIPMENT_ITEM)
    lock_for(item.shipment, SHIPMENT_MOVES, "edit_items")
    item._history_user = removed_by
    money_flows.changed(item.shipment.programme_id)
    item.delete()
    refresh_shipment_values(item.shipment_id)


class PackingListRefused(ValidationError):
    """What ``packing_list_save`` refused: the shipment's own error (or None) and each refused line's, by position."""

    def __init__(self, shipment_error: ValidationError | None, line_errors: dict[int, ValidationError]):
        self.shipment_error = shipment_error
        self.line_errors = line_errors
        super().__init__([*([shipment_error] if shipment_error else []), *line_errors.values()] or [""])


@dataclass(frozen=True)
class PackingListLine:
    """One row of the packing list form: a new item (``item`` None), a change to an item, or its removal."""

    item: ShipmentItem | None
    values: dict
    remove: bool = False


def _save_line(shipment: Shipment, user, line: PackingListLine) -> None:
    if line.item is None:
        item_add(shipment=shipment, added_by=user, **line.values)
    elif line.remove:
        item_remove(item=line.item, removed_by=user)
    elif line.values:
        item_update(item=line.item, updated_by=user, **line.values)


@transaction.atomic
def packing_list_save(
    *,
    saved_by,
    shipment: Shipment | None = None,
    values: dict,
    waybill: str | None = None,
    lines: list[PackingListLine] | None,
    risk_acknowledged: bool = False,
) -> Shipment:
    """Draft a shipment (``shipment`` None) or change a draft, and its packing list, in one transaction: all of
    it, or nothing when anything is refused.

    Every line is tried even after one is refused, so every error is known at once; ``lines`` None (rows that
    could not be read) checks the shipment alone and saves nothing. A rollback also returns a newly issued
    waybill number to the counter. A new shipment for a consignee with risk flags needs ``risk_acknowledged``
    (see ``shipment_create``)."""
    shipment_error, line_errors, saved = None, {}, None
    with transaction.atomic():
        try:
            if shipment is None:
                saved = shipment_create(
                    created_by=saved_by, waybill=waybill, risk_acknowledged=risk_acknowledged, **values
                )
            else:
                saved = shipment_update(shipment=shipment, updated_by=saved_by, **values)
        except ValidationError as error:
            shipment_error = error
        for index, line in enumerate(lines if saved is not None and lines is not None else []):
            try:
                _save_line(saved, saved_by, line)
            except ValidationError as error:
                line_errors[index] = error
        if shipment_error is not None or line_errors or lines is None:
            raise PackingListRefused(shipment_error, line_errors)
    return saved
