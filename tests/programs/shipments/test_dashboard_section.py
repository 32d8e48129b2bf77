"""The dashboard's shipments section: the numbers a manager reads match a scenario worked out by hand, values stay
per currency, numbers follow the language, and the section costs the same queries for 3 shipments as for 30."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.shipments.models import ShipmentStatus
from tests.factories import country, currency
from tests.programs.shipments.factories import (
    ReceiptLineFactory,
    ShipmentFactory,
    ShipmentItemFactory,
    add_item,
    arrived_shipment,
    confirm,
    consignee_user,
    days_ago,
    dispatched_shipment,
    draft_shipment,
)

pytestmark = pytest.mark.django_db

S = ShipmentStatus


def _late(**fields):
    """Dates for a shipment expected ten days ago and dispatched fifteen days ago."""
    return {"planned_dispatch": days_ago(20), "expected_arrival": days_ago(10)} | fields


@pytest.fixture
def scenario(officer):
    """Worked out by hand:

    A  received, on time, to Timor-Leste: 2 × 100 bags at USD 20 (USD 4,000 sent); 10 bags damaged →
       USD 200 not good, 5.00 %; USD 3,800 delivered in good condition.
    B  arrived late (expected 10 days ago, arrived 2 days ago), not counted.
    F  received late, to Indonesia: 10 units at IDR 50,000, all good → IDR 500,000 delivered, 0.00 %.
    C  dispatched, expected 3 days ago: delayed 3 days; 100 bags at USD 20 in transit.
    D  dispatched, on schedule: 10 generators at IDR 150,000 in transit.
    G  a draft.
    Arrivals: A on time, B and F late → 1 of 3 on time, 33.33 %.
    """
    a = arrived_shipment(draft_shipment(created_by=officer, items=2))
    partner = consignee_user(a.consignee)
    first, second = a.items.order_by("pk")
    confirm(a, partner, {first: (90, 10, 0), second: (100, 0, 0)}, reason="Bags torn")

    b = arrived_shipment(
        draft_shipment(created_by=officer, **_late()), dispatched_on=days_ago(15), arrived_on=days_ago(2)
    )

    f = draft_shipment(created_by=officer, items=0, destination_country=country("ID"), **_late())
    add_item(f, officer, unit="unit", quantity=Decimal("10"), unit_value=Decimal("50000"), currency=currency("IDR"))
    f = dispatched_shipment(f, dispatched_on=days_ago(15))
    confirm(f, consignee_user(f.consignee), {f.items.get(): (10, 0, 0)}, received_on=days_ago(2))

    c = dispatched_shipment(
        draft_shipment(created_by=officer, planned_dispatch=days_ago(20), expected_arrival=days_ago(3)),
        dispatched_on=days_ago(15),
    )

    d = draft_shipment(created_by=officer, items=0)
    add_item(
        d,
        officer,
        description="Generators",
        unit="piece",
        quantity=Decimal("10"),
        unit_value=Decimal("150000"),
        currency=currency("IDR"),
    )
    d = dispatched_shipment(d)

    g = draft_shipment(created_by=officer)
    return {"A": a, "B": b, "C": c, "D": d, "F": f, "G": g}


def _dashboard(client, user, **headers):
    client.force_login(user)
    response = client.get(reverse("reporting:dashboard"), **headers)
    assert response.status_code == 200
    return response


def _section(html: str) -> str:
    return html.split('id="shipments"', 1)[1].split('id="updates-heading"', 1)[0]


def test_the_section_shows_the_hand_worked_numbers(client, manager, scenario):
    response = _dashboard(client, manager)
    html = _section(response.content.decode())

    assert '<p class="stat" id="stat-shipments">6</p>' in html
    # Status counts, as a chart and as its table.
    assert '<title id="chart-shipment-status-title">Shipments by status</title>' in html
    assert '<td data-label="Status">Received</td><td class="num" data-label="Shipments">2</td>' in html
    assert '<td data-label="Status">Dispatched</td><td class="num" data-label="Shipments">2</td>' in html
    assert '<td data-label="Status">Arrived</td><td class="num" data-label="Shipments">1</td>' in html
    assert '<td data-label="Status">Draft</td><td class="num" data-label="Shipments">1</td>' in html
    # In transit: two shipments, their value per currency.
    assert '<p class="stat" id="stat-in-transit">2</p>' in html
    in_transit = html.split('id="shipments-in-transit"', 1)[1].split("</section>", 1)[0]
    assert "USD 2,000.00" in in_transit and "IDR 1,500,000.00" in in_transit
    # Discrepancy rate per currency, by value.
    assert '<td class="num" data-label="Rate" data-discrepancy="USD">5.00%</td>' in html
    assert '<td class="num" data-label="Rate" data-discrepancy="IDR">0.00%</td>' in html
    assert "USD 4,000.00" in html and "USD 200.00" in html
    # On-time arrivals.
    assert '<p class="stat" id="stat-on-time">33.33%</p>' in html
    assert "1 of 3 arrivals on or before the expected date" in html
    # Delivered value by destination country, one table per currency.
    usd = html.split('id="delivered-usd"', 1)[1].split("</table>", 1)[0]
    idr = html.split('id="delivered-idr"', 1)[1].split("</table>", 1)[0]
    assert "Timor-Leste" in usd and "USD 3,800.00" in usd and "Indonesia" not in usd
    assert "Indonesia" in idr and "IDR 500,000.00" in idr and "Timor-Leste" not in idr
    # Delayed shipments: the count and the longest delayed, linked to the officer's page.
    assert '<p class="stat" id="stat-delayed">1</p>' in html
    delayed = html.split('id="shipments-delayed"', 1)[1]
    assert f'<a href="{reverse("shipments:detail", args=[scenario["C"].pk])}">{scenario["C"].waybill}</a>' in delayed
    assert '<td class="num" data-label="Days late">3</td>' in delayed
    assert scenario["B"].waybill not in delayed


def test_numbers_follow_the_language(client, manager, scenario):
    html = _section(_dashboard(client, manager, HTTP_ACCEPT_LANGUAGE="id").content.decode())
    assert "USD 3.800,00" in html
    assert "IDR 1.500.000,00" in html
    assert "5,00%" in html
    assert "33,33%" in html


def test_auditors_see_the_section(client, auditor, scenario):
    response = _dashboard(client, auditor)
    assert response.context["shipments"]["figures"].delayed_count == 1
    assert 'id="stat-delayed"' in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["officer", "partner_user"])
def test_officers_and_partners_do_not_get_the_dashboard(client, request, user_fixture, scenario):
    client.force_login(request.getfixturevalue(user_fixture))
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 403
    assert "Shipments by status" not in response.content.decode()


def test_without_shipments_the_section_says_so_and_draws_no_chart(client, manager):
    html = _dashboard(client, manager).content.decode()
    assert "No shipments to show." in html
    assert "chart-shipment-status" not in html


def _shipments(count, offset=0):
    """``count`` shipments in a mix of statuses, currencies and destinations, some delayed, some counted."""
    # Even the first three cover every query: something counted, something delayed.
    statuses = [S.RECEIVED, S.DISPATCHED, S.IN_TRANSIT, S.ARRIVED, S.PARTIALLY_RECEIVED, S.DRAFT]
    for index in range(offset, offset + count):
        status = statuses[index % len(statuses)]
        fields = {"status": status, "destination_country": country(("TL", "ID", "PH")[index % 3])}
        if status in (S.DISPATCHED, S.IN_TRANSIT):
            fields |= {
                "planned_dispatch": days_ago(30),
                "expected_arrival": days_ago(index % 4),
                "dispatched_on": days_ago(25),
            }
        if status in (S.ARRIVED, S.PARTIALLY_RECEIVED, S.RECEIVED):
            fields |= {"dispatched_on": days_ago(9), "arrived_on": days_ago(index % 3)}
        shipment = ShipmentFactory(**fields)
        item = ShipmentItemFactory(shipment=shipment, currency=currency(("USD", "IDR", "EUR")[index % 3]))
        if status in (S.PARTIALLY_RECEIVED, S.RECEIVED):
            ReceiptLineFactory(receipt__shipment=shipment, item=item, good=90, damaged=5, lost=0, reason="Wet")


def test_dashboard_query_count_is_the_same_for_3_and_30_shipments(client, manager):
    client.force_login(manager)
    _shipments(3)
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse("reporting:dashboard"))
    assert response.context["shipments"]["total"] == 3
    _shipments(27, offset=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reporting:dashboard"))

    assert response.context["shipments"]["total"] == 30
    assert len(response.context["shipments"]["delayed"]) == 5
    assert len(many.captured_queries) == len(few.captured_queries)
