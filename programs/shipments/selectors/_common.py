"""What the shipment selectors share: the numbers' shapes and the expressions their sums are made of."""

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q

from cooperation.money import MONEY_DIGITS, quantize
from cooperation.reference.models import Currency
from programs.shipments.models import QUANTITY_DIGITS

ZERO = Decimal(0)
EXPIRY_WARNING_DAYS = 90
MONEY = DecimalField(**MONEY_DIGITS)
QUANTITY = DecimalField(**QUANTITY_DIGITS)
WEIGHT = DecimalField(max_digits=20, decimal_places=3)

LINE_VALUE = ExpressionWrapper(F("quantity") * F("unit_value"), output_field=MONEY)
LINE_WEIGHT = ExpressionWrapper(F("quantity") * F("unit_weight_kg"), output_field=WEIGHT)
NOT_GOOD = ExpressionWrapper(F("damaged") + F("lost"), output_field=QUANTITY)
NOT_GOOD_VALUE = ExpressionWrapper((F("damaged") + F("lost")) * F("item__unit_value"), output_field=MONEY)
GOOD_VALUE = ExpressionWrapper(F("good") * F("item__unit_value"), output_field=MONEY)
DISCREPANCY = Q(damaged__gt=0) | Q(lost__gt=0)


def _money(amount, currency: Currency) -> Decimal:
    return quantize(Decimal(amount or 0), currency)
