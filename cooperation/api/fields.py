"""Serializer pieces shared by every API module: amounts as strings in their currency, and named enums."""

from decimal import Decimal

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.money import quantize

# Amounts leave the API as strings so no client turns them into floats.
AMOUNT_SCHEMA = {"type": "string", "format": "decimal", "example": "150000.00"}
NULLABLE_AMOUNT_SCHEMA = {**AMOUNT_SCHEMA, "nullable": True}


def amount_text(amount: Decimal | None, currency) -> str | None:
    """An amount as a decimal string with exactly its currency's minor unit (``"1500.00"``, ``"250000"`` JPY)."""
    if amount is None:
        return None
    return str(quantize(amount, currency))


@extend_schema_field(AMOUNT_SCHEMA)
class AmountField(serializers.Field):
    """A read-only amount as a decimal string with its currency's minor unit (``"1032.80"``, ``"100000"`` JPY).

    ``currency`` is the dotted path from the object to its currency (``"loan.currency"``).
    """

    def __init__(self, *, currency: str = "currency", **kwargs):
        self.currency_path = currency.split(".")
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        amount = super().get_attribute(instance)
        currency = instance
        for name in self.currency_path:
            currency = getattr(currency, name)
        return amount, currency

    def to_representation(self, value):
        amount, currency = value
        return amount_text(amount, currency)


class EnumChoiceField(serializers.ChoiceField):
    """A choice field documented as one named enum (``LoanStatusEnum``) wherever it is used.

    Several models of the API have a ``status`` with different choices; drf-spectacular
    would otherwise have to guess a name for each and warn about the collision.
    """

    def __init__(self, choices_class: type[models.Choices], *, enum_name: str = "", **kwargs):
        self.choices_class = choices_class
        self.enum_name = enum_name or f"{choices_class.__name__}Enum"
        super().__init__(choices=choices_class.choices, **kwargs)


class EnumChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumChoiceField

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        choices = self.target.choices_class
        values = list(choices.values)
        return {
            "type": "integer" if all(isinstance(value, int) for value in values) else "string",
            "enum": values,
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices.choices),
        }
