"""Exchange rates over the API: staff only, the same checks as the pages, every bad input a 400 (never a 500)."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from cooperation.reference.models import ExchangeRate, FixedRate
from tests.api_errors import error_codes, error_fields
from tests.cooperation.reference.rates import rate

pytestmark = pytest.mark.django_db

RATES = "/api/v1/exchange-rates/"
MARCH_4 = datetime.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts(settings):
    cache.clear()
    settings.REPORTING_CURRENCY = "USD"


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def payload(**overrides) -> dict:
    data = {"on": "2026-03-04", "from_currency": "USD", "to_currency": "IDR", "rate": "16250.5", "source": "BI"}
    return data | overrides


def test_an_officer_enters_a_rate_and_reads_it_back(officer):
    response = as_user(officer).post(RATES, payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["on"], body["from_currency"], body["to_currency"], body["source"]) == (
        "2026-03-04",
        "USD",
        "IDR",
        "BI",
    )
    assert Decimal(body["rate"]) == Decimal("16250.5")
    assert body["created_by"] == officer.pk
    assert as_user(officer).get(f"{RATES}{body['id']}/").json()["id"] == body["id"]
    assert ExchangeRate.objects.get().created_by == officer


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"rate": "0"}, "rate", "rate_not_positive"),
        ({"rate": "-16250"}, "rate", "rate_not_positive"),
        ({"to_currency": "USD"}, "to_currency", "rate_same_currency"),
        ({"from_currency": "XYZ"}, "from_currency", "does_not_exist"),
        ({"rate": "1e400"}, "rate", "max_digits"),
        ({"rate": "99999999999999999999999"}, "rate", "max_digits"),
        ({"rate": "1234567.123456789"}, "rate", "rate_too_many_digits"),
        ({"rate": "NaN"}, "rate", "invalid"),
        ({"rate": "abc"}, "rate", "invalid"),
        ({"on": "9999-12-31"}, "on", "date_out_of_range"),
        ({"on": "2026-02-30"}, "on", "invalid"),
        ({"source": "x" * 201}, "source", "max_length"),
        ({"source": ""}, "source", "blank"),
    ],
)
def test_bad_input_is_refused_field_by_field(officer, changes, field, code):
    response = as_user(officer).post(RATES, payload(**changes), format="json")
    assert response.status_code == 400, response.content
    assert code in error_codes(response)[field]
    assert not ExchangeRate.objects.exists()


def test_a_second_rate_for_the_day_is_refused(officer):
    rate(MARCH_4, "USD", "IDR", "16000")
    response = as_user(officer).post(RATES, payload(), format="json")
    assert response.status_code == 400
    assert error_fields(response)["on"] == ["There is already a rate from USD to IDR on 4 March 2026."]


def test_the_list_filters_by_currency_and_date(officer):
    rate(MARCH_4, "USD", "IDR", "16250")
    rate(datetime.date(2026, 2, 1), "EUR", "USD", "1.08")
    api = as_user(officer)
    dates = [row["on"] for row in api.get(RATES, {"currency": "IDR"}).json()["results"]]
    assert dates == ["2026-03-04"]
    dates = [row["on"] for row in api.get(RATES, {"date_until": "2026-02-28"}).json()["results"]]
    assert dates == ["2026-02-01"]
    assert api.get(RATES, {"date_from": "not-a-date"}).status_code == 400


def test_partner_users_see_no_rate_and_enter_none(partner_user):
    entered = rate(MARCH_4, "USD", "IDR", "16250")
    api = as_user(partner_user)
    assert api.get(RATES).status_code == 403
    assert api.get(f"{RATES}{entered.pk}/").status_code == 404
    assert api.post(RATES, payload(on="2026-03-05"), format="json").status_code == 403
    assert api.get(f"{RATES}convert/", {"amount": "1", "currency": "IDR", "on": "2026-03-04"}).status_code == 403


def test_auditors_read_but_do_not_write(auditor):
    rate(MARCH_4, "USD", "IDR", "16250")
    api = as_user(auditor)
    assert api.get(RATES).status_code == 200
    assert api.post(RATES, payload(on="2026-03-05"), format="json").status_code == 403
    assert ExchangeRate.objects.count() == 1


def test_no_change_or_delete_through_the_api(officer):
    entered = rate(MARCH_4, "USD", "IDR", "16250")
    api = as_user(officer)
    assert api.patch(f"{RATES}{entered.pk}/", {"rate": "1"}, format="json").status_code == 405
    assert api.delete(f"{RATES}{entered.pk}/").status_code == 405


def test_convert_gives_the_value_in_the_reporting_currency_or_says_what_is_missing(officer):
    rate(datetime.date(2026, 3, 1), "USD", "IDR", "16000")
    api = as_user(officer)
    body = api.get(f"{RATES}convert/", {"amount": "1000000", "currency": "IDR", "on": "2026-03-04"}).json()
    assert body == {
        "amount": "62.50",
        "currency": "USD",
        "rate": "0.0000625",
        "rate_on": "2026-03-01",
        "missing": None,
    }
    assert FixedRate.objects.filter(currency="IDR", on=MARCH_4).exists()
    body = api.get(f"{RATES}convert/", {"amount": "10", "currency": "EUR", "on": "2026-03-04"}).json()
    assert body["amount"] is None and body["missing"] == "no rate for EUR on 4 March 2026"
    bad = api.get(f"{RATES}convert/", {"amount": "x", "currency": "QQQ", "on": "0000-00-00"})
    assert bad.status_code == 400 and set(error_codes(bad)) == {"amount", "currency", "on"}


def test_the_schema_documents_rates_and_conversions(officer):
    schema = as_user(officer).get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/exchange-rates/" in schema["paths"]
    assert "/api/v1/exchange-rates/convert/" in schema["paths"]
    converted = schema["components"]["schemas"]["Converted"]["properties"]
    assert {"amount", "currency", "rate", "rate_on", "missing"} <= set(converted)
