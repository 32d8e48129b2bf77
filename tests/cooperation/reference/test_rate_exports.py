"""The exchange-rate list as a spreadsheet: the rates the page lists, latest day first, with its filters."""

import datetime

import pytest
from django.urls import reverse

from cooperation.reference.models import ExchangeRate
from tests.cooperation.reference.rates import rate
from tests.sheets import export_queries, export_url, records

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(db):
    rate(datetime.date(2026, 3, 4), "USD", "IDR", "16250.5")
    rate(datetime.date(2026, 3, 1), "EUR", "USD", "1.0825")
    rate(datetime.date(2026, 3, 2), "JPY", "IDR", "108.75")


def test_rates_latest_first_with_the_rate_as_a_number(client, officer, rates):
    client.force_login(officer)

    rows = records(client.get(export_url("reference.exchange_rates")))

    assert list(rows[0])[:4] == ["Date", "From", "To", "Rate"]
    assert [(row["From"], row["To"]) for row in rows] == [("USD", "IDR"), ("JPY", "IDR"), ("EUR", "USD")]
    assert rows[0]["Date"] == datetime.datetime(2026, 3, 4)
    assert rows[0]["Rate"] == 16250.5 and rows[2]["Rate"] == 1.0825
    keeper = ExchangeRate.objects.first().created_by
    assert rows[0]["Source"] == "Bank Indonesia" and rows[0]["Entered by"] == keeper.get_full_name()


def test_rate_export_follows_the_page_filters(client, manager, rates):
    client.force_login(manager)

    def exported(**query):
        return [row["From"] for row in records(client.get(export_url("reference.exchange_rates", **query)))]

    def listed(**query):
        return [r.from_currency_id for r in client.get(reverse("rates:list"), query).context["rates"]]

    assert exported(currency="IDR") == listed(currency="IDR") == ["USD", "JPY"]
    assert exported(date_from="2026-03-02", date_until="2026-03-03") == ["JPY"]
    html = client.get(reverse("rates:list"), {"currency": "IDR"}).content.decode()
    assert f'href="{export_url("reference.exchange_rates", "xlsx", currency="IDR")}"' in html


def test_auditors_export_rates_and_partner_users_may_not(client, auditor, partner_user, rates):
    client.force_login(auditor)
    assert len(records(client.get(export_url("reference.exchange_rates")))) == 3

    client.force_login(partner_user)
    assert client.get(export_url("reference.exchange_rates")).status_code == 403


def test_rate_export_queries_do_not_grow_with_the_rows(client, officer):
    client.force_login(officer)

    def queries_with(count):
        while ExchangeRate.objects.count() < count:
            day = datetime.date(2026, 1, 1) + datetime.timedelta(days=ExchangeRate.objects.count())
            rate(day, "USD", "IDR", "16000")
        return export_queries(client, export_url("reference.exchange_rates"))

    assert queries_with(2) == queries_with(8)
