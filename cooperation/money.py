"""Money is a Decimal and an ISO 4217 currency; amounts respect the currency's minor unit."""

from decimal import ROUND_HALF_EVEN, Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _


def minor_unit_exponent(minor_unit: int) -> Decimal:
    return Decimal(1).scaleb(-minor_unit)


def quantize(amount: Decimal, currency) -> Decimal:
    """Round to the currency's minor unit with banker's rounding."""
    return amount.quantize(minor_unit_exponent(currency.minor_unit), rounding=ROUND_HALF_EVEN)


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


def money_display(amount, currency) -> str:
    """An amount in its currency's minor unit, grouped the way the active language writes numbers."""
    return f"{currency.code} {number_format(amount, currency.minor_unit, use_l10n=True, force_grouping=True)}"
