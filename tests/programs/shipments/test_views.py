"""The officers' shipment pages: list and filters, the packing list form, the shipment's page and its moves,
the printable waybill and the discrepancies, as officers, managers, auditors and partner users see them."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone

from cooperation.roles import Role
from programs.shipments.models import (
    EventKind,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    TrackingEvent,
    WaybillCounter,
)
from tests.factories import ContactFactory, OrganisationFactory, ProgrammeFactory, UserFactory, country, currency
from tests.programs.shipments.factories import (
    InKindProgrammeFactory,
    ReceiptLineFactory,
    ShipmentFactory,
    ShipmentItemFactory,
    TrackingEventFactory,
    add_item,
    approved_shipment,
    arrived_shipment,
    confirm,
    consignee_user,
    days_ago,
    dispatched_shipment,
    draft_shipment,
    ready_shipment,
    take_part,
    today,
)

pytestmark = pytest.mark.django_db

S = ShipmentStatus


def page(client, name, *args, **params):
    return client.get(reverse(f"shipments:{name}", args=args), params)


def text(response) -> str:
    return response.content.decode()


def move(client, name, shipment, data=None):
    return client.post(reverse(f"shipments:{name}", args=[shipment.pk]), data or {})


def reload(shipment) -> Shipment:
    return Shipment.objects.get(pk=shipment.pk)


def statuses_in_timeline(shipment) -> list[str]:
    return list(
        TrackingEvent.objects.filter(shipment=shipment, kind=EventKind.STATUS_CHANGE)
        .order_by("pk")
        .values_list("status_after", flat=True)
    )


# --- the list -----------------------------------------------------------------------------------------------------


@pytest.fixture
def three_shipments(officer):
    """A draft to Timor-Leste, a delayed one to Indonesia, a received one with damaged goods to Fiji."""
    draft = draft_shipment(created_by=officer, destination_country=country("TL"))
    delayed = dispatched_shipment(
        draft_shipment(
            created_by=officer,
            destination_country=country("ID"),
            planned_dispatch=days_ago(20),
            expected_arrival=days_ago(3),
        ),
        dispatched_on=days_ago(15),
    )
    counted = arrived_shipment(draft_shipment(created_by=officer, destination_country=country("FJ")))
    confirm(counted, consignee_user(counted.consignee), {counted.items.get(): (90, 6, 4)})
    return draft, delayed, counted


def listed(response) -> set[str]:
    return {shipment.waybill for shipment in response.context["shipments"]}


def test_list_shows_each_shipment_with_its_flags(client, officer, three_shipments):
    draft, delayed, counted = three_shipments
    client.force_login(officer)
    response = page(client, "list")
    assert response.status_code == 200
    html = text(response)
    for shipment in three_shipments:
        assert shipment.waybill in html
        assert reverse("shipments:detail", args=[shipment.pk]) in html
    assert "Delayed (3 days)" in html
    assert "Discrepancy" in html
    assert "Dili, Timor-Leste" in html or "Dili, Timor Leste" in html
    assert reverse("shipments:create") in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "draft"}, {"draft"}),
        ({"status": ["dispatched", "received"]}, {"delayed", "counted"}),
        ({"destination_country": "ID"}, {"delayed"}),
        ({"delayed": "true"}, {"delayed"}),
        ({"delayed": "false"}, {"draft", "counted"}),
        ({"has_discrepancy": "true"}, {"counted"}),
    ],
)
def test_each_filter_narrows_the_list(client, officer, three_shipments, params, expected):
    names = dict(zip(("draft", "delayed", "counted"), three_shipments, strict=True))
    client.force_login(officer)
    response = page(client, "list", **params)
    assert response.status_code == 200
    assert listed(response) == {names[name].waybill for name in expected}


def test_consignee_and_programme_filters_narrow_the_list(client, officer, three_shipments):
    draft, delayed, _counted = three_shipments
    client.force_login(officer)
    assert listed(page(client, "list", consignee=delayed.consignee_id)) == {delayed.waybill}
    assert listed(page(client, "list", programme=draft.programme_id)) == {draft.waybill}


def test_a_bad_filter_value_is_ignored_not_a_server_error(client, officer, three_shipments):
    client.force_login(officer)
    response = page(client, "list", status="nonsense", consignee="abc", delayed="maybe", page="x")
    assert response.status_code == 200


def test_list_sorts_by_waybill_both_ways(client, officer):
    for number in (2, 1, 3):
        ShipmentFactory(waybill=f"WB-SORT-{number}", created_by=officer)
    client.force_login(officer)
    ascending = list(page(client, "list", ordering="waybill").context["shipments"])
    descending = list(page(client, "list", ordering="-waybill").context["shipments"])
    assert [s.waybill for s in ascending] == ["WB-SORT-1", "WB-SORT-2", "WB-SORT-3"]
    assert [s.waybill for s in descending] == ["WB-SORT-3", "WB-SORT-2", "WB-SORT-1"]


def _busy_shipments(count: int, officer):
    """``count`` shipments, each with two items, a receipt with a discrepancy and tracking events."""
    partner = UserFactory(role=Role.PARTNER)
    for _ in range(count):
        shipment = ShipmentFactory(status=S.PARTIALLY_RECEIVED, created_by=officer, dispatched_on=days_ago(5))
        first = ShipmentItemFactory(shipment=shipment)
        ShipmentItemFactory(shipment=shipment, currency=currency("EUR"))
        ReceiptLineFactory(receipt__shipment=shipment, receipt__received_by=partner, item=first, damaged=2, reason="x")
        TrackingEventFactory(shipment=shipment)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_shipments(client, officer):
    client.force_login(officer)
    url = reverse("shipments:list")
    _busy_shipments(3, officer)
    few = _queries(client, url)
    _busy_shipments(27, officer)
    many = _queries(client, url)
    assert few == many


def test_partner_users_cannot_reach_the_list(client, partner_user):
    client.force_login(partner_user)
    assert page(client, "list").status_code == 403
    assert page(client, "discrepancies").status_code == 403
    client.logout()
    assert page(client, "list").status_code == 302


# --- creating a shipment with its packing list --------------------------------------------------------------------


@pytest.fixture
def parties(partner_org):
    programme = InKindProgrammeFactory(code="INK-001", title="Cyclone relief")
    take_part(programme, partner_org)
    return {
        "programme": programme,
        "donor": OrganisationFactory(name="Donor Agency"),
        "consignor": OrganisationFactory(name="Central Warehouse"),
        "consignee": partner_org,
        "contact": ContactFactory(organisation=partner_org, name="Ana Soares"),
    }


def _item_rows(rows, existing=0, prefix="items") -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(existing),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def item_row(**fields) -> dict:
    return {
        "category": "food",
        "description": "Rice, 25 kg bags",
        "unit": "bag",
        "quantity": "100",
        "unit_weight_kg": "25",
        "unit_value": "20.00",
        "currency": "USD",
        "expiry_date": "",
        "donor": "",
    } | fields


def shipment_data(parties, rows=(), **fields) -> dict:
    data = {
        "programme": parties["programme"].pk,
        "donor": parties["donor"].pk,
        "consignor": parties["consignor"].pk,
        "consignee": parties["consignee"].pk,
        "consignee_contact": parties["contact"].pk,
        "origin_country": "AU",
        "origin_place": "Brisbane",
        "destination_country": "TL",
        "destination_place": "Dili",
        "mode": "sea",
        "carrier": "Pacific Lines",
        "transport_reference": "",
        "planned_dispatch": today().isoformat(),
        "expected_arrival": (today() + datetime.timedelta(days=14)).isoformat(),
        "notes": "",
    } | fields
    return data | _item_rows(list(rows))


def test_create_page_offers_in_kind_programmes_and_contacts_by_organisation(client, officer, parties):
    ProgrammeFactory(code="FIN-ONLY", title="Loans only", is_in_kind=False)
    client.force_login(officer)
    response = page(client, "create")
    html = text(response)
    assert response.status_code == 200
    assert "INK-001" in html and "FIN-ONLY" not in html
    assert f'<optgroup label="{parties["consignee"].name}">' in html and "Ana Soares" in html
    assert 'name="items-0-quantity"' in html and "data-formset-add" in html


def test_officer_creates_a_shipment_with_its_items(client, officer, parties):
    client.force_login(officer)
    rows = [item_row(), item_row(description="Water purification tablets", unit="box", quantity="40.5"), {}]
    response = client.post(reverse("shipments:create"), shipment_data(parties, rows))
    shipment = Shipment.objects.get()
    assert response.status_code == 302 and response.url == reverse("shipments:detail", args=[shipment.pk])
    assert shipment.status == S.DRAFT and shipment.consignee_contact == parties["contact"]
    assert shipment.waybill.startswith(f"WB-{today().year}-")
    assert sorted(shipment.items.values_list("description", "quantity")) == [
        ("Rice, 25 kg bags", Decimal("100")),
        ("Water purification tablets", Decimal("40.5")),
    ]
    detail = text(client.get(response.url))
    assert f"Shipment {shipment.waybill} was saved as a draft." in detail


def test_a_typed_waybill_is_used_once_and_never_again(client, officer, parties):
    client.force_login(officer)
    client.post(reverse("shipments:create"), shipment_data(parties, [item_row()], waybill="PAPER-0001"))
    assert Shipment.objects.get().waybill == "PAPER-0001"
    response = client.post(reverse("shipments:create"), shipment_data(parties, [item_row()], waybill="paper-0001"))
    assert response.status_code == 200
    assert "has already been used" in str(response.context["form"].errors["waybill"])
    assert Shipment.objects.count() == 1


@pytest.mark.parametrize("quantity", ["0", "-5"])
def test_a_bad_item_on_create_saves_nothing(client, officer, parties, quantity):
    client.force_login(officer)
    rows = [item_row(), item_row(description="Blankets", quantity=quantity)]
    response = client.post(reverse("shipments:create"), shipment_data(parties, rows))
    assert response.status_code == 200
    assert "nothing was saved" in text(response)
    formset = response.context["formset"]
    assert formset.forms[1].errors["quantity"] == ["The quantity must be more than zero."]
    assert not Shipment.objects.exists() and not ShipmentItem.objects.exists()
    assert not TrackingEvent.objects.exists()


def test_an_item_the_service_refuses_rolls_back_the_new_shipment_and_its_waybill_number(
    client, officer, parties, monkeypatch
):
    """The shipment and the first item are saved before the second item is refused: all of it is undone."""
    from django.core.exceptions import ValidationError

    from programs.shipments.services import items as services  # where packing_list_save finds item_add

    real_item_add = services.item_add

    def item_add(**values):
        if values["description"] == "Blankets":
            raise ValidationError({"unit": "This unit is not known to the warehouse."})
        return real_item_add(**values)

    monkeypatch.setattr(services, "item_add", item_add)
    client.force_login(officer)
    draft_shipment(created_by=officer)  # this year's waybill counter now exists
    counter_before = list(WaybillCounter.objects.values_list("year", "last_number"))
    shipments_before = Shipment.objects.count()
    rows = [item_row(), item_row(description="Blankets")]
    response = client.post(reverse("shipments:create"), shipment_data(parties, rows))
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["unit"] == ["This unit is not known to the warehouse."]
    assert Shipment.objects.count() == shipments_before
    assert not ShipmentItem.objects.filter(description="Rice, 25 kg bags", shipment__consignee=parties["consignee"])
    assert list(WaybillCounter.objects.values_list("year", "last_number")) == counter_before
    monkeypatch.setattr(services, "item_add", real_item_add)
    client.post(reverse("shipments:create"), shipment_data(parties, [item_row()]))
    year, last = counter_before[0]
    assert Shipment.objects.filter(consignee=parties["consignee"]).get().waybill == f"WB-{year}-{last + 1:06d}"


def test_expected_arrival_before_planned_dispatch_is_an_error_next_to_the_field(client, officer, parties):
    client.force_login(officer)
    data = shipment_data(parties, [item_row()], expected_arrival=days_ago(3).isoformat())
    response = client.post(reverse("shipments:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["expected_arrival"] == [
        "The expected arrival cannot be before the planned dispatch."
    ]
    assert not Shipment.objects.exists()


def test_a_contact_of_another_organisation_is_refused(client, officer, parties):
    client.force_login(officer)
    stranger = ContactFactory(name="Someone Else")
    response = client.post(reverse("shipments:create"), shipment_data(parties, consignee_contact=stranger.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["consignee_contact"] == ["Choose a contact of the consignee."]
    assert not Shipment.objects.exists()


def test_a_consignee_outside_the_programme_is_refused(client, officer, parties, other_org):
    client.force_login(officer)
    data = shipment_data(parties, [item_row()], consignee=other_org.pk, consignee_contact="")
    response = client.post(reverse("shipments:create"), data)
    assert response.status_code == 200
    assert "does not take part in this programme" in str(response.context["form"].errors["consignee"])
    assert not Shipment.objects.exists()


def test_garbage_input_is_never_a_server_error(client, officer, parties):
    client.force_login(officer)
    data = shipment_data(
        parties,
        [item_row(quantity="lots", unit_value="1e999", expiry_date="soon", currency="XXX", donor="999999")],
        planned_dispatch="yesterday",
        programme="abc",
        mode="teleport",
    )
    response = client.post(reverse("shipments:create"), data)
    assert response.status_code == 200
    assert not Shipment.objects.exists()
    broken = client.post(reverse("shipments:create"), {"items-TOTAL_FORMS": "x"})
    assert broken.status_code == 200


def test_auditor_and_partner_cannot_create(client, auditor, partner_user, parties):
    client.force_login(auditor)
    assert client.post(reverse("shipments:create"), shipment_data(parties, [item_row()])).status_code == 403
    client.force_login(partner_user)
    assert client.post(reverse("shipments:create"), shipment_data(parties, [item_row()])).status_code == 403
    assert not Shipment.objects.exists()


# --- editing a draft ----------------------------------------------------------------------------------------------


def _edit_data(shipment, rows, **fields) -> dict:
    data = {
        "programme": shipment.programme_id,
        "donor": shipment.donor_id,
        "consignor": shipment.consignor_id,
        "consignee": shipment.consignee_id,
        "consignee_contact": shipment.consignee_contact_id or "",
        "origin_country": shipment.origin_country_id,
        "origin_place": shipment.origin_place,
        "destination_country": shipment.destination_country_id,
        "destination_place": shipment.destination_place,
        "mode": shipment.mode,
        "carrier": shipment.carrier,
        "transport_reference": shipment.transport_reference,
        "planned_dispatch": shipment.planned_dispatch.isoformat(),
        "expected_arrival": shipment.expected_arrival.isoformat(),
        "notes": shipment.notes,
    } | fields
    existing = sum(1 for row in rows if row.get("item"))
    return data | _item_rows(rows, existing=existing)


def _existing_row(item, **fields) -> dict:
    return (
        item_row(
            item=str(item.pk),
            category=item.category,
            description=item.description,
            unit=item.unit,
            quantity=str(item.quantity),
            unit_weight_kg=str(item.unit_weight_kg),
            unit_value=str(item.unit_value),
            currency=item.currency_id,
        )
        | fields
    )


def test_edit_changes_the_shipment_and_adds_changes_and_removes_items(client, officer):
    shipment = draft_shipment(created_by=officer, items=2)
    keep, drop = shipment.items.order_by("pk")
    client.force_login(officer)
    form_page = page(client, "edit", shipment.pk)
    assert form_page.status_code == 200 and keep.description in text(form_page)
    rows = [
        _existing_row(keep, quantity="80"),
        _existing_row(drop, DELETE="on"),
        item_row(description="Tarpaulins", unit="piece", quantity="30"),
    ]
    response = client.post(
        reverse("shipments:edit", args=[shipment.pk]), _edit_data(shipment, rows, destination_place="Baucau")
    )
    assert response.status_code == 302
    assert reload(shipment).destination_place == "Baucau"
    assert sorted(shipment.items.values_list("description", "quantity")) == [
        ("Item 1", Decimal("80")),
        ("Tarpaulins", Decimal("30")),
    ]


def test_a_bad_item_on_edit_changes_nothing(client, officer):
    shipment = draft_shipment(created_by=officer, items=1)
    item = shipment.items.get()
    client.force_login(officer)
    rows = [_existing_row(item, quantity="0")]
    response = client.post(
        reverse("shipments:edit", args=[shipment.pk]), _edit_data(shipment, rows, destination_place="Baucau")
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["quantity"] == ["The quantity must be more than zero."]
    assert reload(shipment).destination_place == "Dili"
    assert ShipmentItem.objects.get().quantity == Decimal("100")


def test_an_item_of_another_shipment_cannot_be_edited_through_this_one(client, officer):
    shipment = draft_shipment(created_by=officer, items=1)
    foreign = draft_shipment(created_by=officer, items=1).items.get()
    client.force_login(officer)
    rows = [_existing_row(foreign, quantity="1")]
    response = client.post(reverse("shipments:edit", args=[shipment.pk]), _edit_data(shipment, rows))
    assert response.status_code == 200
    assert "no longer on the packing list" in text(response)
    assert ShipmentItem.objects.get(pk=foreign.pk).quantity == Decimal("100")


def test_items_cannot_be_edited_once_the_shipment_is_ready(client, officer):
    shipment = ready_shipment(draft_shipment(created_by=officer))
    item = shipment.items.get()
    client.force_login(officer)
    response = page(client, "edit", shipment.pk)
    assert response.status_code == 302 and response.url == reverse("shipments:detail", args=[shipment.pk])
    assert "can be edited only while it is a draft" in text(client.get(response.url))
    posted = client.post(
        reverse("shipments:edit", args=[shipment.pk]), _edit_data(shipment, [_existing_row(item, quantity="5")])
    )
    assert posted.status_code == 302
    assert ShipmentItem.objects.get().quantity == Decimal("100")
    assert reload(shipment).status == S.READY


# --- the shipment's page ------------------------------------------------------------------------------------------


def test_detail_shows_parties_items_receipts_timeline_and_history(client, officer, partner_org, partner_user):
    shipment = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org))
    confirm(shipment, partner_user, {shipment.items.get(): (90, 6, 4)}, reason="Crushed in the hold")
    client.force_login(officer)
    response = page(client, "detail", shipment.pk)
    html = text(response)
    assert response.status_code == 200
    assert shipment.waybill in html and partner_org.name in html
    assert "Brisbane" in html and "Dili" in html and "Pacific Lines" in html
    assert "USD 2,000.00" in html  # 100 bags × USD 20
    assert "2,500 kg" in html
    assert "Crushed in the hold" in html  # the receipt's reason
    assert 'id="timeline"' in html and "Received" in html and "Dispatch approved." in html
    assert "Change history" in html
    items = response.context["items"]
    assert (items[0].good, items[0].damaged, items[0].lost, items[0].remaining) == (90, 6, 4, 0)


def test_detail_flags_expiring_and_expired_items_before_dispatch(client, officer):
    shipment = draft_shipment(created_by=officer, items=0, planned_dispatch=today())
    add_item(shipment, officer, description="Therapeutic milk", expiry_date=today() + datetime.timedelta(days=30))
    add_item(shipment, officer, description="Old biscuits", expiry_date=days_ago(2))
    add_item(shipment, officer, description="Tents")
    client.force_login(officer)
    html = text(page(client, "detail", shipment.pk))
    assert "Expired items block the dispatch." in html
    assert "Old biscuits — expired" in html
    assert "Items expiring within 90 days of the planned dispatch." in html
    assert "Therapeutic milk — expires" in html
    assert "Expires within 90 days" in html


def test_detail_query_count_does_not_grow_with_items_receipts_and_events(client, officer, partner_user):
    client.force_login(officer)

    def busy(items: int):
        shipment = draft_shipment(
            created_by=officer, consignee=partner_user.memberships.get().organisation, items=items
        )
        shipment = arrived_shipment(shipment)
        for item in shipment.items.all()[:items]:
            confirm(shipment, partner_user, {item: (1, 1, 0)})
        for _ in range(items):
            TrackingEvent.objects.create(
                shipment=shipment, kind=EventKind.NOTE, note="x", occurred_at=shipment.created_at
            )
        return shipment

    few = _queries(client, reverse("shipments:detail", args=[busy(2).pk]))
    many = _queries(client, reverse("shipments:detail", args=[busy(12).pk]))
    assert few == many


def test_detail_says_how_many_days_a_shipment_is_late(client, officer):
    late = dispatched_shipment(
        draft_shipment(created_by=officer, planned_dispatch=days_ago(20), expected_arrival=days_ago(6)),
        dispatched_on=days_ago(15),
    )
    client.force_login(officer)
    assert "Delayed (6 days)" in text(page(client, "detail", late.pk))


def test_partner_users_get_404_on_every_shipment_page(client, partner_user, other_partner_user, partner_org):
    own = dispatched_shipment(draft_shipment(consignee=partner_org))
    for user in (partner_user, other_partner_user):
        client.force_login(user)
        for name in ("detail", "waybill", "edit"):
            assert page(client, name, own.pk).status_code == 404
        assert move(client, "arrive", own, {"arrive-arrived_on": today().isoformat()}).status_code == 404
    assert reload(own).status == S.DISPATCHED


def test_auditor_sees_everything_but_no_action_and_is_refused_on_post(client, auditor):
    shipment = ready_shipment(draft_shipment())
    client.force_login(auditor)
    html = text(page(client, "detail", shipment.pk))
    assert shipment.waybill in html
    assert 'id="action-' not in html and "Edit draft" not in html and "Add event" not in html
    assert "Change history" in html
    for name, data in (
        ("approve_dispatch", {}),
        ("cancel", {"cancel-reason": "Audit"}),
        ("event_add", {"event_add-kind": "note", "event_add-note": "Audit"}),
    ):
        assert move(client, name, shipment, data).status_code == 403
    assert reload(shipment).status == S.READY and reload(shipment).dispatch_approved_by is None


def test_actions_answer_405_to_get(client, officer):
    shipment = draft_shipment(created_by=officer)
    client.force_login(officer)
    for name in ("mark_ready", "reopen", "approve_dispatch", "dispatch", "arrive", "cancel", "event_add"):
        assert page(client, name, shipment.pk).status_code == 405


# --- moves --------------------------------------------------------------------------------------------------------


def test_the_whole_journey_through_the_pages(client, officer, manager):
    shipment = draft_shipment(created_by=officer)
    client.force_login(officer)
    html = text(page(client, "detail", shipment.pk))
    assert 'id="action-mark_ready"' in html and 'id="action-approve_dispatch"' not in html

    response = move(client, "mark_ready", shipment)
    assert response.status_code == 302
    assert reload(shipment).status == S.READY
    html = text(client.get(response.url))
    assert f"The packing list of {shipment.waybill} is locked" in html
    assert "A manager must approve the dispatch first." in html

    client.force_login(manager)
    assert 'id="action-approve_dispatch"' in text(page(client, "detail", shipment.pk))
    assert move(client, "approve_dispatch", shipment).status_code == 302
    assert reload(shipment).dispatch_approved_by == manager

    client.force_login(officer)
    response = move(
        client,
        "dispatch",
        shipment,
        {"dispatch-dispatched_on": days_ago(4).isoformat(), "dispatch-carrier": "MV Lorosae"},
    )
    assert response.status_code == 302
    shipment = reload(shipment)
    assert (shipment.status, shipment.dispatched_on, shipment.carrier) == (S.DISPATCHED, days_ago(4), "MV Lorosae")

    move(client, "mark_in_transit", shipment, {"mark_in_transit-place": "Darwin"})
    assert reload(shipment).status == S.IN_TRANSIT
    move(
        client,
        "reschedule",
        shipment,
        {"reschedule-expected_arrival": (today() + datetime.timedelta(days=20)).isoformat()},
    )
    assert reload(shipment).expected_arrival == today() + datetime.timedelta(days=20)
    move(client, "event_add", shipment, {"event_add-kind": "customs_hold", "event_add-place": "Dili port"})
    assert TrackingEvent.objects.filter(
        shipment=shipment, kind="customs_hold", place="Dili port", user=officer
    ).exists()
    move(client, "arrive", shipment, {"arrive-arrived_on": days_ago(1).isoformat()})
    shipment = reload(shipment)
    assert (shipment.status, shipment.arrived_on) == (S.ARRIVED, days_ago(1))
    assert statuses_in_timeline(shipment) == ["draft", "ready", "dispatched", "in_transit", "arrived"]
    timeline = text(page(client, "detail", shipment.pk))
    assert "Customs hold" in timeline and "Dili port" in timeline and "Darwin" in timeline


def test_the_manager_who_prepared_the_list_cannot_approve_its_dispatch(client, manager):
    shipment = draft_shipment(created_by=manager)
    client.force_login(manager)
    move(client, "mark_ready", shipment)
    html = text(page(client, "detail", shipment.pk))
    assert reverse("shipments:approve_dispatch", args=[shipment.pk]) not in html  # shown, but no button
    assert "another manager must approve its dispatch" in html
    response = move(client, "approve_dispatch", shipment)
    assert response.status_code == 200
    assert "You prepared this packing list, so another manager must approve its dispatch." in text(response)
    shipment = reload(shipment)
    assert shipment.status == S.READY and shipment.dispatch_approved_by is None


def test_an_officer_cannot_approve_a_dispatch(client, officer):
    shipment = ready_shipment(draft_shipment())
    client.force_login(officer)
    assert move(client, "approve_dispatch", shipment).status_code == 403
    assert reload(shipment).dispatch_approved_by is None


def test_expired_items_block_the_approval(client, manager):
    shipment = draft_shipment(items=0, planned_dispatch=today())
    add_item(shipment, shipment.created_by, description="Old biscuits", expiry_date=days_ago(2))
    ready_shipment(shipment)
    client.force_login(manager)
    response = move(client, "approve_dispatch", shipment)
    assert response.status_code == 200
    assert "Expired items cannot be dispatched: Old biscuits" in text(response)
    assert reload(shipment).dispatch_approved_by is None


def test_dispatch_without_items_is_refused(client, officer, manager):
    shipment = ShipmentFactory(status=S.READY, dispatch_approved_by=manager, created_by=officer)
    client.force_login(officer)
    response = move(client, "dispatch", shipment, {"dispatch-dispatched_on": today().isoformat()})
    assert response.status_code == 200
    assert "A shipment without items cannot be dispatched." in text(response)
    assert reload(shipment).status == S.READY


def test_marking_an_empty_list_ready_is_refused(client, officer):
    shipment = draft_shipment(created_by=officer, items=0)
    client.force_login(officer)
    response = move(client, "mark_ready", shipment)
    assert response.status_code == 200
    assert "Add at least one item to the packing list" in text(response)
    assert reload(shipment).status == S.DRAFT


def test_arrival_before_dispatch_is_an_error_next_to_the_date(client, officer):
    shipment = dispatched_shipment(draft_shipment(created_by=officer), dispatched_on=days_ago(5))
    client.force_login(officer)
    response = move(client, "arrive", shipment, {"arrive-arrived_on": days_ago(8).isoformat()})
    assert response.status_code == 200
    action = next(action for action in response.context["actions"] if action.name == "arrive")
    assert action.is_open and "The arrival cannot be before the dispatch" in action.form.errors["arrived_on"][0]
    assert reload(shipment).status == S.DISPATCHED and reload(shipment).arrived_on is None


def test_a_move_out_of_order_is_refused_with_a_message(client, officer):
    shipment = draft_shipment(created_by=officer)
    client.force_login(officer)
    response = move(client, "arrive", shipment, {"arrive-arrived_on": today().isoformat()})
    assert response.status_code == 200
    assert "Only a dispatched shipment or one in transit can arrive; this one is Draft." in text(response)
    assert reload(shipment).status == S.DRAFT and statuses_in_timeline(shipment) == ["draft"]


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("cancel", {"cancel-reason": ""}, "reason"),
        ("dispatch", {"dispatch-dispatched_on": "not a date"}, "dispatched_on"),
        ("dispatch", {"dispatch-dispatched_on": (today() + datetime.timedelta(days=3)).isoformat()}, "dispatched_on"),
        ("reschedule", {"reschedule-expected_arrival": days_ago(400).isoformat()}, "expected_arrival"),
        ("event_add", {"event_add-kind": "note", "event_add-note": ""}, "note"),
        ("event_add", {"event_add-kind": "status", "event_add-note": "x"}, "kind"),
    ],
)
def test_bad_input_to_a_move_is_an_error_next_to_the_field(client, officer, manager, name, data, field):
    shipment = approved_shipment(draft_shipment(created_by=officer), approver=manager)
    client.force_login(officer)
    before = TrackingEvent.objects.filter(shipment=shipment).count()
    response = move(client, name, shipment, data)
    assert response.status_code == 200
    form = (
        response.context["event_form"]
        if name == "event_add"
        else next(action.form for action in response.context["actions"] if action.name == name)
    )
    assert form.errors[field]
    assert reload(shipment).status == S.READY
    assert TrackingEvent.objects.filter(shipment=shipment).count() == before


def test_reopen_cancel_and_loss_each_write_a_timeline_entry(client, officer, manager):
    ready = ready_shipment(draft_shipment(created_by=officer))
    on_the_way = dispatched_shipment(draft_shipment(created_by=officer))
    client.force_login(officer)
    move(client, "reopen", ready, {"reopen-reason": "Add blankets"})
    assert reload(ready).status == S.DRAFT
    move(client, "cancel", ready, {"cancel-reason": "Road closed"})
    assert reload(ready).status == S.CANCELLED and reload(ready).status_note == "Road closed"
    move(client, "mark_lost", on_the_way, {"mark_lost-reason": "Truck looted", "mark_lost-place": "Maliana"})
    assert reload(on_the_way).status == S.LOST
    assert statuses_in_timeline(ready)[-2:] == ["draft", "cancelled"]
    assert TrackingEvent.objects.filter(shipment=on_the_way, status_after=S.LOST, place="Maliana").exists()


# --- the printable waybill ----------------------------------------------------------------------------------------


def test_waybill_lists_the_goods_with_totals_and_signature_boxes(client, auditor, officer):
    shipment = draft_shipment(created_by=officer, items=2)
    shipment.consignee.address = "Jalan Merdeka 1, Kupang"
    shipment.consignee.save(update_fields=["address"])
    client.force_login(auditor)
    response = page(client, "waybill", shipment.pk)
    html = text(response)
    assert response.status_code == 200
    assert f'<p class="waybill-number" data-waybill>{shipment.waybill}</p>' in html
    assert "Jalan Merdeka 1, Kupang" in html
    assert "Item 1" in html and "Item 2" in html
    assert "USD 4,000.00" in html and "5,000" in html  # 2 × 100 bags × USD 20, × 25 kg
    assert html.count('class="signature-box"') == 3 and "Stamp" in html
    assert "js/print.js" in html and "data-print" in html
    assert "Draft — the packing list may still change" in html


# --- discrepancies ------------------------------------------------------------------------------------------------


def _counted_with_losses(officer, partner_user, damaged, lost, unit_value="20.00", currency_code="USD"):
    shipment = arrived_shipment(_draft_with_item(officer, partner_user, unit_value, currency_code))
    confirm(shipment, partner_user, {shipment.items.get(): (100 - damaged - lost, damaged, lost)})
    return shipment


def _draft_with_item(officer, partner_user, unit_value, currency_code="USD"):
    shipment = draft_shipment(created_by=officer, consignee=partner_user.memberships.get().organisation, items=0)
    add_item(shipment, officer, unit_value=Decimal(unit_value), currency=currency(currency_code))
    return shipment


def test_discrepancies_list_the_losses_largest_value_first(client, officer, partner_user):
    small = _counted_with_losses(officer, partner_user, damaged=1, lost=0)
    large = _counted_with_losses(officer, partner_user, damaged=5, lost=5)
    _counted_with_losses(officer, partner_user, damaged=0, lost=0)  # all good: not a discrepancy
    client.force_login(officer)
    response = page(client, "discrepancies")
    html = text(response)
    assert response.status_code == 200
    assert [line.receipt.shipment for line in response.context["lines"]] == [large, small]
    assert "USD 200.00" in html and "USD 20.00" in html
    assert "Crushed in the hold" in html
    assert reverse("shipments:detail", args=[large.pk]) in html


def test_discrepancies_are_ranked_and_totalled_within_each_currency(client, officer, partner_user):
    small_usd = _counted_with_losses(officer, partner_user, damaged=1, lost=0)
    large_usd = _counted_with_losses(officer, partner_user, damaged=5, lost=5)
    jpy = _counted_with_losses(officer, partner_user, damaged=2, lost=0, unit_value="75", currency_code="JPY")
    client.force_login(officer)
    response = page(client, "discrepancies")
    shipments = [line.receipt.shipment for line in response.context["lines"]]
    # 150 yen is not "between" 200 and 20 dollars: each currency keeps its own ranking.
    assert shipments in ([jpy, large_usd, small_usd], [large_usd, small_usd, jpy])
    html = text(response)
    totals = html[html.index("data-discrepancy-totals") :]
    assert "USD 220.00" in totals and "JPY 150" in totals
    assert "2 lines" in totals and "1 line" in totals


def test_discrepancies_query_count_does_not_grow(client, officer, partner_user):
    client.force_login(officer)
    url = reverse("shipments:discrepancies")
    for _ in range(2):
        _counted_with_losses(officer, partner_user, damaged=1, lost=1)
    few = _queries(client, url)
    for _ in range(10):
        _counted_with_losses(officer, partner_user, damaged=1, lost=1)
    assert _queries(client, url) == few


def test_the_change_history_shows_times_in_the_organisations_time_zone(client, officer, manager, settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    shipment = approved_shipment(draft_shipment(created_by=officer), approver=manager)
    approved_at = shipment.dispatch_approved_at
    client.force_login(officer)
    html = client.get(reverse("shipments:detail", args=[shipment.pk])).content.decode()
    history = html[html.index('id="history"') :]
    local = formats.date_format(timezone.localtime(approved_at), "DATETIME_FORMAT")
    utc = formats.date_format(timezone.localtime(approved_at, datetime.UTC), "DATETIME_FORMAT")
    assert local != utc  # Jakarta is seven hours ahead of UTC all year
    assert local in history and utc not in history


def test_a_forged_row_count_is_refused_without_building_thousands_of_rows(client, officer):
    client.force_login(officer)
    data = {"items-TOTAL_FORMS": "100000", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0"}
    before = Shipment.objects.count()
    response = client.post(reverse("shipments:create"), data)
    assert response.status_code == 200
    assert "Please submit at most 100 forms." in response.content.decode()
    assert Shipment.objects.count() == before
