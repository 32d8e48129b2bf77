"""The ``money`` filter writes an amount in its currency's minor unit, rounded half up and grouped by thousands the
way the active language writes numbers, whatever the amount (the way Django's ``floatformat:"2g"`` does)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from cooperation.templatetags.kerjasama import money

USD = SimpleNamespace(code="USD", minor_unit=2)
JPY = SimpleNamespace(code="JPY", minor_unit=0)
KWD = SimpleNamespace(code="KWD", minor_unit=3)


@pytest.mark.parametrize(
    ("language", "amount", "currency", "shown"),
    [
        ("en", Decimal("1234567.8950"), USD, "USD 1,234,567.90"),
        ("id", Decimal("1234567.8950"), USD, "USD 1.234.567,90"),
        ("en", Decimal("-1234.5"), USD, "USD -1,234.50"),
        ("en", Decimal("0.005"), USD, "USD 0.01"),  # half up, not to even
        ("en", Decimal("2.675"), USD, "USD 2.68"),
        ("en", Decimal("-0.004"), USD, "USD 0.00"),  # no "-0.00"
        ("en", Decimal("-0.00"), USD, "USD 0.00"),
        ("en", Decimal("1234.5"), JPY, "JPY 1,235"),
        ("id", Decimal("1234.5"), JPY, "JPY 1.235"),
        ("en", Decimal("1E+3"), KWD, "KWD 1,000.000"),
        ("en", 1500, USD, "USD 1,500.00"),
        ("en", "12.5", USD, "USD 12.50"),
        ("en", Decimal(10) ** 20, USD, "USD 100,000,000,000,000,000,000.00"),
        ("en", None, USD, "—"),
        ("en", Decimal("12.5"), None, "12.50"),
        ("en", Decimal("12.5"), "EUR", "EUR 12.50"),
    ],
)
def test_money_is_rounded_half_up_and_grouped_in_the_active_language(language, amount, currency, shown):
    with translation.override(language):
        assert money(amount, currency) == shown


@pytest.mark.parametrize("language", ["en", "id"])
def test_money_writes_every_amount_as_floatformat_does(language):
    amounts = [
        Decimal(f"{sign}{digits}E-{places}")
        for sign in ("", "-")
        for digits in (1, 5, 994999, 123456789012345678)
        for places in range(8)
    ]
    with translation.override(language):
        for currency in (USD, JPY, KWD):
            for amount in amounts:
                assert money(amount, currency) == f"{currency.code} {floatformat(amount, f'{currency.minor_unit}g')}"
