"""The exchange-rate pages: who may see and enter rates, what the list shows, a rate entered and corrected."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation import exchange
from cooperation.reference.models import ExchangeRate
from tests.cooperation.reference.rates import rate

pytestmark = pytest.mark.django_db

MARCH_4 = datetime.date(2026, 3, 4)


def rate_post(**overrides) -> dict:
    data = {"on": "2026-03-04", "from_currency": "USD", "to_currency": "IDR", "rate": "16250.5", "source": "BI"}
    return data | overrides


@pytest.mark.parametrize("name", ["rates:list", "rates:create", "rates:import"])
def test_a_partner_user_is_refused_every_rate_page(client, partner_user, name):
    client.force_login(partner_user)
    assert client.get(reverse(name)).status_code == 403


def test_a_partner_user_cannot_learn_whether_a_rate_exists(client, partner_user):
    entered = rate(MARCH_4, "USD", "IDR", "16250")
    client.force_login(partner_user)
    assert client.get(reverse("rates:edit", args=[entered.pk])).status_code == 404


def test_the_auditor_reads_the_rates_but_enters_none(client, auditor):
    entered = rate(MARCH_4, "USD", "IDR", "16250.5")
    client.force_login(auditor)
    page = client.get(reverse("rates:list"))
    assert page.status_code == 200
    assert "16,250.5" in page.text and "New rate" not in page.text and "Correct" not in page.text
    assert client.get(reverse("rates:create")).status_code == 403
    assert client.post(reverse("rates:create"), rate_post()).status_code == 403
    assert client.get(reverse("rates:import")).status_code == 403
    assert client.post(reverse("rates:edit", args=[entered.pk]), {"rate": "1", "source": "x"}).status_code == 403
    assert ExchangeRate.objects.get().rate == Decimal("16250.5")


def test_the_list_filters_by_currency_and_dates(client, officer):
    rate(MARCH_4, "USD", "IDR", "16250")
    rate(datetime.date(2026, 2, 1), "EUR", "USD", "1.0875")
    rate(datetime.date(2026, 1, 5), "USD", "IDR", "15990")
    client.force_login(officer)
    page = client.get(reverse("rates:list"), {"currency": "IDR", "date_from": "2026-02-01"})
    assert "16,250" in page.text and "1.0875" not in page.text and "15,990" not in page.text
    page = client.get(reverse("rates:list"), {"currency": "EUR"})
    assert "1.0875" in page.text and "16,250" not in page.text


def test_the_list_is_paginated(client, officer):
    for day in range(30):
        rate(datetime.date(2026, 1, 1) + datetime.timedelta(days=day), "USD", "IDR", "16000")
    client.force_login(officer)
    page = client.get(reverse("rates:list"))
    assert page.text.count('href="/rates/') >= 25
    assert "Page 1 of 2" in page.text


def test_an_officer_enters_a_rate(client, officer):
    client.force_login(officer)
    response = client.post(reverse("rates:create"), rate_post())
    assert response.status_code == 302
    saved = ExchangeRate.objects.get()
    assert (saved.on, saved.from_currency_id, saved.to_currency_id, saved.rate, saved.source, saved.created_by) == (
        MARCH_4,
        "USD",
        "IDR",
        Decimal("16250.5"),
        "BI",
        officer,
    )
    assert saved.history.get().history_user == officer


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rate": "0"}, "rate", "A rate is a number greater than zero."),
        ({"rate": "-3"}, "rate", "A rate is a number greater than zero."),
        ({"to_currency": "USD"}, "to_currency", "A rate converts between two different currencies."),
        ({"rate": "12345678901"}, "rate", "Ensure that there are no more than"),
        ({"rate": "1234567.123456789"}, "rate", "15 in all"),
        ({"from_currency": "XYZ"}, "from_currency", "Select a valid choice"),
        ({"on": "2999-01-01"}, "on", "Enter a date between"),
        ({"source": "  "}, "source", "This field is required"),
    ],
)
def test_a_bad_rate_is_refused_next_to_its_field(client, officer, changes, field, message):
    client.force_login(officer)
    response = client.post(reverse("rates:create"), rate_post(**changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ExchangeRate.objects.exists()


def test_a_second_rate_for_the_same_day_and_currencies_is_refused(client, officer):
    rate(MARCH_4, "USD", "IDR", "16250")
    client.force_login(officer)
    response = client.post(reverse("rates:create"), rate_post(rate="16300"))
    assert "There is already a rate from USD to IDR on 4 March 2026." in response.text
    assert ExchangeRate.objects.get().rate == Decimal("16250")


def test_a_correction_leaves_money_events_already_converted_alone(client, officer):
    entered = rate(MARCH_4, "EUR", "USD", "1.10")
    assert exchange.convert(Decimal("100"), "EUR", MARCH_4).amount == Decimal("110.00")
    client.force_login(officer)
    page = client.get(reverse("rates:edit", args=[entered.pk]))
    assert "keep the rate they were converted at" in page.text
    response = client.post(reverse("rates:edit", args=[entered.pk]), {"rate": "1.2", "source": "ECB"})
    assert response.status_code == 302
    entered.refresh_from_db()
    assert (entered.rate, entered.source) == (Decimal("1.2"), "ECB")
    assert exchange.convert(Decimal("100"), "EUR", MARCH_4).amount == Decimal("110.00")
    assert exchange.convert(Decimal("100"), "EUR", datetime.date(2026, 3, 5)).amount == Decimal("120.00")
    assert entered.history.count() == 2


def test_the_total_include_shows_each_currency_the_total_rate_dates_and_what_is_missing():
    from django.template.loader import render_to_string

    rate(datetime.date(2026, 3, 1), "USD", "IDR", "16000")
    total = exchange.total(
        [(Decimal("1600000"), "IDR", MARCH_4), (Decimal("20"), "USD", MARCH_4), (Decimal("5"), "EUR", MARCH_4)]
    )
    html = render_to_string("reference/_total.html", {"total": total})
    assert "IDR 1,600,000.00" in html and "USD 20.00" in html and "EUR 5.00" in html
    assert "USD 120.00" in html  # 100 + 20, the euros left out
    assert "rates of IDR 1 March 2026" in html
    assert "no rate for EUR on 4 March 2026" in html
    assert "USD 0" not in html
