"""The shipment list and its API at scale: pages read their rows first and the figures of those rows alone, so a
page costs the same queries however many shipments there are, and the last page shows the same figures as the
first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.pagination import PageNumberPagination

from programs.shipments.models import Shipment, ShipmentStatus
from tests.programs.shipments.factories import days_ago, draft_shipment

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/shipments/",
        "/api/v1/shipments/",
        "/shipments/?page=2",
        "/api/v1/shipments/?page=2",
        "/api/v1/shipment-items/?page=2",
    ],
)
def test_a_page_of_shipments_costs_the_same_queries_however_many_there_are(client, officer, monkeypatch, url):
    monkeypatch.setattr("cooperation.pages.PAGE_SIZE", 2)
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    for items in (1, 2, 3):
        draft_shipment(items=items)
    client.force_login(officer)
    client.get(url)
    few = _queries(client, url)
    for items in (2, 3, 1, 2):
        draft_shipment(items=items)
    assert _queries(client, url) == few


def test_every_page_shows_its_own_shipments_newest_first_with_their_figures(client, officer, monkeypatch):
    monkeypatch.setattr("cooperation.pages.PAGE_SIZE", 2)
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    oldest, middle, newest = (draft_shipment(items=items) for items in (1, 2, 3))
    Shipment.objects.filter(pk=oldest.pk).update(status=ShipmentStatus.IN_TRANSIT, expected_arrival=days_ago(3))
    client.force_login(officer)

    first = client.get(reverse("shipments:list")).context["shipments"]
    last = client.get(reverse("shipments:list"), {"page": 2}).context["shipments"]
    assert [(s.pk, s.item_count, s.is_delayed) for s in first] == [(newest.pk, 3, False), (middle.pk, 2, False)]
    assert [(s.pk, s.item_count, s.is_delayed, s.days_late) for s in last] == [(oldest.pk, 1, True, 3)]

    api = client.get("/api/v1/shipments/", {"page": 2}).json()
    assert api["count"] == 3
    assert [(row["id"], row["item_count"]) for row in api["results"]] == [(oldest.pk, 1)]
    items = client.get("/api/v1/shipment-items/", {"page": 3}).json()
    assert items["count"] == 6
    assert [(row["shipment"], row["remaining"]) for row in items["results"]] == [(newest.pk, "100.000")] * 2


def test_the_delay_filter_asks_the_database_without_the_figures(client, officer):
    late = draft_shipment()
    draft_shipment()
    Shipment.objects.filter(pk=late.pk).update(status=ShipmentStatus.IN_TRANSIT, expected_arrival=days_ago(1))
    client.force_login(officer)
    delayed = client.get(reverse("shipments:list"), {"delayed": "true"}).context["shipments"]
    on_time = client.get(reverse("shipments:list"), {"delayed": "false"}).context["shipments"]
    assert [s.pk for s in delayed] == [late.pk]
    assert late.pk not in [s.pk for s in on_time] and len(on_time) == 1
    assert [row["id"] for row in client.get("/api/v1/shipments/", {"delayed": "true"}).json()["results"]] == [late.pk]


def test_sorting_by_a_column_pages_in_that_order(client, officer, monkeypatch):
    monkeypatch.setattr("cooperation.pages.PAGE_SIZE", 2)
    shipments = [draft_shipment() for _ in range(3)]
    client.force_login(officer)
    shown = []
    for page in (1, 2):
        response = client.get(reverse("shipments:list"), {"ordering": "waybill", "page": page})
        shown += [shipment.waybill for shipment in response.context["shipments"]]
    assert shown == sorted(shipment.waybill for shipment in shipments)
