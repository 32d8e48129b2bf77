"""The discrepancy summary's shape and filters: goods sent against goods counted on receipt, per currency and per
unit of measure, as a client reads them (amounts and quantities are decimal strings, never floats)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperation.api.fields import AmountField
from cooperation.api.filters import IdFilter
from programs.shipments.models import QUANTITY_DIGITS, Shipment

RATE_OPTIONS = {"max_digits": 8, "decimal_places": 2}
QUANTITY_OPTIONS = {"max_digits": 30, "decimal_places": QUANTITY_DIGITS["decimal_places"]}


class DiscrepancySummaryFilter(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id", label=_("Programme id"))
    consignee = IdFilter(field_name="consignee_id", label=_("Consignee (partner id)"))

    class Meta:
        model = Shipment
        fields = ["programme", "consignee"]


class DiscrepancyCurrencySerializer(serializers.Serializer):
    currency = serializers.CharField(source="currency.code", read_only=True, help_text=_("ISO 4217 code."))
    sent = AmountField(help_text=_("The value of the goods on the packing lists."))
    received = AmountField(help_text=_("The value counted in good condition."))
    damaged = AmountField()
    lost = AmountField(help_text=_("Short: sent, and not counted as arrived."))
    not_good = AmountField(help_text=_("Damaged and lost."))
    rate = serializers.DecimalField(
        **RATE_OPTIONS, read_only=True, help_text=_("`not_good` in percent of `sent`: the discrepancy rate.")
    )
    discrepancy_lines = serializers.IntegerField(
        read_only=True, help_text=_("Receipt lines with units damaged or lost.")
    )
    shipments = serializers.IntegerField(read_only=True, help_text=_("Shipments counted with goods in this currency."))
    shipments_with_discrepancy = serializers.IntegerField(read_only=True)


def quantity_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(**QUANTITY_OPTIONS, read_only=True, **kwargs)


class DiscrepancyUnitSerializer(serializers.Serializer):
    unit = serializers.CharField(read_only=True, help_text=_("The unit of measure of the items (carton, kg)."))
    sent = quantity_field()
    received = quantity_field(help_text=_("Counted in good condition."))
    damaged = quantity_field()
    lost = quantity_field()
    rate = serializers.DecimalField(
        **RATE_OPTIONS, read_only=True, help_text=_("Damaged and lost in percent of what was sent.")
    )
    discrepancy_lines = serializers.IntegerField(read_only=True)


class DiscrepancySummarySerializer(serializers.Serializer):
    by_currency = DiscrepancyCurrencySerializer(
        many=True, read_only=True, help_text=_("By value, in currency code order; never added across currencies.")
    )
    by_unit = DiscrepancyUnitSerializer(
        many=True, read_only=True, help_text=_("By quantity, one row per unit of measure.")
    )
