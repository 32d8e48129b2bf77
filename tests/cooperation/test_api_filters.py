"""Id filters of every API list: a number the database cannot hold is the client's mistake (400), never a 500."""

import pytest

from tests.api_errors import error_fields

pytestmark = pytest.mark.django_db

HUGE = "9" * 30

ID_FILTERS = [
    ("/api/v1/participations/", "programme"),
    ("/api/v1/participations/", "organisation"),
    ("/api/v1/programme-updates/", "programme"),
    ("/api/v1/loans/", "borrower"),
    ("/api/v1/loans/", "programme"),
    ("/api/v1/repayments/", "loan"),
    ("/api/v1/grants/", "recipient"),
    ("/api/v1/tranches/", "grant"),
    ("/api/v1/shipment-items/", "shipment"),
    ("/api/v1/tracking-events/", "shipment"),
    ("/api/v1/receipts/", "shipment"),
    ("/api/v1/scholarship-reviews/", "reviewer"),
    ("/api/v1/stipend-tranches/", "application"),
]


@pytest.mark.parametrize(("url", "name"), ID_FILTERS)
def test_an_id_too_large_for_the_database_is_a_400_naming_the_filter(client, officer, url, name):
    client.force_login(officer)
    response = client.get(url, {name: HUGE})
    assert response.status_code == 400
    assert name in error_fields(response)


@pytest.mark.parametrize(("url", "name"), ID_FILTERS)
def test_an_ordinary_id_filters_as_before(client, officer, url, name):
    client.force_login(officer)
    response = client.get(url, {name: "1"})
    assert response.status_code == 200
