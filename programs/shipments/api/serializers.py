"""Shipments, their items, tracking events and receipts in and out of the API.

Output serializers shape what a client reads (quantities and weights are decimal strings, values are strings
in their currency's minor unit, never floats); the ``...Write`` and action serializers only check the shape
and types of what a client sends. Business rules stay in the services.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.api.fields import (
    AMOUNT_SCHEMA,
    AmountField,
    AmountInputField,
    BoundedDateField,
    BoundedDateTimeField,
    EnumChoiceField,
    UserScopedRelations,
    amount_text,
    code_field,
    related_with_label,
    who_and_when,
)
from cooperation.money import MONEY_DIGITS
from cooperation.reference.models import Country, Currency
from partners.models import Contact, Organisation
from partners.selectors import organisation_list
from programs.models import Programme
from programs.selectors import programme_list
from programs.shipments.models import (
    QUANTITY_DIGITS,
    WEIGHT_DIGITS,
    EventKind,
    ItemCategory,
    Shipment,
    ShipmentStatus,
    TransportMode,
)
from programs.shipments.selectors import ExpiryFlag, shipment_list

CURRENCY_HELP = _("ISO 4217 code.")
COUNTRY_HELP = _("ISO 3166-1 alpha-2 code.")
QUANTITY_OPTIONS = {"max_digits": QUANTITY_DIGITS["max_digits"], "decimal_places": QUANTITY_DIGITS["decimal_places"]}
WEIGHT_OPTIONS = {"max_digits": WEIGHT_DIGITS["max_digits"], "decimal_places": WEIGHT_DIGITS["decimal_places"]}
TOTAL_WEIGHT_OPTIONS = {"max_digits": 20, "decimal_places": 3}
VALUE_OPTIONS = {"max_digits": MONEY_DIGITS["max_digits"], "decimal_places": MONEY_DIGITS["decimal_places"]}


def _status_field(**kwargs):
    return EnumChoiceField(ShipmentStatus, enum_name="ShipmentStatusEnum", **kwargs)


# --- Output ---------------------------------------------------------------------------------------


class ShipmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    waybill = serializers.CharField(read_only=True)
    programme, programme_code = related_with_label("programme", "code")
    donor, donor_name = related_with_label("donor")
    consignor, consignor_name = related_with_label("consignor")
    consignee, consignee_name = related_with_label("consignee")
    consignee_contact = serializers.IntegerField(source="consignee_contact_id", read_only=True, allow_null=True)
    origin_country = serializers.CharField(source="origin_country_id", read_only=True, help_text=COUNTRY_HELP)
    origin_place = serializers.CharField(read_only=True)
    destination_country = serializers.CharField(source="destination_country_id", read_only=True, help_text=COUNTRY_HELP)
    destination_place = serializers.CharField(read_only=True)
    mode = EnumChoiceField(TransportMode, read_only=True)
    carrier = serializers.CharField(read_only=True)
    transport_reference = serializers.CharField(read_only=True)
    planned_dispatch = serializers.DateField(read_only=True)
    expected_arrival = serializers.DateField(read_only=True)
    dispatched_on = serializers.DateField(read_only=True, allow_null=True)
    arrived_on = serializers.DateField(read_only=True, allow_null=True)
    received_on = serializers.DateField(read_only=True, allow_null=True, help_text=_("The latest receipt."))
    status = _status_field(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    status_note = serializers.CharField(read_only=True, help_text=_("Why it was reopened, cancelled or lost."))
    notes = serializers.CharField(read_only=True)
    is_delayed = serializers.BooleanField(read_only=True, help_text=_("Past the expected arrival and not arrived."))
    has_discrepancy = serializers.BooleanField(read_only=True, help_text=_("Anything damaged or lost on a receipt."))
    item_count = serializers.IntegerField(read_only=True)
    total_weight_kg = serializers.DecimalField(**TOTAL_WEIGHT_OPTIONS, read_only=True)
    prepared_by = serializers.IntegerField(source="prepared_by_id", read_only=True, allow_null=True)
    dispatch_approved_by, dispatch_approved_at = who_and_when("dispatch_approved")
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class CurrencyValueSerializer(serializers.Serializer):
    currency = serializers.CharField(source="currency.code", read_only=True, help_text=CURRENCY_HELP)
    amount = serializers.SerializerMethodField()

    @extend_schema_field(AMOUNT_SCHEMA)
    def get_amount(self, value) -> str:
        return amount_text(value.amount, value.currency)


class ShipmentTotalsSerializer(serializers.Serializer):
    weight_kg = serializers.DecimalField(**TOTAL_WEIGHT_OPTIONS, read_only=True)
    item_count = serializers.IntegerField(read_only=True)
    values = CurrencyValueSerializer(
        many=True, read_only=True, help_text=_("One total per currency; never added up across currencies.")
    )


class ShipmentDetailSerializer(ShipmentSerializer):
    """A shipment with its packing list totals (read from ``context["totals"]``) and how late it is."""

    days_late = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField()

    def get_days_late(self, shipment) -> int:
        return self.context.get("days_late", 0)

    @extend_schema_field(ShipmentTotalsSerializer)
    def get_totals(self, shipment) -> dict:
        return ShipmentTotalsSerializer(self.context.get("totals"), context=self.context).data


class ShipmentItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    shipment, waybill = related_with_label("shipment", "waybill")
    category = EnumChoiceField(ItemCategory, read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    description = serializers.CharField(read_only=True)
    unit = serializers.CharField(read_only=True)
    quantity = serializers.DecimalField(**QUANTITY_OPTIONS, read_only=True)
    unit_weight_kg = serializers.DecimalField(**WEIGHT_OPTIONS, read_only=True)
    unit_value = serializers.DecimalField(**VALUE_OPTIONS, read_only=True)
    currency = serializers.CharField(source="currency_id", read_only=True, help_text=CURRENCY_HELP)
    expiry_date = serializers.DateField(read_only=True, allow_null=True)
    expiry_flag = serializers.ChoiceField(
        choices=[ExpiryFlag.EXPIRED, ExpiryFlag.EXPIRING],
        read_only=True,
        allow_null=True,
        help_text=_(
            "Before dispatch only: expired (it blocks the dispatch) or expiring within 90 days of the planned "
            "dispatch; else null."
        ),
    )
    donor = serializers.IntegerField(
        source="donor_id", read_only=True, allow_null=True, help_text=_("Empty when it is the shipment's donor.")
    )
    total_weight_kg = serializers.DecimalField(**TOTAL_WEIGHT_OPTIONS, read_only=True)
    total_value = AmountField()
    good = serializers.DecimalField(**QUANTITY_OPTIONS, read_only=True, help_text=_("Counted in good condition."))
    damaged = serializers.DecimalField(**QUANTITY_OPTIONS, read_only=True)
    lost = serializers.DecimalField(**QUANTITY_OPTIONS, read_only=True)
    remaining = serializers.DecimalField(
        **QUANTITY_OPTIONS, read_only=True, help_text=_("Units the consignee has still to account for.")
    )


class TrackingEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    shipment, waybill = related_with_label("shipment", "waybill")
    kind = EnumChoiceField(EventKind, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_after = serializers.CharField(
        read_only=True, help_text=_("The shipment's new status (ShipmentStatusEnum) on a status change; else empty.")
    )
    occurred_at = serializers.DateTimeField(read_only=True)
    place = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)
    user_name = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    def get_user_name(self, event) -> str:
        return event.user.get_full_name() or event.user.get_username() if event.user else ""


class ReceiptLineSerializer(serializers.Serializer):
    item, description = related_with_label("item", "description")
    unit = serializers.CharField(source="item.unit", read_only=True)
    good = serializers.DecimalField(**QUANTITY_OPTIONS, read_only=True)
    damaged = serializers.DecimalField(**QUANTITY_OPTIONS, read_only=True)
    lost = serializers.DecimalField(**QUANTITY_OPTIONS, read_only=True)
    reason = serializers.CharField(read_only=True)


class ReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    shipment, waybill = related_with_label("shipment", "waybill")
    received_on = serializers.DateField(read_only=True)
    received_by = serializers.IntegerField(source="received_by_id", read_only=True)
    note = serializers.CharField(read_only=True)
    lines = ReceiptLineSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


# --- Input ----------------------------------------------------------------------------------------


def _organisation_field(**kwargs):
    return serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none(), **kwargs)


def _in_kind_programmes(*, user):
    return programme_list(user=user).filter(is_in_kind=True)


class ShipmentUpdateSerializer(UserScopedRelations, serializers.Serializer):
    """A draft's parties, route and dates; omitted fields stay as they are on a partial update."""

    scoped_fields = {
        "programme": _in_kind_programmes,
        "donor": organisation_list,
        "consignor": organisation_list,
        "consignee": organisation_list,
    }

    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.none(), help_text=_("An in-kind programme the consignee takes part in.")
    )
    donor = _organisation_field()
    consignor = _organisation_field()
    consignee = _organisation_field(help_text=_("The partner that receives the goods and confirms the receipt."))
    consignee_contact = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True, help_text=_("A contact of the consignee.")
    )
    origin_country = code_field(Country, help_text=COUNTRY_HELP)
    origin_place = serializers.CharField(max_length=200)
    destination_country = code_field(Country, help_text=COUNTRY_HELP)
    destination_place = serializers.CharField(max_length=200)
    mode = EnumChoiceField(TransportMode)
    carrier = serializers.CharField(max_length=200, required=False, allow_blank=True)
    transport_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)
    planned_dispatch = BoundedDateField()
    expected_arrival = BoundedDateField()
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ShipmentCreateSerializer(ShipmentUpdateSerializer):
    waybill = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("Only for a number from a paper waybill book; left empty, the next number is issued."),
    )
    risk_acknowledged = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Required as true when the consignee has risk flags: you have seen them and still go ahead."),
    )


class ShipmentReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Kept in the shipment's history and journey."))


class ShipmentLostSerializer(ShipmentReasonSerializer):
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text=_("Where it was lost."))


class DispatchSerializer(serializers.Serializer):
    dispatched_on = BoundedDateField(past=True)
    carrier = serializers.CharField(max_length=200, required=False, help_text=_("Omitted, it stays as it is."))
    transport_reference = serializers.CharField(
        max_length=100, required=False, help_text=_("Air waybill, bill of lading, truck plate… Omitted, it stays.")
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class InTransitSerializer(serializers.Serializer):
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ArriveSerializer(serializers.Serializer):
    arrived_on = BoundedDateField(past=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RescheduleSerializer(serializers.Serializer):
    expected_arrival = BoundedDateField(help_text=_("The carrier's new estimate."))
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ItemUpdateSerializer(UserScopedRelations, serializers.Serializer):
    """One line of a draft's packing list; omitted fields stay as they are on a partial update."""

    scoped_fields = {"donor": organisation_list}

    category = EnumChoiceField(ItemCategory)
    description = serializers.CharField(max_length=300)
    unit = serializers.CharField(max_length=30, help_text=_("e.g. carton, kg, litre, piece"))
    quantity = serializers.DecimalField(**QUANTITY_OPTIONS)
    unit_weight_kg = serializers.DecimalField(**WEIGHT_OPTIONS, required=False)
    unit_value = AmountInputField(required=False)
    currency = code_field(Currency, help_text=CURRENCY_HELP)
    expiry_date = BoundedDateField(required=False, allow_null=True)
    donor = _organisation_field(required=False, allow_null=True, help_text=_("Only if not the shipment's donor."))


class ItemCreateSerializer(ItemUpdateSerializer):
    scoped_fields = {**ItemUpdateSerializer.scoped_fields, "shipment": shipment_list}

    shipment = serializers.PrimaryKeyRelatedField(queryset=Shipment.objects.none())


class TrackingEventWriteSerializer(UserScopedRelations, serializers.Serializer):
    scoped_fields = {"shipment": shipment_list}

    shipment = serializers.PrimaryKeyRelatedField(queryset=Shipment.objects.none())
    kind = EnumChoiceField(
        EventKind, help_text=_("Customs entry, hold or release, or a note; status changes come from the actions.")
    )
    occurred_at = BoundedDateTimeField(required=False, past=True, help_text=_("Now when omitted."))
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ReceiptLineWriteSerializer(serializers.Serializer):
    """What arrived of one item. Quantities are checked by the service, against what is still to count."""

    item = serializers.IntegerField(help_text=_("An item of the shipment's packing list."))
    good = serializers.CharField(required=False, allow_blank=True, default="0", help_text=_("A decimal number."))
    damaged = serializers.CharField(required=False, allow_blank=True, default="0")
    lost = serializers.CharField(required=False, allow_blank=True, default="0")
    reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text=_("Required for anything damaged or lost.")
    )


class ReceiptWriteSerializer(serializers.Serializer):
    shipment = serializers.IntegerField(help_text=_("A shipment addressed to your organisation."))
    received_on = BoundedDateField(past=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    lines = ReceiptLineWriteSerializer(many=True)
    idempotency_key = serializers.UUIDField(
        required=False,
        help_text=_(
            "A UUID the client chooses for this receipt (or the Idempotency-Key header): sent again, the receipt "
            "is recorded once and the same receipt comes back."
        ),
    )
