"""The demonstration rates: weekly rates that convert the demo's money events, loaded once."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from cooperation import exchange
from cooperation.reference import demo
from cooperation.reference.models import ExchangeRate

pytestmark = pytest.mark.django_db


def test_the_demo_rates_convert_recent_events_load_once_and_leave_one_currency_missing(officer, settings):
    settings.REPORTING_CURRENCY = "USD"
    today = datetime.date.today()
    run = SimpleNamespace(today=today, users={"officer": officer})
    demo.load(run=run)
    count = ExchangeRate.objects.count()
    assert count == 4 * demo.WEEKS - 9
    assert demo.load(run=run) == "exchange rates: already there"
    assert ExchangeRate.objects.count() == count
    assert exchange.convert(Decimal("1000000"), "IDR", today).amount is not None
    assert exchange.convert(Decimal("100"), "EUR", today - datetime.timedelta(days=400)).amount is not None
    assert exchange.convert(Decimal("100"), "AUD", today).missing.startswith("no rate for AUD on")
