"""The shipments API: shipments, items, tracking events and receipts with the same permissions and scoping as the
pages, every write and status change through the services, errors next to the fields, and flat query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cooperation.refusals import Refused
from programs.shipments.models import (
    EventKind,
    ItemCategory,
    Receipt,
    ReceiptLine,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    TrackingEvent,
    TransportMode,
)
from programs.shipments.services import ShipmentRefusal
from tests.api_errors import error_codes, error_fields
from tests.factories import OrganisationFactory, ProgrammeFactory, currency
from tests.programs.shipments.factories import (
    ReceiptLineFactory,
    ShipmentFactory,
    ShipmentItemFactory,
    TrackingEventFactory,
    add_item,
    approved_shipment,
    arrived_shipment,
    confirm,
    days_ago,
    dispatched_shipment,
    draft_shipment,
    ready_shipment,
    take_part,
    today,
)

pytestmark = pytest.mark.django_db

SHIPMENTS = "/api/v1/shipments/"
ITEMS = "/api/v1/shipment-items/"
EVENTS = "/api/v1/tracking-events/"
RECEIPTS = "/api/v1/receipts/"
S = ShipmentStatus


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def as_user(user) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def messages(response, field="non_field_errors") -> str:
    return " ".join(str(message) for message in error_fields(response)[field])


@pytest.fixture
def programme(own_programme, partner_org):
    take_part(own_programme, partner_org)  # makes it in-kind
    return own_programme


@pytest.fixture
def own_draft(officer, partner_org, programme):
    return draft_shipment(created_by=officer, consignee=partner_org, programme=programme)


@pytest.fixture
def own_arrived(officer, partner_org, programme):
    """Arrived with two items of 100 bags, nothing counted yet."""
    return arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=programme, items=2))


@pytest.fixture
def foreign_arrived(officer, other_org):
    return arrived_shipment(draft_shipment(created_by=officer, consignee=other_org))


def shipment_payload(programme, consignee, **overrides) -> dict:
    payload = {
        "programme": programme.pk,
        "donor": OrganisationFactory().pk,
        "consignor": OrganisationFactory().pk,
        "consignee": consignee.pk,
        "origin_country": "AU",
        "origin_place": "Brisbane",
        "destination_country": "ID",
        "destination_place": "Kupang",
        "mode": "sea",
        "carrier": "Pacific Lines",
        "planned_dispatch": str(days_ago(3)),
        "expected_arrival": str(days_ago(-20)),
    }
    payload.update(overrides)
    return payload


def item_payload(shipment, **overrides) -> dict:
    payload = {
        "shipment": shipment.pk,
        "category": "medical",
        "description": "Oral rehydration salts, carton of 100",
        "unit": "carton",
        "quantity": "40",
        "unit_weight_kg": "2.5",
        "unit_value": "35.50",
        "currency": "EUR",
        "expiry_date": str(days_ago(-300)),
    }
    payload.update(overrides)
    return payload


def line(item, good="0", damaged="0", lost="0", reason="") -> dict:
    return {"item": item.pk, "good": good, "damaged": damaged, "lost": lost, "reason": reason}


# --- drafting -------------------------------------------------------------------------------------------------------


def test_officer_drafts_a_shipment_and_fills_its_packing_list(officer, programme, partner_org):
    api = as_user(officer)
    response = api.post(SHIPMENTS, shipment_payload(programme, partner_org), format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    shipment = Shipment.objects.get()
    assert body["id"] == shipment.pk and body["waybill"] == shipment.waybill
    assert body["status"] == "draft" and body["status_label"] == "Draft"
    assert body["consignee"] == partner_org.pk and body["consignee_name"] == partner_org.name
    assert (body["origin_country"], body["destination_country"], body["mode"]) == ("AU", "ID", "sea")
    assert body["item_count"] == 0 and body["totals"] == {"weight_kg": "0.000", "item_count": 0, "values": []}
    assert shipment.created_by == officer

    added = api.post(ITEMS, item_payload(shipment), format="json")
    assert added.status_code == 201, added.data
    assert added.json()["total_value"] == "1420.00" and added.json()["remaining"] == "40.000"
    api.post(ITEMS, item_payload(shipment, currency="JPY", unit_value="1500", quantity="3"), format="json")

    detail = api.get(f"{SHIPMENTS}{shipment.pk}/").json()
    assert detail["item_count"] == 2 and detail["total_weight_kg"] == "107.500"
    # One total per currency, each in its own minor unit, never added together.
    assert detail["totals"]["values"] == [
        {"currency": "EUR", "amount": "1420.00"},
        {"currency": "JPY", "amount": "4500"},
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"expected_arrival": str(days_ago(10))}, "expected_arrival", "before the planned dispatch"),
        ({"mode": "teleport"}, "mode", "valid choice"),
        ({"origin_country": "XX"}, "origin_country", "no code"),
        ({"planned_dispatch": "soon"}, "planned_dispatch", "format"),
        ({"origin_place": ""}, "origin_place", "blank"),
        ({"waybill": "X" * 21}, "waybill", "20 characters"),
    ],
)
def test_bad_shipment_details_are_a_400_on_the_field_and_nothing_is_saved(
    officer, programme, partner_org, overrides, field, words
):
    response = as_user(officer).post(SHIPMENTS, shipment_payload(programme, partner_org, **overrides), format="json")

    assert response.status_code == 400
    assert words in messages(response, field), response.data
    assert not Shipment.objects.exists()


def test_consignee_must_take_part_in_an_in_kind_programme(officer, programme, other_org, partner_org):
    api = as_user(officer)
    response = api.post(SHIPMENTS, shipment_payload(programme, other_org), format="json")
    assert response.status_code == 400
    assert "does not take part" in messages(response, "consignee")

    not_in_kind = ProgrammeFactory(is_in_kind=False)
    response = api.post(SHIPMENTS, shipment_payload(not_in_kind, partner_org), format="json")
    assert response.status_code == 400 and "programme" in error_fields(response)
    assert not Shipment.objects.exists()


def test_a_typed_waybill_is_never_reused(officer, programme, partner_org):
    api = as_user(officer)
    first = api.post(SHIPMENTS, shipment_payload(programme, partner_org, waybill="wb-paper-1"), format="json")
    assert first.json()["waybill"] == "WB-PAPER-1"
    again = api.post(SHIPMENTS, shipment_payload(programme, partner_org, waybill="WB-PAPER-1"), format="json")
    assert again.status_code == 400
    assert "never reused" in messages(again, "waybill")
    assert Shipment.objects.count() == 1


def test_partner_auditor_and_anonymous_cannot_draft(partner_user, auditor, programme, partner_org):
    for user in (partner_user, auditor):
        assert as_user(user).post(SHIPMENTS, shipment_payload(programme, partner_org), format="json").status_code == 403
    assert as_user(None).post(SHIPMENTS, shipment_payload(programme, partner_org), format="json").status_code in {
        401,
        403,
    }
    assert as_user(None).get(SHIPMENTS).status_code in {401, 403}
    assert not Shipment.objects.exists()


def test_a_draft_changes_until_it_is_ready(officer, own_draft):
    api = as_user(officer)
    response = api.patch(f"{SHIPMENTS}{own_draft.pk}/", {"carrier": "Sulawesi Freight"}, format="json")
    assert response.status_code == 200, response.data
    assert response.json()["carrier"] == "Sulawesi Freight"

    ready_shipment(own_draft)
    response = api.patch(f"{SHIPMENTS}{own_draft.pk}/", {"carrier": "Someone else"}, format="json")
    assert response.status_code == 400
    assert (
        messages(response)
        == "A shipment can be edited only while it is a draft; this one is Ready (packing list locked)."
    )
    own_draft.refresh_from_db()
    assert own_draft.carrier == "Sulawesi Freight"


# --- status changes -------------------------------------------------------------------------------------------------


def test_a_shipment_goes_from_draft_to_received_through_the_api(officer, manager, partner_user, own_draft):
    officer_api, manager_api, partner_api = as_user(officer), as_user(manager), as_user(partner_user)
    url = f"{SHIPMENTS}{own_draft.pk}"
    item = own_draft.items.get()

    assert officer_api.post(f"{url}/mark-ready/").json()["status"] == "ready"
    approved = manager_api.post(f"{url}/approve-dispatch/")
    assert approved.status_code == 200, approved.data
    assert approved.json()["dispatch_approved_by"] == manager.pk
    dispatched = officer_api.post(
        f"{url}/dispatch/", {"dispatched_on": str(days_ago(4)), "transport_reference": "BL-778"}, format="json"
    )
    assert dispatched.status_code == 200, dispatched.data
    assert dispatched.json()["status"] == "dispatched" and dispatched.json()["transport_reference"] == "BL-778"

    for kind in ("customs_hold", "customs_release"):
        event = officer_api.post(EVENTS, {"shipment": own_draft.pk, "kind": kind, "place": "Tanjung Perak"})
        assert event.status_code == 201, event.data
        assert event.json()["kind"] == kind and event.json()["user"] == officer.pk
    assert officer_api.post(f"{url}/mark-in-transit/", {"place": "Surabaya"}).json()["status"] == "in_transit"
    arrived = officer_api.post(f"{url}/arrive/", {"arrived_on": str(days_ago(1))})
    assert arrived.json()["status"] == "arrived" and arrived.json()["arrived_on"] == str(days_ago(1))

    first = partner_api.post(
        RECEIPTS,
        {
            "shipment": own_draft.pk,
            "received_on": str(today()),
            "lines": [line(item, good="90", damaged="6", lost="1", reason="Wet cartons")],
        },
        format="json",
    )
    assert first.status_code == 201, first.data
    assert first.json()["lines"] == [
        {
            "item": item.pk,
            "description": item.description,
            "unit": "bag",
            "good": "90.000",
            "damaged": "6.000",
            "lost": "1.000",
            "reason": "Wet cartons",
        }
    ]
    shipment = partner_api.get(f"{url}/").json()
    assert shipment["status"] == "partially_received" and shipment["has_discrepancy"] is True

    rest = partner_api.post(
        RECEIPTS,
        {"shipment": own_draft.pk, "received_on": str(today()), "lines": [line(item, good="3")]},
        format="json",
    )
    assert rest.status_code == 201, rest.data
    assert partner_api.get(f"{url}/").json()["status"] == "received"
    kinds = list(own_draft.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.STATUS_CHANGE) == 7  # created, ready, dispatched, in transit, arrived, 2 receipts
    assert {EventKind.CUSTOMS_HOLD, EventKind.CUSTOMS_RELEASE} <= set(kinds)


def test_the_manager_who_prepared_the_list_cannot_approve_its_dispatch(manager, partner_org, programme):
    shipment = ready_shipment(draft_shipment(created_by=manager, consignee=partner_org, programme=programme))
    response = as_user(manager).post(f"{SHIPMENTS}{shipment.pk}/approve-dispatch/")
    assert response.status_code == 400
    assert error_codes(response) == {"non_field_errors": [Refused.OWN_RECORD]}
    shipment.refresh_from_db()
    assert shipment.dispatch_approved_by is None


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("dispatch", {"dispatched_on": "TODAY"}, "Only a shipment that is ready can be dispatched; this one is Draft."),
        ("mark-in-transit", {}, "Only a dispatched shipment can be marked in transit; this one is Draft."),
        (
            "arrive",
            {"arrived_on": "TODAY"},
            "Only a dispatched shipment or one in transit can arrive; this one is Draft.",
        ),
        ("mark-lost", {"reason": "Sunk"}, "Only a shipment on its way can be declared lost; this one is Draft."),
        ("reopen", {"reason": "Typo"}, "Only a shipment that is ready can go back to draft; this one is Draft."),
        (
            "reschedule",
            {"expected_arrival": "TODAY"},
            "The expected arrival can be changed only before arrival; this shipment is Draft.",
        ),
    ],
)
def test_moves_out_of_order_are_refused_with_the_current_status(officer, own_draft, path, body, message):
    body = {key: str(today()) if value == "TODAY" else value for key, value in body.items()}
    response = as_user(officer).post(f"{SHIPMENTS}{own_draft.pk}/{path}/", body, format="json")

    assert response.status_code == 400
    assert error_codes(response) == {"non_field_errors": [Refused.WRONG_STATUS]}
    assert messages(response) == message
    own_draft.refresh_from_db()
    assert own_draft.status == S.DRAFT
    assert own_draft.events.count() == 1


def test_approval_and_dispatch_out_of_order(officer, manager, partner_org, programme):
    shipment = dispatched_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=programme))
    response = as_user(manager).post(f"{SHIPMENTS}{shipment.pk}/approve-dispatch/")
    assert messages(response) == (
        "Dispatch can be approved only when the packing list is ready; this shipment is Dispatched."
    )
    response = as_user(officer).post(f"{SHIPMENTS}{shipment.pk}/cancel/", {"reason": "Too late"}, format="json")
    assert messages(response) == "A shipment can be cancelled only before dispatch; this one is Dispatched."
    assert as_user(officer).post(f"{SHIPMENTS}{shipment.pk}/mark-ready/").status_code == 400

    unapproved = ready_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=programme))
    response = as_user(officer).post(
        f"{SHIPMENTS}{unapproved.pk}/dispatch/", {"dispatched_on": str(today())}, format="json"
    )
    assert error_codes(response) == {"non_field_errors": [ShipmentRefusal.DISPATCH_NOT_APPROVED]}
    shipment.refresh_from_db()
    unapproved.refresh_from_db()
    assert (shipment.status, unapproved.status) == (S.DISPATCHED, S.READY)


def test_reopen_reschedule_cancel_and_lose(officer, partner_org, programme):
    api = as_user(officer)
    ready = approved_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=programme))
    reopened = api.post(f"{SHIPMENTS}{ready.pk}/reopen/", {"reason": "Wrong quantities"}, format="json").json()
    assert reopened["status"] == "draft" and reopened["dispatch_approved_by"] is None
    assert reopened["status_note"] == "Wrong quantities"
    cancelled = api.post(f"{SHIPMENTS}{ready.pk}/cancel/", {"reason": "Donor withdrew"}, format="json").json()
    assert cancelled["status"] == "cancelled"

    on_the_way = dispatched_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=programme))
    new_date = str(days_ago(-30))
    moved = api.post(f"{SHIPMENTS}{on_the_way.pk}/reschedule/", {"expected_arrival": new_date}, format="json")
    assert moved.status_code == 200 and moved.json()["expected_arrival"] == new_date
    lost = api.post(f"{SHIPMENTS}{on_the_way.pk}/mark-lost/", {"reason": "Looted", "place": "Atapupu"})
    assert lost.json()["status"] == "lost" and lost.json()["status_note"] == "Looted"


def test_reasons_and_dates_are_required(officer, partner_org, programme):
    shipment = approved_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=programme))
    api = as_user(officer)
    for path, body, field in [
        ("cancel", {}, "reason"),
        ("cancel", {"reason": "   "}, "reason"),
        ("reopen", {}, "reason"),
        ("dispatch", {"dispatched_on": "someday"}, "dispatched_on"),
        ("dispatch", {"dispatched_on": str(days_ago(-3))}, "dispatched_on"),
        ("reschedule", {"expected_arrival": str(days_ago(400))}, "expected_arrival"),
    ]:
        response = api.post(f"{SHIPMENTS}{shipment.pk}/{path}/", body, format="json")
        assert response.status_code == 400, (path, body)
        assert field in error_fields(response), (path, response.data)
    shipment.refresh_from_db()
    assert shipment.status == S.READY and shipment.dispatch_approved_by is not None


def test_who_may_take_which_action(officer, auditor, partner_user, other_partner_user, partner_org, programme):
    shipment = ready_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=programme))
    url = f"{SHIPMENTS}{shipment.pk}"
    # An officer may not approve; an auditor changes nothing.
    assert as_user(officer).post(f"{url}/approve-dispatch/").status_code == 403
    for path in ("approve-dispatch", "reopen", "cancel"):
        assert as_user(auditor).post(f"{url}/{path}/", {"reason": "x"}, format="json").status_code == 403
    assert as_user(auditor).patch(f"{url}/", {"carrier": "x"}, format="json").status_code == 403
    # The consignee sees the shipment but may not move it; another organisation is never told it exists.
    for path in ("approve-dispatch", "reopen", "cancel", "mark-in-transit", "dispatch"):
        assert as_user(partner_user).post(f"{url}/{path}/", {"reason": "x"}, format="json").status_code == 403
        assert as_user(other_partner_user).post(f"{url}/{path}/", {"reason": "x"}, format="json").status_code == 404
    assert as_user(partner_user).patch(f"{url}/", {"carrier": "x"}, format="json").status_code == 403
    assert as_user(other_partner_user).patch(f"{url}/", {"carrier": "x"}, format="json").status_code == 404
    assert as_user(None).post(f"{url}/cancel/", {"reason": "x"}, format="json").status_code in {401, 403}
    shipment.refresh_from_db()
    assert shipment.status == S.READY and shipment.carrier == "Pacific Lines"


# --- reading --------------------------------------------------------------------------------------------------------


def test_partner_reads_only_their_organisations_shipments_once_ready(
    partner_user, own_draft, own_arrived, foreign_arrived
):
    api = as_user(partner_user)
    listed = api.get(SHIPMENTS).json()
    assert [row["waybill"] for row in listed["results"]] == [own_arrived.waybill]
    assert api.get(f"{SHIPMENTS}{own_arrived.pk}/").status_code == 200
    assert api.get(f"{SHIPMENTS}{foreign_arrived.pk}/").status_code == 404
    assert api.get(f"{SHIPMENTS}{own_draft.pk}/").status_code == 404  # the officer's working copy

    item_ids = {row["id"] for row in api.get(ITEMS).json()["results"]}
    assert item_ids == set(own_arrived.items.values_list("pk", flat=True))
    assert api.get(f"{ITEMS}{foreign_arrived.items.first().pk}/").status_code == 404
    assert api.get(f"{ITEMS}{own_draft.items.first().pk}/").status_code == 404
    event_shipments = {row["shipment"] for row in api.get(EVENTS).json()["results"]}
    assert event_shipments == {own_arrived.pk}
    assert api.get(f"{EVENTS}{foreign_arrived.events.first().pk}/").status_code == 404


def test_staff_read_every_shipment_and_auditors_too(officer, auditor, own_draft, own_arrived, foreign_arrived):
    for user in (officer, auditor):
        listed = as_user(user).get(SHIPMENTS).json()
        assert listed["count"] == 3
    row = next(row for row in listed["results"] if row["id"] == own_arrived.pk)
    assert row["item_count"] == 2 and row["total_weight_kg"] == "5000.000"
    assert row["is_delayed"] is False and row["has_discrepancy"] is False
    assert row["arrived_on"] == str(days_ago(1)) and row["dispatched_on"] == str(days_ago(5))


def test_shipment_list_filters(
    officer, partner_user, partner_org, programme, own_draft, own_arrived, foreign_arrived, other_org
):
    late = dispatched_shipment(
        draft_shipment(
            created_by=officer,
            consignee=partner_org,
            programme=programme,
            planned_dispatch=days_ago(30),
            expected_arrival=days_ago(2),
            mode=TransportMode.AIR,
            carrier="Garuda Cargo",
        ),
        dispatched_on=days_ago(25),
    )
    item = own_arrived.items.first()
    confirm(own_arrived, partner_user, {item: (95, 5, 0)})
    api = as_user(officer)

    def waybills(**params):
        response = api.get(SHIPMENTS, params)
        assert response.status_code == 200, response.data
        return {row["waybill"] for row in response.json()["results"]}

    assert waybills(status="draft") == {own_draft.waybill}
    assert waybills(status=["arrived", "partially_received"]) == {own_arrived.waybill, foreign_arrived.waybill}
    assert waybills(delayed="true") == {late.waybill}
    assert waybills(has_discrepancy="true") == {own_arrived.waybill}
    assert waybills(consignee=other_org.pk) == {foreign_arrived.waybill}
    assert waybills(mode="air") == {late.waybill}
    assert waybills(q="garuda") == {late.waybill}
    assert waybills(destination_country="TL") == {
        own_draft.waybill,
        own_arrived.waybill,
        foreign_arrived.waybill,
        late.waybill,
    }
    assert api.get(SHIPMENTS, {"status": "bogus"}).status_code == 400
    detail = api.get(f"{SHIPMENTS}{late.pk}/").json()
    assert detail["is_delayed"] is True and detail["days_late"] == 2


def test_item_event_and_receipt_filters(officer, partner_user, own_arrived, foreign_arrived):
    confirm(own_arrived, partner_user, {item: (100, 0, 0) for item in own_arrived.items.all()})
    TrackingEventFactory(shipment=own_arrived, kind=EventKind.CUSTOMS_HOLD, note="Papers missing")
    api = as_user(officer)

    items = api.get(ITEMS, {"shipment": own_arrived.pk}).json()["results"]
    assert {row["id"] for row in items} == set(own_arrived.items.values_list("pk", flat=True))
    assert all(row["remaining"] == "0.000" and row["good"] == "100.000" for row in items)
    assert api.get(ITEMS, {"category": "medical"}).json()["count"] == 0
    holds = api.get(EVENTS, {"shipment": own_arrived.pk, "kind": "customs_hold"}).json()["results"]
    assert [row["note"] for row in holds] == ["Papers missing"]
    statuses = api.get(EVENTS, {"shipment": own_arrived.pk, "kind": "status"}).json()["results"]
    assert sorted(row["status_after"] for row in statuses) == ["arrived", "dispatched", "draft", "ready", "received"]
    receipts = api.get(RECEIPTS, {"shipment": own_arrived.pk}).json()
    assert receipts["count"] == 1 and len(receipts["results"][0]["lines"]) == 2
    assert api.get(RECEIPTS, {"shipment": foreign_arrived.pk}).json()["count"] == 0


# --- packing-list items ---------------------------------------------------------------------------------------------


def test_items_change_on_a_draft_and_are_locked_once_ready(officer, own_draft):
    api = as_user(officer)
    item = own_draft.items.get()
    changed = api.patch(f"{ITEMS}{item.pk}/", {"quantity": "120", "category": "food"}, format="json")
    assert changed.status_code == 200, changed.data
    assert changed.json()["quantity"] == "120.000"
    extra = add_item(own_draft, officer, description="Tarpaulins", category=ItemCategory.SHELTER)
    assert api.delete(f"{ITEMS}{extra.pk}/").status_code == 204
    assert not ShipmentItem.objects.filter(pk=extra.pk).exists()

    ready_shipment(own_draft)
    locked = {"non_field_errors": [Refused.WRONG_STATUS]}
    response = api.patch(f"{ITEMS}{item.pk}/", {"quantity": "5"}, format="json")
    assert response.status_code == 400 and error_codes(response) == locked
    response = api.delete(f"{ITEMS}{item.pk}/")
    assert response.status_code == 400 and error_codes(response) == locked
    response = api.post(ITEMS, item_payload(own_draft), format="json")
    assert response.status_code == 400 and error_codes(response) == locked
    item.refresh_from_db()
    assert item.quantity == Decimal("120") and own_draft.items.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"quantity": "0"}, "quantity", "more than zero"),
        ({"quantity": "abc"}, "quantity", "valid number"),
        ({"unit_value": "-1"}, "unit_value", "negative"),
        ({"currency": "ZZZ"}, "currency", "no code"),
        ({"category": "toys"}, "category", "valid choice"),
        ({"description": ""}, "description", "blank"),
    ],
)
def test_bad_items_are_refused_on_the_field(officer, own_draft, overrides, field, words):
    response = as_user(officer).post(ITEMS, item_payload(own_draft, **overrides), format="json")
    assert response.status_code == 400
    assert words in messages(response, field), response.data
    assert own_draft.items.count() == 1


def test_items_carry_the_expiry_flags_and_an_expired_one_blocks_the_approval(officer, manager, own_draft):
    own_draft.items.all().delete()
    for description, expiry in (("Biscuits", days_ago(2)), ("Milk", days_ago(-30)), ("Soap", days_ago(-400))):
        add_item(own_draft, officer, description=description, expiry_date=expiry)
    ready_shipment(own_draft)
    flags = {
        row["description"]: row["expiry_flag"]
        for row in as_user(officer).get(ITEMS, {"shipment": own_draft.pk}).json()["results"]
    }
    assert flags == {"Biscuits": "expired", "Milk": "expiring", "Soap": None}
    response = as_user(manager).post(f"{SHIPMENTS}{own_draft.pk}/approve-dispatch/")
    assert response.status_code == 400
    assert "Expired items cannot be dispatched: Biscuits" in messages(response)


def test_partner_and_auditor_cannot_change_items(partner_user, auditor, other_partner_user, own_arrived):
    item = own_arrived.items.first()
    for user in (partner_user, auditor):
        api = as_user(user)
        assert api.post(ITEMS, item_payload(own_arrived), format="json").status_code == 403
        assert api.patch(f"{ITEMS}{item.pk}/", {"quantity": "1"}, format="json").status_code == 403
        assert api.delete(f"{ITEMS}{item.pk}/").status_code == 403
    assert as_user(other_partner_user).delete(f"{ITEMS}{item.pk}/").status_code == 404
    assert own_arrived.items.count() == 2


# --- tracking events ------------------------------------------------------------------------------------------------


def test_tracking_event_rules(officer, partner_user, own_draft, own_arrived):
    api = as_user(officer)
    response = api.post(EVENTS, {"shipment": own_draft.pk, "kind": "customs_entry"}, format="json")
    assert response.status_code == 400
    assert "between dispatch and arrival; this shipment is Draft" in messages(response)
    response = api.post(EVENTS, {"shipment": own_arrived.pk, "kind": "status"}, format="json")
    assert response.status_code == 400 and "kind" in error_fields(response)
    response = api.post(EVENTS, {"shipment": own_arrived.pk, "kind": "note", "note": "  "}, format="json")
    assert response.status_code == 400 and "note" in error_fields(response)
    future = (datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=2)).isoformat()
    response = api.post(EVENTS, {"shipment": own_arrived.pk, "kind": "note", "note": "x", "occurred_at": future})
    assert response.status_code == 400 and "occurred_at" in error_fields(response)
    note = api.post(EVENTS, {"shipment": own_draft.pk, "kind": "note", "note": "Pallets wrapped"}, format="json")
    assert note.status_code == 201 and note.json()["note"] == "Pallets wrapped"

    before = TrackingEvent.objects.count()
    body = {"shipment": own_arrived.pk, "kind": "note", "note": "Mine"}
    assert as_user(partner_user).post(EVENTS, body, format="json").status_code == 403
    assert TrackingEvent.objects.count() == before


# --- receipts -------------------------------------------------------------------------------------------------------


def test_receipt_line_errors_are_aligned_with_the_lines_sent(partner_user, own_arrived, foreign_arrived):
    first, second = own_arrived.items.order_by("pk")
    stranger = foreign_arrived.items.get()
    response = as_user(partner_user).post(
        RECEIPTS,
        {
            "shipment": own_arrived.pk,
            "received_on": str(today()),
            "lines": [
                line(first, good="50"),
                line(second, good="90", damaged="20"),
                line(first, good="1"),
                line(stranger, good="1"),
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = error_fields(response)
    # Each error names the line by its position in the list sent; the first line is fine.
    assert set(errors) == {"lines.1.good", "lines.2.item", "lines.3.item"}
    assert "only 100 bag are still to be accounted for" in errors["lines.1.good"][0]
    assert errors["lines.2.item"] == ["This item is counted twice on the receipt."]
    assert errors["lines.3.item"] == ["This item is not on the shipment's packing list."]
    assert not Receipt.objects.exists()
    own_arrived.refresh_from_db()
    assert own_arrived.status == S.ARRIVED


@pytest.mark.parametrize(
    ("counts", "field", "words"),
    [
        ({"good": "-1"}, "good", "cannot be negative"),
        ({"good": "lots"}, "good", "Enter a number"),
        ({"good": "1.0001"}, "good", "3 decimal places"),
        ({"damaged": "2"}, "reason", "Give a reason"),
        ({"good": "1e999999"}, "good", "too large"),
        ({"lost": "1e30", "reason": "Looted"}, "lost", "too large"),
    ],
)
def test_bad_receipt_quantities(partner_user, own_arrived, counts, field, words):
    item = own_arrived.items.first()
    body = {"shipment": own_arrived.pk, "received_on": str(today()), "lines": [{"item": item.pk, **counts}]}
    response = as_user(partner_user).post(RECEIPTS, body, format="json")
    assert response.status_code == 400
    assert words in error_fields(response)[f"lines.0.{field}"][0]
    assert not ReceiptLine.objects.exists()


def test_receipt_needs_a_count_and_a_sensible_date(partner_user, own_arrived):
    api = as_user(partner_user)
    item = own_arrived.items.first()
    nothing = api.post(
        RECEIPTS, {"shipment": own_arrived.pk, "received_on": str(today()), "lines": [line(item)]}, format="json"
    )
    assert nothing.status_code == 400 and "Count at least one item" in messages(nothing, "lines")
    for received_on in (str(days_ago(-1)), str(days_ago(30)), "yesterday"):
        body = {"shipment": own_arrived.pk, "received_on": received_on, "lines": [line(item, good="1")]}
        response = api.post(RECEIPTS, body, format="json")
        assert response.status_code == 400 and "received_on" in error_fields(response), received_on
    assert api.post(RECEIPTS, {"shipment": own_arrived.pk}, format="json").status_code == 400
    assert not Receipt.objects.exists()


def test_only_the_consignee_confirms_and_others_are_not_told_the_shipment_exists(
    officer, manager, auditor, admin_user, other_partner_user, own_arrived, own_draft
):
    body = {
        "shipment": own_arrived.pk,
        "received_on": str(today()),
        "lines": [line(own_arrived.items.first(), good="1")],
    }
    assert as_user(other_partner_user).post(RECEIPTS, body, format="json").status_code == 404
    for user in (officer, manager, auditor, admin_user):
        assert as_user(user).post(RECEIPTS, body, format="json").status_code == 403, user.username
    assert as_user(None).post(RECEIPTS, body, format="json").status_code in {401, 403}
    assert not Receipt.objects.exists()


def test_a_draft_cannot_be_confirmed_even_by_its_consignee(partner_user, own_draft):
    body = {"shipment": own_draft.pk, "received_on": str(today()), "lines": [line(own_draft.items.get(), good="1")]}
    assert as_user(partner_user).post(RECEIPTS, body, format="json").status_code == 404
    assert not Receipt.objects.exists()


def test_partner_reads_their_receipts_only(partner_user, other_partner_user, own_arrived):
    receipt = confirm(own_arrived, partner_user, {own_arrived.items.first(): (10, 0, 0)})
    assert as_user(partner_user).get(f"{RECEIPTS}{receipt.pk}/").json()["received_by"] == partner_user.pk
    assert as_user(other_partner_user).get(f"{RECEIPTS}{receipt.pk}/").status_code == 404
    assert as_user(other_partner_user).get(RECEIPTS).json()["count"] == 0


# --- query counts ---------------------------------------------------------------------------------------------------


def _build(count: int, consignee, programme) -> None:
    for index in range(count):
        shipment = ShipmentFactory(
            consignee=consignee,
            programme=programme,
            status=S.PARTIALLY_RECEIVED,
            dispatched_on=days_ago(9),
            expected_arrival=days_ago(-5),
        )
        item = ShipmentItemFactory(shipment=shipment, currency=currency("EUR" if index % 2 else "USD"))
        TrackingEventFactory(shipment=shipment)
        ReceiptLineFactory(receipt__shipment=shipment, item=item, damaged=Decimal(index % 2), reason="Torn")
        ReceiptLineFactory(receipt__shipment=shipment, item=ShipmentItemFactory(shipment=shipment))


@pytest.mark.parametrize("url", [SHIPMENTS, ITEMS, EVENTS, RECEIPTS])
@pytest.mark.parametrize("reader", ["officer", "partner_user"])
def test_list_queries_stay_flat(request, url, reader, partner_org, programme):
    user = request.getfixturevalue(reader)
    api = as_user(user)
    api.get(url)  # loads the user's permissions, which are then cached for the user
    _build(3, partner_org, programme)
    with CaptureQueriesContext(connection) as few:
        response = api.get(url)
    assert response.json()["count"] >= 3
    _build(27, partner_org, programme)
    with CaptureQueriesContext(connection) as many:
        response = api.get(url)
    assert response.json()["count"] >= 30
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the schema -----------------------------------------------------------------------------------------------------


def test_schema_documents_the_shipment_endpoints(officer):
    schema = as_user(officer).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert set(paths["/api/v1/shipments/"]) == {"get", "post"}
    assert set(paths["/api/v1/shipments/{id}/"]) == {"get", "put", "patch"}
    for action in (
        "mark-ready",
        "reopen",
        "approve-dispatch",
        "dispatch",
        "mark-in-transit",
        "arrive",
        "reschedule",
        "cancel",
        "mark-lost",
    ):
        assert set(paths[f"/api/v1/shipments/{{id}}/{action}/"]) == {"post"}, action
    assert set(paths["/api/v1/shipment-items/{id}/"]) == {"get", "put", "patch", "delete"}
    assert set(paths["/api/v1/tracking-events/{id}/"]) == {"get"}
    assert set(paths["/api/v1/receipts/"]) == {"get", "post"}
    assert set(paths["/api/v1/receipts/{id}/"]) == {"get"}
    listed = {p["name"] for p in paths["/api/v1/shipments/"]["get"]["parameters"]}
    assert {
        "q",
        "status",
        "consignee",
        "destination_country",
        "programme",
        "mode",
        "delayed",
        "has_discrepancy",
        "ordering",
        "page",
    } <= listed
    assert {"shipment", "kind"} <= {p["name"] for p in paths["/api/v1/tracking-events/"]["get"]["parameters"]}
    components = schema["components"]["schemas"]
    assert components["ShipmentStatusEnum"]["enum"] == list(S.values)
    assert {"lines", "shipment", "received_on"} <= set(components["ReceiptWriteRequest"]["properties"])
    assert "totals" in components["ShipmentDetail"]["properties"]
