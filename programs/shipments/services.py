"""Every write to shipments, their packing lists, tracking events and receipts.

Each business action is one function: keyword-only arguments, the acting user, a named permission,
validation before anything is saved, one transaction. The statuses a move may start from are declared
once, in ``SHIPMENT_MOVES``; ``_lock_for`` reloads the shipment under a row lock and refuses any other
move with a message that names the current status. Every status change writes a tracking event.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import require_perm
from cooperation.dates import DateOutOfRange, add_days, check_date, computed_date_message, date_error
from cooperation.models import assign_fields
from cooperation.money import amount_error
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.models import Participation
from programs.shipments import waybills
from programs.shipments.models import (
    QUANTITY_DIGITS,
    EventKind,
    Receipt,
    ReceiptLine,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    TrackingEvent,
)

SHIPMENT_FIELDS = (
    "programme",
    "donor",
    "consignor",
    "consignee",
    "consignee_contact",
    "origin_country",
    "origin_place",
    "destination_country",
    "destination_place",
    "mode",
    "carrier",
    "transport_reference",
    "planned_dispatch",
    "expected_arrival",
    "notes",
)
ITEM_FIELDS = (
    "category",
    "description",
    "unit",
    "quantity",
    "unit_weight_kg",
    "unit_value",
    "currency",
    "expiry_date",
    "donor",
)
DECIMAL_ITEM_FIELDS = ("quantity", "unit_weight_kg", "unit_value")
RECEIPT_QUANTITIES = ("good", "damaged", "lost")
LARGEST_QUANTITY = Decimal(10) ** (QUANTITY_DIGITS["max_digits"] - QUANTITY_DIGITS["decimal_places"])
CUSTOMS_KINDS = (EventKind.CUSTOMS_ENTRY, EventKind.CUSTOMS_HOLD, EventKind.CUSTOMS_RELEASE)

S = ShipmentStatus
SHIPMENT_MOVES = {
    "update": ({S.DRAFT}, gettext_lazy("A shipment can be edited only while it is a draft; this one is %s.")),
    "edit_items": (
        {S.DRAFT},
        gettext_lazy(
            "The packing list is locked once the shipment is ready: items can be edited only on a draft; "
            "this shipment is %s."
        ),
    ),
    "mark_ready": ({S.DRAFT}, gettext_lazy("Only a draft can be marked ready; this shipment is %s.")),
    "reopen": ({S.READY}, gettext_lazy("Only a shipment that is ready can go back to draft; this one is %s.")),
    "approve_dispatch": (
        {S.READY},
        gettext_lazy("Dispatch can be approved only when the packing list is ready; this shipment is %s."),
    ),
    "dispatch": ({S.READY}, gettext_lazy("Only a shipment that is ready can be dispatched; this one is %s.")),
    "mark_in_transit": (
        {S.DISPATCHED},
        gettext_lazy("Only a dispatched shipment can be marked in transit; this one is %s."),
    ),
    "arrive": (
        {S.DISPATCHED, S.IN_TRANSIT},
        gettext_lazy("Only a dispatched shipment or one in transit can arrive; this one is %s."),
    ),
    "receive": (
        {S.DISPATCHED, S.IN_TRANSIT, S.ARRIVED, S.PARTIALLY_RECEIVED},
        gettext_lazy(
            "Receipt can be confirmed only once the shipment is dispatched and not fully received; this one is %s."
        ),
    ),
    "reschedule": (
        {S.READY, S.DISPATCHED, S.IN_TRANSIT},
        gettext_lazy("The expected arrival can be changed only before arrival; this shipment is %s."),
    ),
    "cancel": ({S.DRAFT, S.READY}, gettext_lazy("A shipment can be cancelled only before dispatch; this one is %s.")),
    "mark_lost": (
        {S.DISPATCHED, S.IN_TRANSIT},
        gettext_lazy("Only a shipment on its way can be declared lost; this one is %s."),
    ),
    "customs": (
        {S.DISPATCHED, S.IN_TRANSIT, S.ARRIVED},
        gettext_lazy("Customs events are recorded between dispatch and arrival; this shipment is %s."),
    ),
}


# --- errors and small helpers -------------------------------------------------------------------------------------


def _refuse(message, field: str = NON_FIELD_ERRORS) -> ValidationError:
    return ValidationError({field: message})


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _refuse(_("Give a reason."), field)
    return reason


def _as_decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def _date_text(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _check_date(value, field: str, *, not_before: datetime.date | None = None, before_message=None) -> None:
    """The date of something that happened: given, within the bounds, not after today, not before ``not_before``."""
    if value is None:
        raise _refuse(_("Give the date."), field)
    check_date(value, field, past=True)
    if not_before is not None and value < not_before:
        raise _refuse(str(before_message) % {"date": _date_text(not_before)}, field)


def _moment(day: datetime.date) -> datetime.datetime:
    """When a dated event happened: now if it was today, else midday of that day (the hour is not known)."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _lock_for(shipment: Shipment, move: str) -> None:
    """Reload ``shipment`` under a row lock and refuse ``move`` unless its current status allows it."""
    shipment.refresh_from_db(from_queryset=Shipment.objects.select_for_update())
    allowed, message = SHIPMENT_MOVES[move]
    if shipment.status not in allowed:
        raise _refuse(str(message) % shipment.get_status_display())


def _save(shipment: Shipment, user, fields: list[str]) -> Shipment:
    shipment._history_user = user
    shipment.save(update_fields=[*fields, "updated_at"])
    return shipment


def _event(shipment: Shipment, user, kind: str, *, occurred_at=None, place="", note="") -> TrackingEvent:
    return TrackingEvent.objects.create(
        shipment=shipment,
        kind=kind,
        status_after=shipment.status if kind == EventKind.STATUS_CHANGE else "",
        occurred_at=occurred_at or timezone.now(),
        place=place or "",
        note=note or "",
        user=user,
    )


def _change_status(shipment: Shipment, user, status: str, fields=(), *, occurred_at=None, place="", note=""):
    """Move to ``status`` (with the other ``fields`` already set) and write the status-change event."""
    shipment.status = status
    _save(shipment, user, ["status", *fields])
    _event(shipment, user, EventKind.STATUS_CHANGE, occurred_at=occurred_at, place=place, note=note)
    return shipment


# --- shipments ----------------------------------------------------------------------------------------------------


def _validate_shipment(shipment: Shipment) -> None:
    values = {}
    for field in SHIPMENT_FIELDS:
        try:
            values[field] = getattr(shipment, field)
        except ObjectDoesNotExist:  # a required relation not set yet: full_clean reports it
            values[field] = None
    errors: dict[str, str] = {}
    programme, consignee, contact = values["programme"], values["consignee"], values["consignee_contact"]
    if programme is not None and not programme.is_in_kind:
        errors["programme"] = _("This programme does not include in-kind cooperation; shipments need one that does.")
    if consignee is not None and not consignee.is_active:
        errors["consignee"] = _("This partner is no longer active.")
    elif (
        programme is not None
        and consignee is not None
        and not Participation.objects.filter(programme=programme, organisation=consignee).exists()
    ):
        errors["consignee"] = _("%(partner)s does not take part in this programme.") % {"partner": consignee}
    if values["consignor"] is not None and consignee is not None and values["consignor"].pk == consignee.pk:
        errors["consignor"] = _("The consignor cannot be the consignee.")
    if contact is not None and consignee is not None and contact.organisation_id != consignee.pk:
        errors["consignee_contact"] = _("Choose a contact of the consignee.")
    planned, expected = values["planned_dispatch"], values["expected_arrival"]
    if planned is not None and expected is not None and expected < planned:
        errors["expected_arrival"] = _("The expected arrival cannot be before the planned dispatch.")
    try:
        shipment.full_clean(exclude=["waybill", *errors], validate_constraints=False)
    except ValidationError as error:
        error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _take_waybill(shipment: Shipment, waybill: str | None) -> None:
    """Give ``shipment`` its waybill: the next number, or one typed in (from a paper book) never used before."""
    if not waybill:
        shipment.waybill = waybills.next_waybill()
        return
    waybill = waybill.strip().upper()
    if len(waybill) > Shipment._meta.get_field("waybill").max_length:
        raise _refuse(_("A waybill number has at most 20 characters."), "waybill")
    if waybills.waybill_ever_used(waybill):
        raise _refuse(
            _("Waybill %(waybill)s has already been used; a waybill number is never reused.") % {"waybill": waybill},
            "waybill",
        )
    shipment.waybill = waybill


@transaction.atomic
def shipment_create(
    *,
    created_by,
    programme,
    donor,
    consignor,
    consignee,
    consignee_contact=None,
    origin_country,
    origin_place,
    destination_country,
    destination_place,
    mode,
    carrier="",
    transport_reference="",
    planned_dispatch,
    expected_arrival,
    notes="",
    waybill: str | None = None,
) -> Shipment:
    """Draft a shipment under a fresh waybill number; items are added to its packing list next."""
    require_perm(created_by, Perm.ADD_SHIPMENT)
    shipment = Shipment(
        programme=programme,
        donor=donor,
        consignor=consignor,
        consignee=consignee,
        consignee_contact=consignee_contact,
        origin_country=origin_country,
        origin_place=origin_place or "",
        destination_country=destination_country,
        destination_place=destination_place or "",
        mode=mode,
        carrier=carrier or "",
        transport_reference=transport_reference or "",
        planned_dispatch=planned_dispatch,
        expected_arrival=expected_arrival,
        notes=notes or "",
        status=ShipmentStatus.DRAFT,
        created_by=created_by,
    )
    _validate_shipment(shipment)
    _take_waybill(shipment, waybill)
    shipment._history_user = created_by
    try:
        with transaction.atomic():
            shipment.save()
    except IntegrityError:
        # Only a waybill typed in at the same moment by someone else can collide here.
        raise _refuse(
            _("Waybill %(waybill)s has already been used; a waybill number is never reused.")
            % {"waybill": shipment.waybill},
            "waybill",
        ) from None
    _event(shipment, created_by, EventKind.STATUS_CHANGE, place=shipment.origin_place)
    return shipment


@transaction.atomic
def shipment_update(*, shipment: Shipment, updated_by, **data) -> Shipment:
    """Change a draft's parties, route or dates; only the fields given change (the waybill never does)."""
    require_perm(updated_by, Perm.CHANGE_SHIPMENT)
    unknown = set(data) - set(SHIPMENT_FIELDS)
    if unknown:
        raise TypeError(f"shipment_update() got unexpected fields: {', '.join(sorted(unknown))}")
    _lock_for(shipment, "update")
    changed = assign_fields(shipment, SHIPMENT_FIELDS, data)
    if not changed:
        return shipment
    _validate_shipment(shipment)
    return _save(shipment, updated_by, changed)


@transaction.atomic
def shipment_mark_ready(*, shipment: Shipment, prepared_by) -> Shipment:
    """Lock the packing list; the one who does it prepared it, and cannot also approve the dispatch."""
    require_perm(prepared_by, Perm.CHANGE_SHIPMENT)
    _lock_for(shipment, "mark_ready")
    if not shipment.items.exists():
        raise _refuse(_("Add at least one item to the packing list before it is marked ready."))
    _validate_shipment(shipment)  # the programme or the consignee may have changed since drafting
    shipment.prepared_by = prepared_by
    shipment.status_note = ""
    return _change_status(shipment, prepared_by, ShipmentStatus.READY, ["prepared_by", "status_note"])


@transaction.atomic
def shipment_reopen(*, shipment: Shipment, reopened_by, reason: str) -> Shipment:
    """Unlock the packing list for corrections; any approval of the dispatch is withdrawn with it."""
    require_perm(reopened_by, Perm.CHANGE_SHIPMENT)
    reason = _require_reason(reason)
    _lock_for(shipment, "reopen")
    shipment.prepared_by = None
    shipment.dispatch_approved_by = None
    shipment.dispatch_approved_at = None
    shipment.status_note = reason
    return _change_status(
        shipment,
        reopened_by,
        ShipmentStatus.DRAFT,
        ["prepared_by", "dispatch_approved_by", "dispatch_approved_at", "status_note"],
        note=reason,
    )


def _refuse_expired(shipment: Shipment, on: datetime.date) -> None:
    from programs.shipments.selectors import expired_items

    expired = list(expired_items(shipment=shipment, on=on))
    if expired:
        raise _refuse(
            _("Expired items cannot be dispatched: %(items)s.")
            % {"items": "; ".join(f"{item.description} ({_date_text(item.expiry_date)})" for item in expired)}
        )


@transaction.atomic
def shipment_approve_dispatch(*, shipment: Shipment, approved_by) -> Shipment:
    """A manager releases the packing list for dispatch (maker–checker: not whoever prepared it).

    Items already expired on the planned dispatch date block the approval; items expiring soon are
    only warnings (``selectors.expiry_warnings``) that the manager sees before approving.
    """
    require_perm(approved_by, Perm.APPROVE_DISPATCH)
    _lock_for(shipment, "approve_dispatch")
    if shipment.prepared_by_id == approved_by.pk:
        raise _refuse(_("You prepared this packing list, so another manager must approve its dispatch."))
    if shipment.dispatch_approved_by_id is not None:
        raise _refuse(_("The dispatch of this shipment is already approved."))
    _refuse_expired(shipment, max(shipment.planned_dispatch, timezone.localdate()))
    shipment.dispatch_approved_by = approved_by
    shipment.dispatch_approved_at = timezone.now()
    _save(shipment, approved_by, ["dispatch_approved_by", "dispatch_approved_at"])
    _event(shipment, approved_by, EventKind.NOTE, note=_("Dispatch approved."))
    return shipment


@transaction.atomic
def shipment_dispatch(
    *,
    shipment: Shipment,
    dispatched_by,
    dispatched_on: datetime.date,
    carrier: str | None = None,
    transport_reference: str | None = None,
    note: str = "",
) -> Shipment:
    """The goods left: record the date (and the carrier's reference, often known only now); tell the consignee
    (outbox rows written with the dispatch)."""
    from programs.shipments import reminders

    require_perm(dispatched_by, Perm.CHANGE_SHIPMENT)
    _lock_for(shipment, "dispatch")
    if shipment.dispatch_approved_by_id is None:
        raise _refuse(_("A manager must approve the dispatch first."))
    _check_date(dispatched_on, "dispatched_on")
    if not shipment.items.exists():
        raise _refuse(_("A shipment without items cannot be dispatched."))
    _refuse_expired(shipment, dispatched_on)
    fields = ["dispatched_on"]
    shipment.dispatched_on = dispatched_on
    if dispatched_on > shipment.expected_arrival:
        # Leaving later than the planned arrival: the expected arrival moves with it (the planned dates stay).
        journey = shipment.expected_arrival - shipment.planned_dispatch
        try:
            expected = add_days(dispatched_on, journey.days)
        except DateOutOfRange:
            expected = None
        if expected is None or date_error(expected) is not None:
            raise _refuse(computed_date_message(), "dispatched_on")
        shipment.expected_arrival = expected
        fields.append("expected_arrival")
    for field, value in (("carrier", carrier), ("transport_reference", transport_reference)):
        if value is not None:
            setattr(shipment, field, value.strip())
            fields.append(field)
    shipment.full_clean(validate_constraints=False)
    _change_status(
        shipment,
        dispatched_by,
        ShipmentStatus.DISPATCHED,
        fields,
        occurred_at=_moment(dispatched_on),
        place=shipment.origin_place,
        note=note,
    )
    reminders.write_dispatch_notice(shipment)
    return shipment


@transaction.atomic
def shipment_mark_in_transit(*, shipment: Shipment, updated_by, place: str = "", note: str = "") -> Shipment:
    require_perm(updated_by, Perm.CHANGE_SHIPMENT)
    _lock_for(shipment, "mark_in_transit")
    return _change_status(shipment, updated_by, ShipmentStatus.IN_TRANSIT, place=place, note=note)


@transaction.atomic
def shipment_arrive(*, shipment: Shipment, updated_by, arrived_on: datetime.date, note: str = "") -> Shipment:
    """The goods reached the destination; the consignee then confirms what they received."""
    require_perm(updated_by, Perm.CHANGE_SHIPMENT)
    _lock_for(shipment, "arrive")
    _check_date(
        arrived_on,
        "arrived_on",
        not_before=shipment.dispatched_on,
        before_message=gettext_lazy("The arrival cannot be before the dispatch (%(date)s)."),
    )
    shipment.arrived_on = arrived_on
    return _change_status(
        shipment,
        updated_by,
        ShipmentStatus.ARRIVED,
        ["arrived_on"],
        occurred_at=_moment(arrived_on),
        place=shipment.destination_place,
        note=note,
    )


@transaction.atomic
def shipment_reschedule(*, shipment: Shipment, updated_by, expected_arrival: datetime.date, note: str = "") -> Shipment:
    """A new expected arrival (the carrier's new estimate); if it passes too, that is a new delay to alert."""
    require_perm(updated_by, Perm.CHANGE_SHIPMENT)
    _lock_for(shipment, "reschedule")
    if expected_arrival is None:
        raise _refuse(_("Give the date."), "expected_arrival")
    check_date(expected_arrival, "expected_arrival")
    earliest = max(filter(None, [shipment.planned_dispatch, shipment.dispatched_on]))
    if expected_arrival < earliest:
        raise _refuse(
            _("The expected arrival cannot be before %(date)s.") % {"date": _date_text(earliest)}, "expected_arrival"
        )
    previous = shipment.expected_arrival
    if expected_arrival == previous:
        return shipment
    shipment.expected_arrival = expected_arrival
    _save(shipment, updated_by, ["expected_arrival"])
    summary = _("Expected arrival moved from %(old)s to %(new)s.") % {
        "old": _date_text(previous),
        "new": _date_text(expected_arrival),
    }
    _event(shipment, updated_by, EventKind.NOTE, note=f"{summary} {note}".strip())
    return shipment


@transaction.atomic
def shipment_cancel(*, shipment: Shipment, cancelled_by, reason: str) -> Shipment:
    require_perm(cancelled_by, Perm.CHANGE_SHIPMENT)
    reason = _require_reason(reason)
    _lock_for(shipment, "cancel")
    shipment.status_note = reason
    return _change_status(shipment, cancelled_by, ShipmentStatus.CANCELLED, ["status_note"], note=reason)


@transaction.atomic
def shipment_mark_lost(*, shipment: Shipment, updated_by, reason: str, place: str = "") -> Shipment:
    """The whole consignment is lost on the way (seized, sunk, looted); losses found on arrival go on a receipt."""
    require_perm(updated_by, Perm.CHANGE_SHIPMENT)
    reason = _require_reason(reason)
    _lock_for(shipment, "mark_lost")
    shipment.status_note = reason
    return _change_status(shipment, updated_by, ShipmentStatus.LOST, ["status_note"], place=place, note=reason)


# --- tracking events ----------------------------------------------------------------------------------------------


@transaction.atomic
def tracking_event_add(
    *, shipment: Shipment, added_by, kind: str, occurred_at: datetime.datetime | None = None, place="", note=""
) -> TrackingEvent:
    """An event on the way that does not change the status: customs entry, hold or release, or a note."""
    require_perm(added_by, Perm.ADD_TRACKING_EVENT)
    if kind not in EventKind.values or kind == EventKind.STATUS_CHANGE:
        raise _refuse(_("Choose customs entry, customs hold, customs release or a note."), "kind")
    if kind in CUSTOMS_KINDS:
        _lock_for(shipment, "customs")
    if occurred_at is not None:
        check_date(occurred_at, "occurred_at", past=True)
    if kind == EventKind.NOTE and not (note or "").strip():
        raise _refuse(_("Write the note."), "note")
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
    if currency is not None and not currency.is_active:
        errors["currency"] = _("This currency is no longer in use.")
    value_problem = amount_error(item.unit_value, currency, whole_minor_units=False)
    if "unit_value" not in errors and value_problem is not None:
        errors["unit_value"] = value_problem
    if (problem := date_error(item.expiry_date)) is not None:
        errors["expiry_date"] = problem.messages[0]
    try:
        item.full_clean(exclude=list(errors), validate_constraints=False)
    except ValidationError as error:
        error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _item_values(data: dict) -> dict:
    values = dict(data)
    for field in DECIMAL_ITEM_FIELDS:
        if field in values:
            converted = _as_decimal(values[field])
            if converted is None and values[field] not in (None, ""):
                raise _refuse(_("Enter a number."), field)
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
    _lock_for(shipment, "edit_items")
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
    return _save_item(item, added_by)


@transaction.atomic
def item_update(*, item: ShipmentItem, updated_by, **data) -> ShipmentItem:
    require_perm(updated_by, Perm.CHANGE_SHIPMENT_ITEM)
    unknown = set(data) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"item_update() got unexpected fields: {', '.join(sorted(unknown))}")
    _lock_for(item.shipment, "edit_items")
    changed = assign_fields(item, ITEM_FIELDS, _item_values(data))
    if not changed:
        return item
    _validate_item(item)
    return _save_item(item, updated_by, changed)


@transaction.atomic
def item_remove(*, item: ShipmentItem, removed_by) -> None:
    require_perm(removed_by, Perm.CHANGE_SHIPMENT_ITEM)
    _lock_for(item.shipment, "edit_items")
    item._history_user = removed_by
    item.delete()


# --- receipt ------------------------------------------------------------------------------------------------------


class ReceiptLinesInvalid(ValidationError):
    """Bad receipt lines: ``line_errors`` maps each line's position to its field errors, for a formset."""

    def __init__(self, line_errors: dict[int, dict[str, str]], labels: dict[int, str]):
        self.line_errors = line_errors
        super().__init__(
            {
                "lines": [
                    f"{labels[index]}: {message}"
                    for index, fields in sorted(line_errors.items())
                    for message in fields.values()
                ]
            }
        )


def _quantity(value) -> Decimal | None:
    if value in (None, ""):
        return Decimal(0)
    number = _as_decimal(value)
    if number is None or not number.is_finite():
        return None
    return number


def _check_line(line: Mapping, item: ShipmentItem, remaining: Decimal) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    counted = {}
    for field in RECEIPT_QUANTITIES:
        number = _quantity(line.get(field))
        if number is None:
            errors[field] = _("Enter a number.")
        elif number < 0:
            errors[field] = _("A quantity cannot be negative.")
        elif number >= LARGEST_QUANTITY:
            # Checked before rounding: a number this large cannot be rounded to 3 decimals at all.
            errors[field] = _("This number is too large.")
        elif number != number.quantize(Decimal("0.001")):
            errors[field] = _("Use at most 3 decimal places.")
        counted[field] = number
    reason = (line.get("reason") or "").strip()
    if errors:
        return counted | {"reason": reason}, errors
    total = sum(counted.values(), Decimal(0))
    if total > remaining:
        errors["good"] = _(
            "Good, damaged and lost add up to %(total)s, but only %(remaining)s %(unit)s are still to be accounted for."
        ) % {"total": _number(total), "remaining": _number(remaining), "unit": item.unit}
    elif (counted["damaged"] > 0 or counted["lost"] > 0) and not reason:
        errors["reason"] = _("Give a reason for anything damaged or lost.")
    return counted | {"reason": reason}, errors


def _number(value: Decimal) -> str:
    """A quantity as people write it: 12, 12.5 (never 12.500 or 1.2E+1)."""
    plain = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return formats.number_format(plain, use_l10n=True)


def _accounted(shipment: Shipment) -> dict[int, Decimal]:
    """Units of each item already counted on earlier receipts (good + damaged + lost)."""
    rows = (
        ReceiptLine.objects.filter(receipt__shipment=shipment)
        .values("item_id")
        .annotate(good=Sum("good"), damaged=Sum("damaged"), lost=Sum("lost"))
        .order_by()
    )
    return {row["item_id"]: row["good"] + row["damaged"] + row["lost"] for row in rows}


def _item_of(line: Mapping):
    item = line.get("item")
    return getattr(item, "pk", item)


@transaction.atomic
def receipt_confirm(
    *,
    shipment: Shipment,
    received_by,
    received_on: datetime.date,
    lines: Iterable[Mapping],
    note: str = "",
) -> Receipt:
    """The consignee counts what arrived, item by item: good, damaged, lost (with a reason for anything not good).

    ``lines`` are mappings with ``item`` (an item of this shipment or its id) and ``good``, ``damaged``, ``lost``,
    ``reason``; lines counting nothing are ignored. Earlier receipts count too: what is counted never exceeds
    what was sent. The shipment is received when every unit is accounted for, partially received until then.
    Only staff of the consignee may confirm (checked again under the lock, with the cumulative counts).
    """
    require_perm(received_by, Perm.ADD_RECEIPT)
    if shipment.consignee_id not in user_organisation_ids(received_by):
        raise PermissionDenied(_("Only the consignee's staff can confirm the receipt of this shipment."))
    _lock_for(shipment, "receive")
    _check_date(
        received_on,
        "received_on",
        not_before=shipment.dispatched_on,
        before_message=gettext_lazy("The goods cannot be received before they were dispatched (%(date)s)."),
    )
    items = {item.pk: item for item in shipment.items.all()}
    accounted = _accounted(shipment)
    lines = list(lines)
    line_errors: dict[int, dict[str, str]] = {}
    labels: dict[int, str] = {}
    counted_lines: list[tuple[ShipmentItem, dict]] = []
    seen: set[int] = set()
    for index, line in enumerate(lines):
        item = items.get(_item_of(line))
        if item is None:
            labels[index] = _("Line %(number)d") % {"number": index + 1}
            line_errors[index] = {"item": _("This item is not on the shipment's packing list.")}
            continue
        labels[index] = item.description
        if item.pk in seen:
            line_errors[index] = {"item": _("This item is counted twice on the receipt.")}
            continue
        seen.add(item.pk)
        remaining = item.quantity - accounted.get(item.pk, Decimal(0))
        counted, errors = _check_line(line, item, remaining)
        if errors:
            line_errors[index] = errors
        elif any(counted[field] > 0 for field in RECEIPT_QUANTITIES):
            counted_lines.append((item, counted))
    if line_errors:
        raise ReceiptLinesInvalid(line_errors, labels)
    if not counted_lines:
        raise _refuse(_("Count at least one item: what arrived in good condition, damaged or lost."), "lines")

    receipt = Receipt(shipment=shipment, received_by=received_by, received_on=received_on, note=(note or "").strip())
    receipt.full_clean()
    receipt.save()
    ReceiptLine.objects.bulk_create(
        ReceiptLine(receipt=receipt, item=item, **counted) for item, counted in counted_lines
    )

    for item, counted in counted_lines:
        accounted[item.pk] = accounted.get(item.pk, Decimal(0)) + sum(
            (counted[field] for field in RECEIPT_QUANTITIES), Decimal(0)
        )
    complete = all(accounted.get(pk, Decimal(0)) >= item.quantity for pk, item in items.items())
    fields = ["received_on"]
    shipment.received_on = max(filter(None, [shipment.received_on, received_on]))
    if shipment.arrived_on is None:  # the consignee holding the goods is proof enough that they arrived
        shipment.arrived_on = received_on
        fields.append("arrived_on")
    status = ShipmentStatus.RECEIVED if complete else ShipmentStatus.PARTIALLY_RECEIVED
    _change_status(
        shipment,
        received_by,
        status,
        fields,
        occurred_at=_moment(received_on),
        place=shipment.destination_place,
        note=receipt.note,
    )
    return receipt
