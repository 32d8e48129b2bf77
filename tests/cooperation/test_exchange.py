"""Converting money events into the reporting currency at the rate of their own date, fixed once."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cooperation import exchange
from cooperation.reference.models import FixedRate
from tests.cooperation.reference.rates import rate

pytestmark = pytest.mark.django_db

MARCH_4 = datetime.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _reporting_in_dollars(settings):
    settings.REPORTING_CURRENCY = "USD"
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 31


def test_a_direct_rate_converts_and_rounds_half_to_even():
    rate(MARCH_4, "EUR", "USD", "1.085")
    # 10.50 EUR x 1.085 = 11.3925 -> 11.39; 10.30 x 1.085 = 11.1755 -> 11.18; 1.50 x 1.085 = 1.6275 -> 1.63 (even)
    assert exchange.convert(Decimal("10.50"), "EUR", MARCH_4).amount == Decimal("11.39")
    assert exchange.convert(Decimal("10.30"), "EUR", MARCH_4).amount == Decimal("11.18")
    rate(MARCH_4, "GBP", "USD", "1.25")
    # 0.10 GBP x 1.25 = 0.125 -> 0.12 (banker's rounding to the even cent)
    assert exchange.convert(Decimal("0.10"), "GBP", MARCH_4).amount == Decimal("0.12")


def test_a_rate_entered_the_other_way_round_converts_by_its_inverse():
    rate(MARCH_4, "USD", "IDR", "16000")
    converted = exchange.convert(Decimal("1000000"), "IDR", MARCH_4)
    assert converted.amount == Decimal("62.50")
    assert converted.rate == Decimal("0.0000625")
    assert converted.rate_on == MARCH_4


def test_into_a_currency_without_minor_unit_rounds_to_whole_units(settings):
    settings.REPORTING_CURRENCY = "JPY"
    rate(MARCH_4, "USD", "JPY", "149.5")
    # 10.01 USD x 149.5 = 1,496.495 JPY -> 1,496
    assert exchange.convert(Decimal("10.01"), "USD", MARCH_4).amount == Decimal("1496")


def test_the_reporting_currency_itself_converts_at_one():
    converted = exchange.convert(Decimal("12.34"), "USD", MARCH_4)
    assert (converted.amount, converted.rate, converted.missing) == (Decimal("12.34"), Decimal(1), None)
    assert not FixedRate.objects.exists()


def test_the_latest_earlier_rate_within_the_maximum_age_applies():
    rate(datetime.date(2026, 2, 1), "EUR", "USD", "1.05")
    rate(datetime.date(2026, 2, 20), "EUR", "USD", "1.10")
    rate(datetime.date(2026, 3, 10), "EUR", "USD", "1.20")  # after the event: not used
    converted = exchange.convert(Decimal("100"), "EUR", MARCH_4)
    assert (converted.amount, converted.rate_on) == (Decimal("110.00"), datetime.date(2026, 2, 20))


def test_a_rate_older_than_the_maximum_age_is_missing(settings):
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 10
    rate(datetime.date(2026, 2, 20), "EUR", "USD", "1.10")  # 12 days before
    converted = exchange.convert(Decimal("100"), "EUR", MARCH_4)
    assert converted.amount is None
    assert converted.missing == "no rate for EUR on 4 March 2026"


def test_a_missing_rate_is_named_in_the_users_language_and_never_zero():
    with translation.override("id"):
        converted = exchange.convert(Decimal("100"), "EUR", MARCH_4)
    assert converted.amount is None
    assert "EUR" in converted.missing and "4 Maret 2026" in converted.missing
    assert not FixedRate.objects.exists()


def test_the_rate_stays_fixed_after_a_closer_rate_is_entered():
    rate(datetime.date(2026, 3, 1), "EUR", "USD", "1.10")
    first = exchange.convert(Decimal("100"), "EUR", MARCH_4)
    rate(MARCH_4, "EUR", "USD", "1.30")  # the rate of the very day, entered later
    again = exchange.convert(Decimal("100"), "EUR", MARCH_4)
    assert first.amount == again.amount == Decimal("110.00")
    assert again.rate_on == datetime.date(2026, 3, 1)
    assert exchange.total([(Decimal("100"), "EUR", MARCH_4)]).reporting == Decimal("110.00")
    # A date never converted before takes the new rate.
    assert exchange.convert(Decimal("100"), "EUR", datetime.date(2026, 3, 5)).amount == Decimal("130.00")


def test_a_future_date_is_converted_but_not_fixed():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    rate(datetime.date.today(), "EUR", "USD", "1.10")
    assert exchange.convert(Decimal("10"), "EUR", tomorrow).amount == Decimal("11.00")
    assert not FixedRate.objects.filter(on=tomorrow).exists()


def test_total_sums_per_currency_and_names_what_is_missing():
    rate(datetime.date(2026, 3, 1), "EUR", "USD", "1.10")
    rate(datetime.date(2026, 3, 2), "USD", "IDR", "16000")
    result = exchange.total(
        [
            (Decimal("100"), "EUR", MARCH_4),
            (Decimal("50"), "USD", MARCH_4),
            (Decimal("1600000"), "IDR", MARCH_4),
            (Decimal("200"), "GBP", MARCH_4),
        ]
    )
    assert result.per_currency == {
        "EUR": Decimal("100"),
        "GBP": Decimal("200"),
        "IDR": Decimal("1600000"),
        "USD": Decimal("50"),
    }
    assert list(result.per_currency) == ["EUR", "GBP", "IDR", "USD"]
    assert result.reporting == Decimal("260.00")  # 110 + 50 + 100; the pounds are not counted as zero
    assert result.missing == ["no rate for GBP on 4 March 2026"]
    assert not result.complete
    assert result.rate_dates == [("EUR", datetime.date(2026, 3, 1)), ("IDR", datetime.date(2026, 3, 2))]


def _rows(count: int) -> list:
    start = datetime.date(2026, 1, 1)
    return [
        (Decimal("10"), code, start + datetime.timedelta(days=day))
        for day in range(count // 3 + 1)
        for code in ("EUR", "IDR", "GBP")
    ][:count]


def _queries_of_total(rows) -> int:
    with CaptureQueriesContext(connection) as queries:
        exchange.total(rows)
    return len(queries)


def test_total_needs_the_same_few_queries_for_one_row_or_three_hundred():
    for day in range(0, 130, 20):
        rate(datetime.date(2026, 1, 1) + datetime.timedelta(days=day), "EUR", "USD", "1.1")
        rate(datetime.date(2026, 1, 1) + datetime.timedelta(days=day), "USD", "IDR", "16000")
    one = _queries_of_total(_rows(1))
    many = _queries_of_total(_rows(300))
    assert many == one <= 6
    # Once fixed, a second run only reads.
    assert _queries_of_total(_rows(300)) <= 3
    assert FixedRate.objects.filter(currency="EUR").count() == 100


@pytest.mark.parametrize("named_days", [0, exchange.NAMED_DAYS])
def test_fixed_rates_read_over_their_span_or_day_by_day_give_the_same_total(monkeypatch, named_days):
    for day in range(0, 130, 20):
        rate(datetime.date(2026, 1, 1) + datetime.timedelta(days=day), "EUR", "USD", "1.1")
    first = exchange.total(_rows(300))  # fixes every rate, read back as stored
    monkeypatch.setattr(exchange, "NAMED_DAYS", named_days)
    rate(datetime.date(2026, 1, 2), "EUR", "USD", "2")  # a closer rate entered later changes nothing fixed
    again = exchange.total(_rows(300))
    assert (again.reporting, again.missing, again.rate_dates) == (first.reporting, first.missing, first.rate_dates)
    assert again.reporting == Decimal("1100.00")  # 100 days of 10 EUR at 1.1; the rupiahs and pounds have no rate


def test_a_total_shows_its_first_missing_rates_and_counts_the_others():
    for day in range(1, 8):
        rate(datetime.date(2026, 3, day), "EUR", "USD", "1.10")
    eight_days = [datetime.date(2026, 3, day) for day in range(1, 9)]
    total = exchange.total(
        [(Decimal("10"), "EUR", day) for day in eight_days] + [(Decimal("10"), "GBP", day) for day in eight_days[:5]]
    )

    with translation.override("en"):
        html = render_to_string("reference/_total.html", {"total": total})

    assert "rates of 7 dates" in html  # not each of them
    assert html.count("<li>no rate for GBP on") == 3
    assert "no rate for GBP on 3 March 2026" in html and "on 4 March 2026" not in html
    assert "and 2 more dates without a rate" in html
