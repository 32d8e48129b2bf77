"""Humanitarian shipments: the packing list, the journey as tracking events, the consignee's receipts.

Totals (weight, value per currency, quantities received) are derived in SQL from the items and receipt lines,
so they cannot drift from what was sent and counted. The one exception is ``ShipmentValue``, each shipment's value
per currency for the managers' dashboard, which the services rewrite from the items and lines whenever they change
them (``programs.shipments.values``).
"""

import uuid
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.dates import BoundedDateField, validate_date_in_range
from cooperation.fields import (
    currency_link,
    ends_after,
    happened_at,
    happened_on,
    known_choice,
    not_negative,
    not_negative_amount,
    part_of,
    protected_link,
    reason_field,
    status_field,
    unique,
    user_link,
)
from cooperation.files import private_storage
from cooperation.models import SentLog, TimeStampedModel
from cooperation.money import AmountField

# Goods are counted in units of measure that may be fractional (kg, litres, m³).
QUANTITY_DIGITS = {"max_digits": 14, "decimal_places": 3}
WEIGHT_DIGITS = {"max_digits": 14, "decimal_places": 3}


class ShipmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    READY = "ready", _("Ready (packing list locked)")
    DISPATCHED = "dispatched", _("Dispatched")
    IN_TRANSIT = "in_transit", _("In transit")
    ARRIVED = "arrived", _("Arrived")
    RECEIVED = "received", _("Received")
    PARTIALLY_RECEIVED = "partially_received", _("Partially received")
    CANCELLED = "cancelled", _("Cancelled")
    LOST = "lost", _("Lost")


# Goods have left the consignor but the consignee has not yet accounted for all of them.
ON_THE_WAY = (ShipmentStatus.DISPATCHED, ShipmentStatus.IN_TRANSIT)
# Not arrived yet: late once the expected arrival has passed.
NOT_ARRIVED = ON_THE_WAY
DELIVERED = (ShipmentStatus.RECEIVED, ShipmentStatus.PARTIALLY_RECEIVED)
# Goods whose expiry is watched: on the way, or arrived and not yet counted by the consignee.
NOT_RECEIVED = (*ON_THE_WAY, ShipmentStatus.ARRIVED)


class TransportMode(models.TextChoices):
    AIR = "air", _("Air")
    SEA = "sea", _("Sea")
    ROAD = "road", _("Road")
    RAIL = "rail", _("Rail")


class ItemCategory(models.TextChoices):
    FOOD = "food", _("Food")
    WASH = "wash", _("Water and sanitation")
    SHELTER = "shelter", _("Clothing and shelter")
    BUILDING = "building", _("Building material")
    MEDICAL = "medical", _("Medical")
    MACHINERY = "machinery", _("Machinery and equipment")
    OTHER = "other", _("Other")


class WaybillCounter(models.Model):
    """The last waybill number issued in a year; it only grows, so a number is never issued twice."""

    year = models.PositiveIntegerField(_("year"), primary_key=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("waybill counter")
        verbose_name_plural = _("waybill counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Shipment(TimeStampedModel):
    waybill = models.CharField(_("waybill"), max_length=20, unique=True)
    programme = protected_link("programs.Programme", _("programme"), related_name="shipments")
    donor = protected_link("partners.Organisation", _("donor"), related_name="shipments_donated")
    consignor = protected_link("partners.Organisation", _("consignor"), related_name="shipments_sent")
    consignee = protected_link("partners.Organisation", _("consignee"), related_name="shipments_received")
    consignee_contact = models.ForeignKey(
        "partners.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consignee contact"),
    )
    origin_country = protected_link("reference.Country", _("origin country"))
    origin_place = models.CharField(_("origin place"), max_length=200)
    destination_country = protected_link("reference.Country", _("destination country"))
    destination_place = models.CharField(_("destination place"), max_length=200)
    mode = models.CharField(_("transport mode"), max_length=10, choices=TransportMode.choices)
    carrier = models.CharField(_("carrier"), max_length=200, blank=True)
    transport_reference = models.CharField(
        _("transport reference"), max_length=100, blank=True, help_text=_("Air waybill, bill of lading, truck plate…")
    )
    planned_dispatch = BoundedDateField(_("planned dispatch"))
    expected_arrival = BoundedDateField(_("expected arrival"))
    dispatched_on = happened_on(_("dispatched on"))
    arrived_on = happened_on(_("arrived on"))
    received_on = happened_on(_("received on"))
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    status = status_field(ShipmentStatus, ShipmentStatus.DRAFT)
    status_note = reason_field()
    prepared_by = user_link(_("packing list prepared by"), optional=True)
    dispatch_approved_by = user_link(_("dispatch approved by"), optional=True)
    dispatch_approved_at = happened_at(_("dispatch approved"))
    created_by = user_link(_("created by"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        permissions = [("approve_dispatch", _("Can approve the dispatch of shipments"))]
        indexes = [
            models.Index(fields=["status", "expected_arrival"], name="shipment_status_expected"),
            # The lists' default order (newest first, then the id), read backwards: a page without a sort.
            models.Index(fields=["created_at", "id"], name="shipment_created"),
            models.Index(fields=["status", "created_at"], name="shipment_status_created"),
        ]
        constraints = [
            ends_after(
                "expected_arrival",
                "planned_dispatch",
                name="shipment_expected_after_planned",
                message=_("The expected arrival cannot be before the planned dispatch."),
            ),
            ends_after(
                "arrived_on",
                "dispatched_on",
                name="shipment_arrival_after_dispatch",
                message=_("The arrival cannot be before the dispatch."),
                optional=True,
            ),
            ends_after(
                "received_on",
                "dispatched_on",
                name="shipment_receipt_after_dispatch",
                message=_("The receipt cannot be before the dispatch."),
                optional=True,
            ),
            known_choice("status", ShipmentStatus, name="shipment_status_known"),
        ]

    def __str__(self) -> str:
        return f"{self.waybill} — {self.consignee}"

    @property
    def is_draft(self) -> bool:
        return self.status == ShipmentStatus.DRAFT


class ShipmentItem(TimeStampedModel):
    shipment = part_of(Shipment, _("shipment"), related_name="items")
    category = models.CharField(_("category"), max_length=20, choices=ItemCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    unit = models.CharField(_("unit of measure"), max_length=30, help_text=_("e.g. carton, kg, litre, piece"))
    quantity = models.DecimalField(_("quantity"), **QUANTITY_DIGITS, validators=[MinValueValidator(Decimal("0.001"))])
    unit_weight_kg = models.DecimalField(
        _("weight per unit (kg)"), **WEIGHT_DIGITS, default=0, validators=[MinValueValidator(0)]
    )
    unit_value = AmountField(_("value per unit"), default=0, validators=[MinValueValidator(0)])
    currency = currency_link()
    expiry_date = BoundedDateField(_("expiry date"), null=True, blank=True)
    donor = protected_link("partners.Organisation", _("donor (if not the shipment's)"), optional=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["shipment", "pk"]
        verbose_name = _("shipment item")
        verbose_name_plural = _("shipment items")
        # The items' list across shipments (the API's), in the packing lists' order: a page without a sort.
        indexes = [
            models.Index(fields=["shipment", "id"], name="shipmentitem_shipment_order"),
            # The shipments carrying goods in a currency (the dashboard's currency filter), from the index alone.
            models.Index(fields=["currency", "shipment"], name="shipmentitem_currency_shipment"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="shipmentitem_quantity_positive",
                violation_error_message=_("The quantity must be more than zero."),
            ),
            not_negative("unit_weight_kg", name="shipmentitem_weight_not_negative"),
            *not_negative_amount("unit_value", prefix="shipmentitem_value"),
        ]

    def __str__(self) -> str:
        return f"{self.description} ({self.quantity} {self.unit})"


# A value summed exactly from quantities (3 decimals) times values per unit (4): 7 decimals, and room for a
# packing list of many items at the largest amounts.
VALUE_DIGITS = {"max_digits": 40, "decimal_places": 7}


class ShipmentValue(models.Model):
    """What one shipment's goods valued in one currency are worth: the value sent (its items, quantity × value per
    unit) and, once the consignee counted some of them, the value received in good condition and the value
    damaged or lost (its receipt lines). Rewritten by the services that change the items or the receipts, in their
    transaction; ``good`` and ``not_good`` stay empty while none of these goods was counted."""

    shipment = part_of(Shipment, _("shipment"), related_name="currency_values")
    currency = models.ForeignKey(
        "reference.Currency", on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    sent = models.DecimalField(_("value sent"), **VALUE_DIGITS)
    good = models.DecimalField(_("value received in good condition"), **VALUE_DIGITS, null=True, blank=True)
    not_good = models.DecimalField(_("value damaged or lost"), **VALUE_DIGITS, null=True, blank=True)

    class Meta:
        verbose_name = _("shipment value")
        verbose_name_plural = _("shipment values")
        constraints = [unique(("shipment", "currency"), name="shipmentvalue_once_per_currency")]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.currency_id}: {self.sent}"


class EventKind(models.TextChoices):
    STATUS_CHANGE = "status", _("Status change")
    CUSTOMS_ENTRY = "customs_entry", _("Customs entry")
    CUSTOMS_HOLD = "customs_hold", _("Customs hold")
    CUSTOMS_RELEASE = "customs_release", _("Customs release")
    NOTE = "note", _("Note")


class TrackingEvent(models.Model):
    """One moment of a shipment's journey: a status change (written by its service) or an officer's event."""

    shipment = part_of(Shipment, _("shipment"), related_name="events")
    occurred_at = models.DateTimeField(_("time"), validators=[validate_date_in_range])
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    status_after = models.CharField(_("status"), max_length=20, choices=ShipmentStatus.choices, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    user = user_link(_("recorded by"), optional=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="status") & ~Q(status_after="")) | (~Q(kind="status") & Q(status_after="")),
                name="trackingevent_status_only_on_status_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shipment.waybill} {self.get_kind_display()}"


class Receipt(models.Model):
    """One delivery counted by the consignee; several receipts are allowed until every unit is accounted for."""

    shipment = protected_link(Shipment, _("shipment"), related_name="receipts")
    received_by = user_link(_("received by"))
    received_on = BoundedDateField(_("received on"), past=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # Chosen by the form (or the API client) before the first try: a form sent again after a dropped connection
    # carries the same key, and finds the receipt it already made instead of counting the goods twice.
    idempotency_key = models.UUIDField(_("submission key"), null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    # Set by ``receipt_confirm`` on the receipt it returns when the submission was already recorded.
    repeated = False

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return f"{self.shipment.waybill} {self.received_on}"


class ReceiptLine(models.Model):
    receipt = part_of(Receipt, _("receipt"), related_name="lines")
    item = protected_link(ShipmentItem, _("item"), related_name="receipt_lines")
    good = models.DecimalField(_("received in good condition"), **QUANTITY_DIGITS, default=0)
    damaged = models.DecimalField(_("damaged"), **QUANTITY_DIGITS, default=0)
    lost = models.DecimalField(_("lost"), **QUANTITY_DIGITS, default=0)
    reason = models.TextField(_("reason for damage or loss"), max_length=2000, blank=True)

    class Meta:
        ordering = ["receipt", "item"]
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")
        constraints = [
            unique(("receipt", "item"), name="receiptline_once_per_item"),
            not_negative("good", "damaged", "lost", name="receiptline_quantities_not_negative"),
            models.CheckConstraint(
                condition=Q(good__gt=0) | Q(damaged__gt=0) | Q(lost__gt=0), name="receiptline_counts_something"
            ),
            models.CheckConstraint(
                condition=(Q(damaged=0) & Q(lost=0)) | ~Q(reason=""),
                name="receiptline_reason_for_damage_or_loss",
                violation_error_message=_("Give a reason for anything damaged or lost."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.good} / {self.damaged} / {self.lost}"


def receipt_photo_path(instance, filename: str) -> str:
    # The stored name tells nothing; the name the consignee gave is kept in ``original_name``.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"shipments/receipts/{uuid.uuid4().hex}.{extension}"


class ReceiptPhoto(models.Model):
    """A photo taken on receipt (damaged cartons, a broken seal); private, streamed only to those who may see the
    shipment."""

    receipt = part_of(Receipt, _("receipt"), related_name="photos")
    file = models.FileField(_("file"), storage=private_storage, upload_to=receipt_photo_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["receipt", "pk"]
        verbose_name = _("receipt photo")
        verbose_name_plural = _("receipt photos")

    def __str__(self) -> str:
        return self.original_name


class ExpiryAlertLog(SentLog):
    """One alert per shipment per expiry date of its goods, once that date is near (or past) while the goods are
    on the way or arrived but not yet received: goods that expire in a warehouse help no one."""

    shipment = part_of(Shipment, _("shipment"), related_name="expiry_alerts")
    expiry_date = models.DateField(_("expiry date"))
    # The run that claimed it: which rows of a set-based insert are this run's (cooperation.reminders).
    run = models.UUIDField(null=True, blank=True, editable=False)

    class Meta(SentLog.Meta):
        verbose_name = _("expiry alert")
        verbose_name_plural = _("expiry alerts")
        constraints = [unique(("shipment", "expiry_date"), name="expiry_alert_once_per_date")]

    def __str__(self) -> str:
        return f"{self.shipment.waybill} {self.expiry_date}"


class DelayAlertLog(SentLog):
    """One delay alert per shipment per expected arrival: a new expected arrival that passes is a new delay."""

    shipment = part_of(Shipment, _("shipment"), related_name="delay_alerts")
    expected_arrival = models.DateField(_("expected arrival"))

    class Meta(SentLog.Meta):
        verbose_name = _("delay alert")
        verbose_name_plural = _("delay alerts")
        constraints = [unique(("shipment", "expected_arrival"), name="delay_alert_once_per_delay")]

    def __str__(self) -> str:
        return f"{self.shipment.waybill} {self.expected_arrival}"
