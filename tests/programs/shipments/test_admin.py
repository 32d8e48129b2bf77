"""The shipments admin: each staff role reads what it may, nothing is added there, and lists stay flat."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.shipments.models import WaybillCounter
from tests.factories import UserFactory
from tests.programs.shipments.factories import (
    DelayAlertLogFactory,
    ReceiptLineFactory,
    ShipmentFactory,
    ShipmentItemFactory,
    TrackingEventFactory,
)

pytestmark = pytest.mark.django_db

# What officers and managers hold a view permission for; the logs, lines and counters are for auditors.
STAFF_CHANGELISTS = ["shipment", "shipmentitem", "trackingevent", "receipt"]
AUDIT_ONLY_CHANGELISTS = ["receiptline", "delayalertlog", "waybillcounter"]
ALL_CHANGELISTS = STAFF_CHANGELISTS + AUDIT_ONLY_CHANGELISTS


def changelist(model: str) -> str:
    return reverse(f"admin:shipments_{model}_changelist")


def _make_shipments(count: int, first_year: int) -> None:
    for offset in range(count):
        line = ReceiptLineFactory()
        shipment = line.receipt.shipment
        ShipmentItemFactory(shipment=shipment)
        TrackingEventFactory(shipment=shipment)
        DelayAlertLogFactory(shipment=shipment)
        WaybillCounter.objects.create(year=first_year + offset, last_number=offset)


@pytest.mark.parametrize("role_fixture", ["officer", "manager"])
def test_officers_and_managers_read_the_shipment_lists_they_may(client, request, role_fixture):
    ShipmentItemFactory(description="Water purification tablets")
    client.force_login(request.getfixturevalue(role_fixture))
    for model in STAFF_CHANGELISTS:
        assert client.get(changelist(model)).status_code == 200, model
        assert client.get(reverse(f"admin:shipments_{model}_add")).status_code == 403, model
    for model in AUDIT_ONLY_CHANGELISTS:
        assert client.get(changelist(model)).status_code == 403, model
    assert "Water purification tablets" in client.get(changelist("shipmentitem")).content.decode()


def test_auditor_reads_every_list_and_record_but_changes_nothing(client, auditor):
    _make_shipments(1, first_year=2026)
    shipment = ShipmentFactory(carrier="Timor Freight")
    client.force_login(auditor)
    for model in ALL_CHANGELISTS:
        assert client.get(changelist(model)).status_code == 200, model
        assert client.get(reverse(f"admin:shipments_{model}_add")).status_code == 403, model
    url = reverse("admin:shipments_shipment_change", args=[shipment.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"carrier": "Renamed"}).status_code == 403
    shipment.refresh_from_db()
    assert shipment.carrier == "Timor Freight"


def test_nobody_changes_or_deletes_a_shipment_here_not_even_an_administrator(client, admin_user):
    shipment = ShipmentFactory()
    client.force_login(admin_user)
    assert (
        'name="_save"'
        not in client.get(reverse("admin:shipments_shipment_change", args=[shipment.pk])).content.decode()
    )
    assert (
        client.post(reverse("admin:shipments_shipment_delete", args=[shipment.pk]), {"post": "yes"}).status_code == 403
    )


def test_staff_without_the_view_permission_is_refused(client):
    client.force_login(UserFactory(is_staff=True))
    for model in ALL_CHANGELISTS:
        assert client.get(changelist(model)).status_code == 403, model


def test_partner_users_are_sent_to_the_admin_login(client, partner_user):
    client.force_login(partner_user)
    response = client.get(changelist("shipment"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def _queries(client, model: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(changelist(model)).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", ALL_CHANGELISTS)
def test_changelist_queries_stay_flat(client, admin_user, model):
    client.force_login(admin_user)
    _make_shipments(3, first_year=2000)
    with_three = _queries(client, model)
    _make_shipments(9, first_year=2010)
    assert _queries(client, model) == with_three


def test_every_list_can_be_filtered(client, auditor):
    _make_shipments(1, first_year=2026)
    ReceiptLineFactory(damaged=3, reason="Crushed")
    client.force_login(auditor)
    for model in ALL_CHANGELISTS:
        if model == "waybillcounter":  # one row a year: nothing to filter
            continue
        assert 'id="changelist-filter"' in client.get(changelist(model)).content.decode(), model
    damaged_only = client.get(changelist("receiptline"), {"discrepancy": "yes"}).context["cl"].result_list
    assert [line.reason for line in damaged_only] == ["Crushed"]
    alerts = client.get(changelist("delayalertlog"), {"expected_arrival__gte": "2000-01-01"})
    assert alerts.status_code == 200
