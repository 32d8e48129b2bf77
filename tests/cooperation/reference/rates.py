"""Exchange rates for the tests: one entered rate, by the officer who entered it."""

import datetime
from decimal import Decimal

import factory

from cooperation.reference.models import ExchangeRate
from tests.factories import UserFactory, currency


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeRate

    on = datetime.date(2026, 3, 1)
    from_currency = factory.LazyFunction(lambda: currency("IDR"))
    to_currency = factory.LazyFunction(lambda: currency("USD"))
    rate = Decimal("0.0000625")
    source = "Bank Indonesia"
    created_by = factory.LazyFunction(lambda: UserFactory(username="rate-keeper"))


def rate(on, source: str, target: str, value: str) -> ExchangeRate:
    return ExchangeRateFactory(on=on, from_currency=currency(source), to_currency=currency(target), rate=Decimal(value))
