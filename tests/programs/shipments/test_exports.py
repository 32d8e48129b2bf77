"""The shipment lists as files: the officers' list and its items, the discrepancies and the portal's shipments,
each with the page's filters, only what the viewer may see, and at a cost that does not grow with the rows."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.exports.models import ExportJob, ExportStatus
from cooperation.roles import Role
from tests.factories import UserFactory, country, currency
from tests.programs.export_sheets import export_queries, export_url, exported, sheet
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


@pytest.fixture
def two_shipments(officer):
    """A draft to Timor-Leste (rice in USD) and a received one to Fiji (tents in JPY), with damaged tents."""
    draft = draft_shipment(created_by=officer, destination_country=country("TL"), items=0)
    add_item(draft, officer, description="Rice", unit="bag", quantity=Decimal("100"), unit_value=Decimal("20.50"))
    received = draft_shipment(created_by=officer, destination_country=country("FJ"), items=0)
    add_item(
        received,
        officer,
        description="Family tents",
        unit="piece",
        quantity=Decimal("40"),
        unit_value=Decimal("3000"),
        currency=currency("JPY"),
    )
    received = arrived_shipment(received)
    confirm(received, consignee_user(received.consignee), {received.items.get(): (30, 6, 4)})
    return draft, received


def test_shipments_export_has_typed_cells_and_follows_the_filters(client, officer, two_shipments):
    draft, received = two_shipments
    client.force_login(officer)

    header, rows = exported(client, "shipments.shipments", {"ordering": "waybill"})

    assert header[:5] == ("Waybill", "Programme", "Donor", "Consignor", "Consignee")
    by_waybill = {row["Waybill"]: row for row in rows}
    assert set(by_waybill) == {draft.waybill, received.waybill}
    fiji = by_waybill[received.waybill]
    assert fiji["Status"] == "Partially received" or fiji["Status"] == "Received"
    assert fiji["Items"] == 1
    assert isinstance(fiji["Expected arrival"], datetime.datetime)
    assert isinstance(fiji["Dispatched on"], datetime.datetime)
    assert fiji["Damaged or lost goods"] == "Yes"
    assert by_waybill[draft.waybill]["Damaged or lost goods"] == "No"
    assert by_waybill[draft.waybill]["Weight (kg)"] == 2500

    _, narrowed = exported(client, "shipments.shipments", {"destination_country": "FJ"})
    _, with_losses = exported(client, "shipments.shipments", {"has_discrepancy": "true"})
    assert [row["Waybill"] for row in narrowed] == [received.waybill]
    assert [row["Waybill"] for row in with_losses] == [received.waybill]


def test_shipments_export_keeps_the_lists_sort(client, officer):
    for number in (2, 1, 3):
        ShipmentFactory(waybill=f"WB-SORT-{number}", created_by=officer)
    client.force_login(officer)

    _, ascending = exported(client, "shipments.shipments", {"ordering": "waybill"})
    _, descending = exported(client, "shipments.shipments", {"ordering": "-waybill"})

    assert [row["Waybill"] for row in ascending] == ["WB-SORT-1", "WB-SORT-2", "WB-SORT-3"]
    assert [row["Waybill"] for row in descending] == ["WB-SORT-3", "WB-SORT-2", "WB-SORT-1"]


def test_delayed_shipments_say_how_late(client, officer):
    late = dispatched_shipment(
        draft_shipment(created_by=officer, planned_dispatch=days_ago(20), expected_arrival=days_ago(3)),
        dispatched_on=days_ago(15),
    )
    client.force_login(officer)

    _, rows = exported(client, "shipments.shipments", {"delayed": "true"})

    assert [(row["Waybill"], row["Delayed"], row["Days late"]) for row in rows] == [(late.waybill, "Yes", 3)]


def test_items_export_has_a_row_per_item_with_what_was_sent_and_counted(client, officer, two_shipments):
    draft, received = two_shipments
    client.force_login(officer)

    header, rows = exported(client, "shipments.items", {"ordering": "waybill"})

    assert header[:6] == ("Waybill", "Programme", "Consignee", "Shipment status", "Category", "Description")
    by_item = {row["Description"]: row for row in rows}
    rice, tents = by_item["Rice"], by_item["Family tents"]
    assert rice["Waybill"] == draft.waybill and tents["Waybill"] == received.waybill
    assert rice["Category"] == "Food"
    assert (rice["Quantity sent"], rice["Unit"]) == (100, "bag")
    assert rice["Value per unit"] == 20.5 and rice["Currency"] == "USD"
    assert rice["Value"] == 2050
    assert header[header.index("Value") + 1] == "Currency"
    assert tents["Currency"] == "JPY" and tents["Value"] == 120000
    assert (tents["Received in good condition"], tents["Damaged"], tents["Lost"]) == (30, 6, 4)
    assert tents["Not yet counted"] == 0
    assert rice["Not yet counted"] == 100


def test_items_export_takes_the_shipment_lists_filters(client, officer, two_shipments):
    draft, _received = two_shipments
    client.force_login(officer)

    _, rows = exported(client, "shipments.items", {"destination_country": "TL"})

    assert [(row["Waybill"], row["Description"]) for row in rows] == [(draft.waybill, "Rice")]


def test_discrepancies_export_has_the_value_at_stake_in_its_currency(client, officer, two_shipments):
    _draft, received = two_shipments
    client.force_login(officer)

    header, rows = exported(client, "shipments.discrepancies")

    assert header[:4] == ("Waybill", "Programme", "Consignee", "Item")
    (line,) = rows
    assert line["Waybill"] == received.waybill
    assert (line["Damaged"], line["Lost"], line["Unit"]) == (6, 4, "piece")
    assert line["Value at stake"] == 30000 and line["Currency"] == "JPY"
    assert header[header.index("Value at stake") + 1] == "Currency"
    assert isinstance(line["Received on"], datetime.datetime)
    assert line["Reason"] == "Crushed in the hold"


def test_who_received_the_goods_needs_personal_data_rights(client, auditor, officer, two_shipments):
    client.force_login(officer)
    assert "Received by" in exported(client, "shipments.discrepancies")[0]
    client.force_login(auditor)
    assert "Received by" not in exported(client, "shipments.discrepancies")[0]


def test_the_buttons_carry_the_lists_filters(client, officer, two_shipments):
    client.force_login(officer)

    html = client.get(reverse("shipments:list"), {"status": "draft", "page": 1}).content.decode()
    discrepancies = client.get(reverse("shipments:discrepancies")).content.decode()

    assert f'href="{export_url("shipments.shipments")}?status=draft"' in html
    assert f'href="{export_url("shipments.items", "csv")}?status=draft"' in html
    assert f'href="{export_url("shipments.discrepancies")}"' in discrepancies


@pytest.mark.parametrize("source", ["shipments.shipments", "shipments.items", "shipments.discrepancies"])
def test_partner_users_cannot_export_the_workspace_lists(client, partner_user, source):
    client.force_login(partner_user)

    assert client.get(export_url(source)).status_code == 403


@pytest.mark.parametrize("source", ["shipments.shipments", "shipments.items", "shipments.discrepancies"])
def test_auditors_and_managers_export_what_they_read(client, auditor, manager, two_shipments, source):
    for user in (auditor, manager):
        client.force_login(user)
        assert exported(client, source)[1]


def _busy_shipments(count: int, officer):
    """``count`` shipments, each with two items in two currencies and a receipt that found damage."""
    partner = UserFactory(role=Role.PARTNER)
    for _ in range(count):
        shipment = ShipmentFactory(status="partially_received", created_by=officer, dispatched_on=days_ago(5))
        first = ShipmentItemFactory(shipment=shipment)
        ShipmentItemFactory(shipment=shipment, currency=currency("EUR"))
        ReceiptLineFactory(receipt__shipment=shipment, receipt__received_by=partner, item=first, damaged=2, reason="x")


@pytest.mark.parametrize("source", ["shipments.shipments", "shipments.items", "shipments.discrepancies"])
def test_workspace_exports_cost_the_same_for_2_and_8_shipments(client, officer, source):
    client.force_login(officer)
    _busy_shipments(2, officer)
    few = export_queries(client, source)
    _busy_shipments(6, officer)

    assert export_queries(client, source) == few


# --- the portal ---------------------------------------------------------------------------------------------------


@pytest.fixture
def to_both(officer, partner_org, other_org, own_programme, foreign_programme):
    ours = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme))
    theirs = arrived_shipment(draft_shipment(created_by=officer, consignee=other_org, programme=foreign_programme))
    draft = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme)
    return ours, theirs, draft


def test_portal_export_has_only_the_partners_own_shipments(client, partner_user, other_partner_user, to_both):
    ours, theirs, draft = to_both
    client.force_login(partner_user)

    header, rows = exported(client, "shipments_portal.shipments")

    assert header[:3] == ("Waybill", "Programme", "Programme title")
    assert [row["Waybill"] for row in rows] == [ours.waybill]  # never a draft, never another's
    assert rows[0]["Programme"] == "OWN-001"
    assert isinstance(rows[0]["Expected arrival"], datetime.datetime)
    assert rows[0]["Items"] == 1

    client.force_login(other_partner_user)
    assert [row["Waybill"] for row in exported(client, "shipments_portal.shipments")[1]] == [theirs.waybill]


def test_portal_list_offers_the_export(client, partner_user, to_both):
    client.force_login(partner_user)

    html = client.get(reverse("shipments_portal:list")).content.decode()

    assert f'href="{export_url("shipments_portal.shipments")}"' in html


def test_staff_without_an_organisation_cannot_export_the_portal_list(client, officer, admin_user, to_both):
    for user in (officer, admin_user):
        client.force_login(user)
        assert client.get(export_url("shipments_portal.shipments")).status_code == 403


def test_portal_export_costs_the_same_for_2_and_8_shipments(client, officer, partner_user, partner_org, own_programme):
    client.force_login(partner_user)

    def shipments(count):
        for _ in range(count):
            shipment = arrived_shipment(
                draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme, items=2)
            )
            confirm(shipment, partner_user, {shipment.items.first(): (3, 1, 0)})

    shipments(2)
    few = export_queries(client, "shipments_portal.shipments")
    shipments(6)

    assert export_queries(client, "shipments_portal.shipments") == few


# --- on the worker ------------------------------------------------------------------------------------------------


def _worker_rows(client, capture, source, params) -> list[tuple]:
    with capture(execute=True):
        response = client.get(export_url(source), params)
    job = ExportJob.objects.filter(source=source).latest("pk")
    assert response.status_code == 302 and job.status == ExportStatus.DONE
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    return list(sheet(download).iter_rows(min_row=2, values_only=True))


def test_large_exports_on_the_worker_keep_the_filters_and_the_partners_scope(
    client, settings, officer, partner_user, to_both, two_shipments, django_capture_on_commit_callbacks
):
    settings.EXPORT_BACKGROUND_ROWS = 0
    ours, _theirs, _draft = to_both
    client.force_login(officer)

    items = _worker_rows(client, django_capture_on_commit_callbacks, "shipments.items", {"destination_country": "FJ"})
    client.force_login(partner_user)
    portal = _worker_rows(client, django_capture_on_commit_callbacks, "shipments_portal.shipments", {})

    assert [(row[0], row[5]) for row in items] == [(two_shipments[1].waybill, "Family tents")]
    assert [row[0] for row in portal] == [ours.waybill]
