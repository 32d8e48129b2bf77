"""Exchange rates and conversions into the reporting currency over the API.

``ConvertedSerializer`` and ``TotalSerializer`` are the shapes any endpoint showing a value in the reporting
currency uses (``cooperation.exchange.Converted`` and ``Total``), so every client reads them the same way.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.api.fields import NULLABLE_AMOUNT_SCHEMA, BoundedDateField, code_field
from cooperation.reference.models import RATE_DIGITS, Currency, ExchangeRate
from cooperation.reference.services import SOURCE_MAX_LENGTH

CURRENCY_CODE = _("ISO 4217 code.")
UNKNOWN_CURRENCY = _("There is no currency with the code “{value}”.")


class ExchangeRateSerializer(serializers.ModelSerializer):
    from_currency = serializers.CharField(source="from_currency_id", read_only=True, help_text=CURRENCY_CODE)
    to_currency = serializers.CharField(source="to_currency_id", read_only=True, help_text=CURRENCY_CODE)
    rate = serializers.DecimalField(
        **RATE_DIGITS,
        read_only=True,
        coerce_to_string=True,
        help_text=_("How many units of to_currency one unit of from_currency is worth."),
    )
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)

    class Meta:
        model = ExchangeRate
        fields = ["id", "on", "from_currency", "to_currency", "rate", "source", "created_by", "created_at"]
        read_only_fields = fields


class ExchangeRateInputSerializer(serializers.Serializer):
    """A rate an officer enters; the service refuses a rate of zero or less, two equal currencies or a day already
    entered."""

    on = BoundedDateField(past=True, help_text=_("The day the rate is for."))
    from_currency = code_field(Currency, unknown_message=UNKNOWN_CURRENCY, active_only=True, help_text=CURRENCY_CODE)
    to_currency = code_field(Currency, unknown_message=UNKNOWN_CURRENCY, active_only=True, help_text=CURRENCY_CODE)
    rate = serializers.DecimalField(
        **RATE_DIGITS, help_text=_("How many units of to_currency one unit of from_currency is worth (above zero).")
    )
    source = serializers.CharField(max_length=SOURCE_MAX_LENGTH, help_text=_('"Bank Indonesia", a file name.'))


class ExchangeRateCorrectionSerializer(serializers.Serializer):
    """A correction of an entered rate: its rate or source (its day and currencies stay)."""

    rate = serializers.DecimalField(**RATE_DIGITS, required=False)
    source = serializers.CharField(max_length=SOURCE_MAX_LENGTH, required=False)


class ConversionQuerySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=18, decimal_places=4, help_text=_("The amount to convert."))
    currency = code_field(Currency, unknown_message=UNKNOWN_CURRENCY, help_text=CURRENCY_CODE)
    on = BoundedDateField(help_text=_("The date of the money event (disbursement, payment, dispatch)."))


@extend_schema_field(NULLABLE_AMOUNT_SCHEMA)
class DecimalText(serializers.Field):
    """A read-only decimal as a string with the digits it has ("62.50"), without trailing zeros when ``trimmed``
    ("0.0000625"); null stays null."""

    def __init__(self, *, trimmed: bool = False, **kwargs):
        self.trimmed = trimmed
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        return f"{value.normalize() if self.trimmed else value:f}"


class ConvertedSerializer(serializers.Serializer):
    """A money event's value in the reporting currency (``cooperation.exchange.Converted``)."""

    amount = DecimalText(
        help_text=_("In the reporting currency, rounded to its minor unit; null when no rate applies.")
    )
    currency = serializers.CharField(help_text=_("The reporting currency (ISO 4217 code)."))
    rate = DecimalText(
        trimmed=True,
        help_text=_("Units of the reporting currency per unit of the event's currency, fixed once first used."),
    )
    rate_on = serializers.DateField(allow_null=True, help_text=_("The date of the exchange rate used."))
    missing = serializers.CharField(
        allow_null=True, help_text=_('Why there is no value: "no rate for EUR on 4 March 2026"; null otherwise.')
    )


class RateDateSerializer(serializers.Serializer):
    currency = serializers.CharField()
    rate_on = serializers.DateField()

    def to_representation(self, instance):
        currency, rate_on = instance
        return super().to_representation({"currency": currency, "rate_on": rate_on})


class TotalSerializer(serializers.Serializer):
    """Amounts in several currencies and their total in the reporting currency (``cooperation.exchange.Total``)."""

    per_currency = serializers.DictField(child=DecimalText(), help_text=_("Each currency's sum, by ISO 4217 code."))
    reporting_currency = serializers.CharField()
    reporting = DecimalText(help_text=_("The sum of what could be converted, in the reporting currency."))
    missing = serializers.ListField(
        child=serializers.CharField(), help_text=_("One message for each currency and date without a rate.")
    )
    rate_dates = RateDateSerializer(many=True, help_text=_("The dates of the rates used, by currency."))
    complete = serializers.SerializerMethodField()

    @extend_schema_field(serializers.BooleanField(help_text=_("True when every amount could be converted.")))
    def get_complete(self, total) -> bool:
        return total.complete
