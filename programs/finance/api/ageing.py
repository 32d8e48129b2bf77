"""The arrears ageing over the API: the active loans in arrears by days past due, per currency."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperation.api.fields import AmountField

CURRENCY_HELP = _("ISO 4217 code.")


class AgeingBucketSerializer(serializers.Serializer):
    first_day = serializers.IntegerField(read_only=True, help_text=_("Fewest days past due in the bucket."))
    last_day = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Most days past due in the bucket; null for the last, open one.")
    )
    loans = serializers.IntegerField(read_only=True, help_text=_("Active loans this many days past due."))
    principal_outstanding = AmountField(help_text=_("Their whole outstanding principal."))


class CurrencyAgeingSerializer(serializers.Serializer):
    currency = serializers.CharField(source="currency.code", read_only=True, help_text=CURRENCY_HELP)
    loans = serializers.IntegerField(read_only=True, help_text=_("Active loans in arrears, in every bucket."))
    principal_outstanding = AmountField(help_text=_("Their outstanding principal, in every bucket."))
    buckets = AgeingBucketSerializer(
        many=True, read_only=True, help_text=_("1–30, 31–60, 61–90, 91–180 and over 180 days past due, in order.")
    )


class AgeingSerializer(serializers.Serializer):
    as_of = serializers.DateField(read_only=True, help_text=_("The day days past due are counted to (today)."))
    currencies = CurrencyAgeingSerializer(
        many=True, read_only=True, help_text=_("One row per currency, in code order; never added across currencies.")
    )
