"""Money is a Decimal and an ISO 4217 currency; amounts respect the currency's minor unit."""

import functools
from decimal import ROUND_HALF_EVEN, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _


@functools.cache
def minor_unit_exponent(minor_unit: int) -> Decimal:
    """The smallest amount with ``minor_unit`` decimals (0.01 for two): worked out once for each number of them."""
    return Decimal(1).scaleb(-minor_unit)


def quantize(amount: Decimal, currency) -> Decimal:
    """Round to the currency's minor unit with banker's rounding."""
    return quantize_to(amount, currency.minor_unit)


def quantize_to(amount: Decimal, minor_unit: int) -> Decimal:
    """``quantize`` for a currency known by its minor unit alone (a row read as a dictionary)."""
    return amount.quantize(minor_unit_exponent(minor_unit), rounding=ROUND_HALF_EVEN)


def check_minor_unit(amount: Decimal | None, currency, field: str) -> None:
    """Refuse an amount with more decimals than its currency has (e.g. 10.5 JPY)."""
    if amount is None or currency is None:
        return
    if amount != amount.quantize(minor_unit_exponent(currency.minor_unit)):
        raise ValidationError(
            {
                field: _("%(currency)s amounts have at most %(digits)d decimal places.")
                % {"currency": currency.code, "digits": currency.minor_unit}
            }
        )


# --- amounts every database stores exactly ------------------------------------------------------------------------
#
# Money columns hold 18 digits, 4 of them decimals (``MONEY_DIGITS``), which PostgreSQL keeps exactly. SQLite
# keeps a decimal as a floating-point number, exact to 15 significant digits only: IDR 98,765,432,109,876.54
# (16 digits) comes back a few cents off. So an amount may have at most ``MAX_SIGNIFICANT_DIGITS`` digits,
# counting its whole part and its currency's minor unit: up to 9,999,999,999,999.99 USD or IDR,
# 99,999,999,999,999 JPY (the column's 14 whole digits), 999,999,999,999.999 KWD. Quantities (14 digits, 3
# decimals), weights, rates and scores are narrower than 15 digits and need no such check.

MONEY_DIGITS = {"max_digits": 18, "decimal_places": 4}
MAX_SIGNIFICANT_DIGITS = 15
# No amount in any currency reaches this (the column's 14 whole digits): the databases' check constraints.
AMOUNT_CEILING = Decimal(10) ** (MONEY_DIGITS["max_digits"] - MONEY_DIGITS["decimal_places"])
TOO_MANY_DIGITS = "amount_too_many_digits"


def _whole_digits(amount: Decimal) -> int:
    whole = abs(amount).to_integral_value(rounding="ROUND_DOWN")
    return 0 if whole == 0 else whole.adjusted() + 1


def _written_decimals(amount: Decimal) -> int:
    exponent = amount.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def significant_digits(amount: Decimal, minor_unit: int | None = None) -> int:
    """The digits ``amount`` needs: its whole part, plus the currency's minor unit (or, without a currency, the
    decimals it is written with: ``12.50`` needs 3)."""
    decimals = _written_decimals(amount) if minor_unit is None else max(minor_unit, _written_decimals(amount))
    return _whole_digits(amount) + decimals


def largest_amount(minor_unit: int) -> Decimal:
    """The largest amount with ``minor_unit`` decimals that every database stores exactly (and the column holds)."""
    whole_digits = min(MAX_SIGNIFICANT_DIGITS - minor_unit, MONEY_DIGITS["max_digits"] - MONEY_DIGITS["decimal_places"])
    return Decimal(10) ** whole_digits - minor_unit_exponent(minor_unit)


def _amount_text(amount: Decimal, minor_unit: int) -> str:
    from django.utils import formats

    return formats.number_format(amount, minor_unit, use_l10n=True, force_grouping=True)


def too_many_digits_message(currency=None) -> str:
    if currency is None:
        return _("An amount can have at most %(digits)d digits, whole and decimal together.") % {
            "digits": MAX_SIGNIFICANT_DIGITS
        }
    return _("This amount is too large: the largest %(currency)s amount is %(largest)s.") % {
        "currency": currency.code,
        "largest": _amount_text(largest_amount(currency.minor_unit), currency.minor_unit),
    }


def validate_amount_digits(value) -> None:
    """Django validator for an amount whose currency is not known yet (form and API fields)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return
    if significant_digits(value) > MAX_SIGNIFICANT_DIGITS or abs(value) >= AMOUNT_CEILING:
        raise ValidationError(too_many_digits_message(), code=TOO_MANY_DIGITS)


def amount_error(amount, currency, *, whole_minor_units: bool = True) -> str | None:
    """Why ``amount`` cannot be taken in ``currency`` (too many decimals or digits), or None.

    ``whole_minor_units=False`` is for prices per unit, which may be finer than the currency's minor unit
    (0.125 USD a tablet): only the digits are checked.
    """
    if not isinstance(amount, Decimal) or not amount.is_finite() or currency is None:
        return None
    if whole_minor_units and amount != amount.quantize(minor_unit_exponent(currency.minor_unit)):
        return _("%(currency)s amounts have at most %(digits)d decimal places.") % {
            "currency": currency.code,
            "digits": currency.minor_unit,
        }
    if significant_digits(amount, currency.minor_unit) > MAX_SIGNIFICANT_DIGITS or abs(amount) >= AMOUNT_CEILING:
        return too_many_digits_message(currency)
    return None


def currency_problem(currency) -> str | None:
    """Why ``currency`` cannot be chosen for a new amount (it is no longer in use), or None."""
    if currency is not None and not currency.is_active:
        return _("This currency is no longer in use.")
    return None


def positive_amount_problem(amount, currency, not_positive: str) -> str | None:
    """Why ``amount`` cannot be taken in ``currency``: ``not_positive`` when it is zero or less, else too many
    decimals or digits (``amount_error``); None when it can."""
    if amount is not None and amount <= 0:
        return not_positive
    return amount_error(amount, currency)


def check_amount(amount, currency, field: str) -> None:
    """The services' check of an amount in its currency: its minor unit, and digits every database keeps."""
    message = amount_error(amount, currency)
    if message is not None:
        raise ValidationError({field: ValidationError(message, code=TOO_MANY_DIGITS)})


class AmountFormField(forms.DecimalField):
    """An amount typed into a form: the column's digits, and no more digits than every database stores."""

    default_validators = [validate_amount_digits]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", MONEY_DIGITS["max_digits"])
        kwargs.setdefault("decimal_places", MONEY_DIGITS["decimal_places"])
        super().__init__(**kwargs)


class AmountField(models.DecimalField):
    """A money column (``MONEY_DIGITS``); the services check the amount against its currency (``check_amount``)."""

    default_validators = [validate_amount_digits]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MONEY_DIGITS["max_digits"])
        kwargs.setdefault("decimal_places", MONEY_DIGITS["decimal_places"])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AmountFormField, **kwargs})


def amount_fits(field: str, *, name: str, nullable: bool = False) -> models.CheckConstraint:
    """The database's own refusal of an amount no currency may have (``AMOUNT_CEILING``), on SQLite too."""
    condition = models.Q(**{f"{field}__lt": AMOUNT_CEILING}) & models.Q(**{f"{field}__gt": -AMOUNT_CEILING})
    if nullable:
        condition = models.Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name)


def money_display(amount, currency) -> str:
    """An amount in its currency's minor unit, grouped the way the active language writes numbers."""
    return f"{currency.code} {number_format(amount, currency.minor_unit, use_l10n=True, force_grouping=True)}"
