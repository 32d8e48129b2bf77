"""The discrepancy summary over the API: goods sent against goods counted on receipt, per currency and per unit,
over the received shipments the user may see (a partner user: those addressed to their organisation)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from programs.shipments import selectors
from programs.shipments.models import ShipmentStatus
from tests.factories import UserFactory, currency
from tests.programs.shipments.factories import (
    InKindProgrammeFactory,
    ReceiptFactory,
    ReceiptLineFactory,
    ShipmentFactory,
    ShipmentItemFactory,
)

pytestmark = pytest.mark.django_db

SUMMARY = "/api/v1/shipments/discrepancies/summary/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def counted(shipment, item, good, damaged=0, lost=0):
    receipt = shipment.receipts.first() or ReceiptFactory(shipment=shipment)
    reason = "Crushed in the hold" if damaged or lost else ""
    return ReceiptLineFactory(
        receipt=receipt, item=item, good=Decimal(good), damaged=Decimal(damaged), lost=Decimal(lost), reason=reason
    )


def item(shipment, quantity, unit_value, code="USD", unit="bag"):
    return ShipmentItemFactory(
        shipment=shipment,
        quantity=Decimal(quantity),
        unit_value=Decimal(unit_value),
        currency=currency(code),
        unit=unit,
    )


@pytest.fixture
def shipments(partner_org, other_org):
    """Two received shipments to the partner, one to another organisation, one of the partner's still at sea:

    - received: 100 bags at 20.00 USD (90 good, 6 damaged, 4 lost) and 50 cartons at 10.00 EUR (all good);
    - partly received: 200 bags at 5.00 USD (100 counted good so far) and 10 kg at 3.00 USD (not counted yet);
    - foreign: 10 bags at 100.00 USD, all lost;
    - at sea: 1,000 bags at 1.00 USD (not counted: not in the summary).
    """
    received = ShipmentFactory(consignee=partner_org, status=ShipmentStatus.RECEIVED)
    counted(received, item(received, 100, "20.00"), 90, damaged=6, lost=4)
    counted(received, item(received, 50, "10.00", "EUR", unit="carton"), 50)
    partly = ShipmentFactory(consignee=partner_org, status=ShipmentStatus.PARTIALLY_RECEIVED)
    counted(partly, item(partly, 200, "5.00"), 100)
    item(partly, 10, "3.00", unit="kg")
    foreign = ShipmentFactory(consignee=other_org, status=ShipmentStatus.RECEIVED)
    counted(foreign, item(foreign, 10, "100.00"), 0, lost=10)
    at_sea = ShipmentFactory(consignee=partner_org, status=ShipmentStatus.DISPATCHED)
    item(at_sea, 1000, "1.00")
    return {"received": received, "partly": partly, "foreign": foreign, "at_sea": at_sea}


def summary(api, **query) -> tuple[dict, dict]:
    response = api.get(SUMMARY, query)
    assert response.status_code == 200, response.content
    body = response.json()
    return {row["currency"]: row for row in body["by_currency"]}, {row["unit"]: row for row in body["by_unit"]}


def test_the_summary_sets_goods_sent_against_goods_counted(officer, shipments):
    currencies, units = summary(as_user(officer))

    assert currencies["USD"] == {
        "currency": "USD",
        "sent": "4030.00",  # 2,000 + 1,000 + 30 + 1,000: not the shipment at sea
        "received": "2300.00",  # 1,800 + 500
        "damaged": "120.00",
        "lost": "1080.00",  # 80 + 1,000
        "not_good": "1200.00",
        "rate": "29.78",  # 1,200 ÷ 4,030
        "discrepancy_lines": 2,
        "shipments": 3,
        "shipments_with_discrepancy": 2,
    }
    assert currencies["EUR"] == {
        "currency": "EUR",
        "sent": "500.00",
        "received": "500.00",
        "damaged": "0.00",
        "lost": "0.00",
        "not_good": "0.00",
        "rate": "0.00",
        "discrepancy_lines": 0,
        "shipments": 1,
        "shipments_with_discrepancy": 0,
    }
    assert units["bag"] == {
        "unit": "bag",
        "sent": "310.000",
        "received": "190.000",
        "damaged": "6.000",
        "lost": "14.000",
        "rate": "6.45",  # 20 ÷ 310
        "discrepancy_lines": 2,
    }
    assert (units["kg"]["sent"], units["kg"]["received"], units["kg"]["rate"]) == ("10.000", "0.000", "0.00")
    assert list(units) == ["bag", "carton", "kg"]


def test_a_partner_user_sees_the_goods_sent_to_their_organisation_only(partner_user, shipments):
    currencies, units = summary(as_user(partner_user))

    usd = currencies["USD"]
    assert (usd["sent"], usd["received"], usd["lost"], usd["not_good"]) == ("3030.00", "2300.00", "80.00", "200.00")
    assert (usd["rate"], usd["discrepancy_lines"], usd["shipments"]) == ("6.60", 1, 2)
    assert (units["bag"]["sent"], units["bag"]["lost"]) == ("300.000", "4.000")


def test_the_rate_is_the_one_the_dashboard_shows(manager, shipments):
    currencies, _units = summary(as_user(manager))

    rates = selectors.shipment_dashboard(user=manager).discrepancy_rates
    assert {rate.currency.code: str(rate.percent) for rate in rates} == {
        code: row["rate"] for code, row in currencies.items()
    }
    totals = {total.currency.code: str(total.amount) for total in selectors.discrepancy_totals(user=manager)}
    assert totals == {code: row["not_good"] for code, row in currencies.items() if row["discrepancy_lines"]}


def test_the_summary_narrows_to_a_programme_or_a_consignee(officer, partner_user, shipments, other_org):
    programme = InKindProgrammeFactory()
    shipments["partly"].programme = programme
    shipments["partly"].save(update_fields=["programme"])

    currencies, units = summary(as_user(officer), programme=programme.pk)
    assert (list(currencies), currencies["USD"]["sent"], list(units)) == (["USD"], "1030.00", ["bag", "kg"])
    currencies, _units = summary(as_user(officer), consignee=other_org.pk)
    assert currencies["USD"]["sent"] == "1000.00"
    assert summary(as_user(partner_user), consignee=other_org.pk) == ({}, {})


def test_a_bad_filter_is_refused_next_to_its_parameter(officer):
    response = as_user(officer).get(SUMMARY, {"programme": "abc"})

    assert response.status_code == 400
    assert [error["attr"] for error in response.json()["errors"]] == ["programme"]


def test_the_summary_needs_the_receipt_permission(db):
    assert as_user(UserFactory(username="nobody")).get(SUMMARY).status_code == 403
    assert APIClient().get(SUMMARY).status_code in (401, 403)


def test_the_summary_url_is_named():
    assert reverse("api:shipment-discrepancy-summary") == SUMMARY


def test_summary_queries_stay_flat(officer, partner_org):
    api = as_user(officer)
    api.get(SUMMARY)  # loads the user's permissions

    def received(count):
        for index in range(count):
            shipment = ShipmentFactory(consignee=partner_org, status=ShipmentStatus.RECEIVED)
            counted(shipment, item(shipment, 10, "2.00", "EUR" if index % 2 else "USD", unit=f"unit {index}"), 9, 1)

    received(2)
    with CaptureQueriesContext(connection) as few:
        api.get(SUMMARY)
    received(8)
    with CaptureQueriesContext(connection) as many:
        currencies, units = summary(api)
    assert (currencies["USD"]["shipments"] + currencies["EUR"]["shipments"], len(units)) == (10, 8)
    assert len(many.captured_queries) == len(few.captured_queries)
