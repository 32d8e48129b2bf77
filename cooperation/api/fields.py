"""Serializer pieces shared by every API module: amounts as strings in their currency, named enums, and relations
scoped to what the requesting user may see."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.dates import (
    OUT_OF_RANGE,
    in_range,
    range_message,
    validate_date_in_range,
    validate_not_future,
)
from cooperation.money import MONEY_DIGITS, quantize, validate_amount_digits

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


class AmountInputField(serializers.DecimalField):
    """An amount a client sends: the column's digits, and no more digits than every database stores exactly
    (the service then checks it against its currency's minor unit)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MONEY_DIGITS["max_digits"])
        kwargs.setdefault("decimal_places", MONEY_DIGITS["decimal_places"])
        super().__init__(**kwargs)
        self.validators.append(validate_amount_digits)


class _Bounded:
    """A typed date's bounds on a date or date-time field (and not later than now with ``past=True``)."""

    def __init__(self, *, past: bool = False, **kwargs):
        self.past = past
        super().__init__(**kwargs)
        self.validators.append(validate_date_in_range)
        if past:
            self.validators.append(validate_not_future)


class BoundedDateField(_Bounded, serializers.DateField):
    """A date a client sends, within the bounds every typed date keeps (and not after today with ``past=True``):
    the same check and message as the pages (``cooperation.dates``)."""


class BoundedDateTimeField(_Bounded, serializers.DateTimeField):
    """A date and time a client sends, on a day within the bounds (and not later than now with ``past=True``).

    The day is checked before the time is placed in the organisation's time zone: DRF's own check of that
    placement overflows on the calendar's first and last days.
    """

    def enforce_timezone(self, value):
        if not in_range(value):
            raise serializers.ValidationError(range_message(), code=OUT_OF_RANGE)
        return super().enforce_timezone(value)


UNKNOWN_CODE = _("There is no code “{value}”.")


def code_field(model, *, unknown_message=UNKNOWN_CODE, active_only=False, **kwargs) -> serializers.SlugRelatedField:
    """A reference-data record (country, currency, sector) given by its ``code``; one the table does not hold, or
    when ``active_only`` one it holds as retired, is refused with ``unknown_message``."""
    records = model.objects.filter(is_active=True) if active_only else model.objects.all()
    return serializers.SlugRelatedField(
        slug_field="code", queryset=records, error_messages={"does_not_exist": unknown_message}, **kwargs
    )


def related_with_label(name: str, label: str = "name") -> tuple[serializers.Field, serializers.Field]:
    """A related record shown as two read-only fields: its id, and one attribute of it that people read
    (``programme, programme_code = related_with_label("programme", "code")``)."""
    return (
        serializers.IntegerField(source=f"{name}_id", read_only=True),
        serializers.CharField(source=f"{name}.{label}", read_only=True),
    )


class ChoiceLabelField(serializers.CharField):
    """The label of a model field's choice in the active language, as ``get_<field>_display()`` gives it
    (``status_label = ChoiceLabelField("status", read_only=True)``). The method is called directly: DRF would
    inspect its signature on every row before calling it, which cost a list more than the labels themselves."""

    def __init__(self, field: str, **kwargs):
        self.display = f"get_{field}_display"
        super().__init__(source=self.display, **kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.display)()


def who_and_when(step: str) -> tuple[serializers.Field, serializers.Field]:
    """Who took a step on a record and when, as two read-only fields, both empty until it is taken
    (``approved_by, approved_at = who_and_when("approved")``)."""
    return (
        serializers.IntegerField(source=f"{step}_by_id", read_only=True, allow_null=True),
        serializers.DateTimeField(read_only=True, allow_null=True),
    )


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


class UserScopedRelations:
    """Relations the client may name only among records the requesting user can see."""

    # A relation field (one record or many) -> a selector taking the user; any other id reads as "does not exist".
    scoped_fields: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:  # no request (schema generation): the placeholder querysets stay empty
            return
        for name, selector in self.scoped_fields.items():
            field = self.fields[name]
            target = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            target.queryset = selector(user=user)
