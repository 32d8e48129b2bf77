"""The consignee's receipt: what arrived of each item, good, damaged or lost."""

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.files import photo_problem
from cooperation.refusals import Refusal, Refused, refuse
from cooperation.workflow import as_decimal, create_unique, lock_row
from programs.shipments.models import Receipt, ReceiptLine, ReceiptPhoto, Shipment, ShipmentItem, ShipmentStatus
from programs.shipments.services._common import (
    LARGEST_QUANTITY,
    RECEIPT_QUANTITIES,
    ShipmentRefusal,
    _change_status,
    _check_date,
    _moment,
)
from programs.shipments.services.guards import FORBIDDING, _check, receipt_refusal
from programs.shipments.values import refresh_shipment_values

MAX_PHOTOS = 5


def max_photo_bytes() -> int:
    return int(getattr(settings, "RECEIPT_PHOTO_MAX_BYTES", 8 * 1024 * 1024))


# --- receipt ------------------------------------------------------------------------------------------------------


class ReceiptLinesInvalid(ValidationError):
    """Bad receipt lines: ``line_errors`` maps each line's position to its field errors, for a formset."""

    def __init__(self, problems: dict[int, dict[str, tuple[str, str]]], labels: dict[int, str]):
        self.line_errors = {
            index: {field: message for field, (_code, message) in fields.items()} for index, fields in problems.items()
        }
        self.line_codes = {
            index: {field: code for field, (code, _message) in fields.items()} for index, fields in problems.items()
        }
        super().__init__(
            {
                "lines": [
                    ValidationError(f"{labels[index]}: {message}", code=code)
                    for index, fields in sorted(problems.items())
                    for code, message in fields.values()
                ]
            }
        )


def _quantity(value) -> Decimal | None:
    if value in (None, ""):
        return Decimal(0)
    number = as_decimal(value)
    if number is None or not number.is_finite():
        return None
    return number


def _check_line(line: Mapping, item: ShipmentItem, remaining: Decimal) -> tuple[dict, dict[str, tuple[str, str]]]:
    errors: dict[str, tuple[str, str]] = {}
    counted = {}
    for field in RECEIPT_QUANTITIES:
        number = _quantity(line.get(field))
        if number is None:
            errors[field] = (Refused.NOT_A_NUMBER, _("Enter a number."))
        elif number < 0:
            errors[field] = (ShipmentRefusal.NEGATIVE_QUANTITY, _("A quantity cannot be negative."))
        elif number >= LARGEST_QUANTITY:
            # Checked before rounding: a number this large cannot be rounded to 3 decimals at all.
            errors[field] = (ShipmentRefusal.QUANTITY_TOO_LARGE, _("This number is too large."))
        elif number != number.quantize(Decimal("0.001")):
            errors[field] = (ShipmentRefusal.TOO_MANY_DECIMALS, _("Use at most 3 decimal places."))
        counted[field] = number
    reason = (line.get("reason") or "").strip()
    if errors:
        return counted | {"reason": reason}, errors
    total = sum(counted.values(), Decimal(0))
    if total > remaining:
        errors["good"] = (
            ShipmentRefusal.RECEIVED_MORE_THAN_SENT,
            _(
                "Good, damaged and lost add up to %(total)s, but only %(remaining)s %(unit)s are still to be "
                "accounted for."
            )
            % {"total": _number(total), "remaining": _number(remaining), "unit": item.unit},
        )
    elif (counted["damaged"] > 0 or counted["lost"] > 0) and not reason:
        errors["reason"] = (Refused.REASON_REQUIRED, _("Give a reason for anything damaged or lost."))
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


def _key(value) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise refuse(ShipmentRefusal.KEY_INVALID, _("The submission key is not valid."), "idempotency_key") from None


def _key_reused_refusal() -> Refusal:
    return Refusal(
        ShipmentRefusal.KEY_REUSED,
        _("This submission key was already used for another shipment's receipt."),
        "idempotency_key",
    )


def _earlier_receipt(shipment: Shipment, key: uuid.UUID | None) -> Receipt | None:
    """The receipt an earlier sending of the same submission made, or None; a key used for another shipment is
    refused."""
    if key is None:
        return None
    receipt = Receipt.objects.filter(idempotency_key=key).first()
    if receipt is None:
        return None
    if receipt.shipment_id != shipment.pk:
        raise _key_reused_refusal().error()
    receipt.repeated = True
    return receipt


def _check_photos(photos: Sequence) -> list[tuple[object, str]]:
    """Each photo with its content type; refused, all on ``photos``, if there are too many or any is not a photo
    within the size limit."""
    if len(photos) > MAX_PHOTOS:
        raise refuse(
            ShipmentRefusal.TOO_MANY_PHOTOS,
            _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS},
            "photos",
        )
    checked, problems = [], []
    for photo in photos:
        content_type, problem = photo_problem(photo, max_bytes=max_photo_bytes())
        if problem:
            problems.append(ValidationError(problem, code=ShipmentRefusal.INVALID_PHOTO))
        checked.append((photo, content_type))
    if problems:
        raise ValidationError({"photos": problems})
    return checked


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
    idempotency_key: uuid.UUID | str | None = None,
    photos: Sequence = (),
) -> Receipt:
    """The consignee counts what arrived, item by item: good, damaged, lost (with a reason for anything not good).

    ``lines`` are mappings with ``item`` (an item of this shipment or its id) and ``good``, ``damaged``, ``lost``,
    ``reason``; lines counting nothing are ignored. Earlier receipts count too: what is counted never exceeds
    what was sent. The shipment is received when every unit is accounted for, partially received until then.
    Only staff of the consignee may confirm (checked again under the lock, with the cumulative counts).

    ``idempotency_key`` names one submission: sent again (a retry after a dropped connection, a second tap), it
    records nothing more and returns the receipt the first sending made, marked ``repeated``; a key already used
    for another shipment is refused. ``photos`` (at most ``MAX_PHOTOS``, JPEG or PNG) show what arrived.
    """
    key = _key(idempotency_key)
    refusal = receipt_refusal(shipment, received_by)
    if refusal is not None and refusal.code in FORBIDDING:
        _check(refusal)
    # Under the shipment's lock, a second sending of the same submission waits for the first and then finds it.
    lock_row(shipment)
    if (earlier := _earlier_receipt(shipment, key)) is not None:
        return earlier
    _check(receipt_refusal(shipment, received_by))
    _check_date(
        received_on,
        "received_on",
        not_before=shipment.dispatched_on,
        before_message=gettext_lazy("The goods cannot be received before they were dispatched (%(date)s)."),
    )
    items = {item.pk: item for item in shipment.items.all()}
    accounted = _accounted(shipment)
    lines = list(lines)
    line_errors: dict[int, dict[str, tuple[str, str]]] = {}
    labels: dict[int, str] = {}
    counted_lines: list[tuple[ShipmentItem, dict]] = []
    seen: set[int] = set()
    for index, line in enumerate(lines):
        item = items.get(_item_of(line))
        if item is None:
            labels[index] = _("Line %(number)d") % {"number": index + 1}
            line_errors[index] = {
                "item": (ShipmentRefusal.NOT_ON_PACKING_LIST, _("This item is not on the shipment's packing list."))
            }
            continue
        labels[index] = item.description
        if item.pk in seen:
            line_errors[index] = {
                "item": (ShipmentRefusal.COUNTED_TWICE, _("This item is counted twice on the receipt."))
            }
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
        raise refuse(
            ShipmentRefusal.NOTHING_COUNTED,
            _("Count at least one item: what arrived in good condition, damaged or lost."),
            "lines",
        )

    checked_photos = _check_photos(list(photos))

    receipt = Receipt(
        shipment=shipment,
        received_by=received_by,
        received_on=received_on,
        note=(note or "").strip(),
        idempotency_key=key,
    )
    receipt.full_clean(validate_unique=False)
    # The key is unique: the same key sent at the same moment for another shipment is stopped here.
    create_unique(receipt, received_by, _key_reused_refusal())
    for photo, content_type in checked_photos:
        _photo_add(receipt, photo, content_type)
    ReceiptLine.objects.bulk_create(
        ReceiptLine(receipt=receipt, item=item, **counted) for item, counted in counted_lines
    )
    refresh_shipment_values(shipment.pk)

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


def _photo_add(receipt: Receipt, upload, content_type: str) -> ReceiptPhoto:
    photo = ReceiptPhoto(
        receipt=receipt,
        original_name=(getattr(upload, "name", "") or "")[-200:],
        content_type=content_type,
        size=upload.size,
    )
    photo.file.save(upload.name, upload, save=False)
    photo.save()
    return photo
