"""Drafting a shipment and its packing list, the dispatch checks, and the consignee's receipt."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.refusals import Refused, refusal_codes
from cooperation.roles import Role
from programs.shipments import selectors, services, waybills
from programs.shipments.models import Receipt, ReceiptLine, Shipment, ShipmentItem, ShipmentStatus, WaybillCounter
from programs.shipments.services import ShipmentRefusal
from tests.factories import ContactFactory, OrganisationFactory, ProgrammeFactory, UserFactory
from tests.programs.shipments.factories import (
    InKindProgrammeFactory,
    add_item,
    approved_shipment,
    arrived_shipment,
    confirm,
    consignee_user,
    days_ago,
    dispatched_shipment,
    draft_shipment,
    ready_shipment,
    today,
)

pytestmark = pytest.mark.django_db

S = ShipmentStatus


# --- waybills -----------------------------------------------------------------------------------------------------


def test_waybills_are_numbered_per_year_in_sequence(officer):
    first, second = draft_shipment(created_by=officer), draft_shipment(created_by=officer)
    year = today().year
    assert re.fullmatch(rf"WB-{year}-\d{{6}}", first.waybill)
    assert (first.waybill, second.waybill) == (f"WB-{year}-000001", f"WB-{year}-000002")


def test_a_deleted_shipments_waybill_is_never_issued_again(officer):
    shipment = draft_shipment(created_by=officer, items=0)
    number = shipment.waybill
    shipment.delete()
    assert draft_shipment(created_by=officer).waybill != number
    assert Shipment.history.filter(waybill=number).exists()


def test_a_typed_in_waybill_already_used_is_refused_and_nothing_is_saved(officer):
    used = draft_shipment(created_by=officer, items=0).waybill
    before = Shipment.objects.count()
    with pytest.raises(ValidationError) as refused:
        draft_shipment(created_by=officer, waybill=used.lower())
    assert refusal_codes(refused.value) == {ShipmentRefusal.WAYBILL_USED}
    assert "waybill" in refused.value.message_dict
    assert Shipment.objects.count() == before


def test_the_counter_skips_a_number_typed_in_from_a_paper_book(officer):
    year = today().year
    draft_shipment(created_by=officer, items=0, waybill=f"WB-{year}-000001")
    assert draft_shipment(created_by=officer, items=0).waybill == f"WB-{year}-000002"
    assert WaybillCounter.objects.get(year=year).last_number == 2


def test_each_year_has_its_own_counter(db):
    assert waybills.next_waybill(2030) == "WB-2030-000001"
    assert waybills.next_waybill(2031) == "WB-2031-000001"
    assert waybills.next_waybill(2030) == "WB-2030-000002"


# --- drafting -----------------------------------------------------------------------------------------------------


def test_an_officer_drafts_a_shipment_and_the_draft_is_on_the_timeline(officer):
    shipment = draft_shipment(created_by=officer, items=0, notes="Fragile")
    assert (shipment.status, shipment.created_by, shipment.notes) == (S.DRAFT, officer, "Fragile")
    assert list(shipment.events.values_list("status_after", flat=True)) == [S.DRAFT]


def test_shipments_need_an_in_kind_programme(officer):
    programme = ProgrammeFactory(is_technical=True, is_in_kind=False)
    consignee = OrganisationFactory()
    with pytest.raises(ValidationError) as refused:
        services.shipment_create(
            created_by=officer,
            programme=programme,
            donor=OrganisationFactory(),
            consignor=OrganisationFactory(),
            consignee=consignee,
            origin_country=consignee.country,
            origin_place="Jakarta",
            destination_country=consignee.country,
            destination_place="Kupang",
            mode="road",
            planned_dispatch=today(),
            expected_arrival=today(),
        )
    assert "in-kind" in refused.value.message_dict["programme"][0]
    assert not Shipment.objects.exists()


def test_the_consignee_must_take_part_in_the_programme(officer):
    shipment = draft_shipment(created_by=officer, items=0)
    outsider = OrganisationFactory(name="Outsider Foundation")
    with pytest.raises(ValidationError) as refused:
        services.shipment_update(shipment=shipment, updated_by=officer, consignee=outsider)
    assert "does not take part in this programme" in refused.value.message_dict["consignee"][0]


def test_the_contact_must_work_for_the_consignee(officer):
    shipment = draft_shipment(created_by=officer, items=0)
    with pytest.raises(ValidationError) as refused:
        services.shipment_update(shipment=shipment, updated_by=officer, consignee_contact=ContactFactory())
    assert "consignee_contact" in refused.value.message_dict
    own = ContactFactory(organisation=shipment.consignee)
    services.shipment_update(shipment=shipment, updated_by=officer, consignee_contact=own)
    assert Shipment.objects.get(pk=shipment.pk).consignee_contact == own


def test_expected_arrival_before_planned_dispatch_is_refused(officer):
    with pytest.raises(ValidationError) as refused:
        draft_shipment(created_by=officer, planned_dispatch=today(), expected_arrival=days_ago(1))
    assert "expected_arrival" in refused.value.message_dict


def test_the_consignor_cannot_be_the_consignee(officer):
    consignee = OrganisationFactory()
    with pytest.raises(ValidationError) as refused:
        draft_shipment(created_by=officer, consignee=consignee, consignor=consignee)
    assert "consignor" in refused.value.message_dict


@pytest.mark.parametrize("role", [Role.PARTNER, Role.AUDITOR])
def test_only_officers_and_managers_draft_shipments(role):
    with pytest.raises(PermissionDenied):
        draft_shipment(created_by=UserFactory(role=role))


def test_update_changes_only_the_fields_given_and_records_who(officer):
    shipment = draft_shipment(created_by=officer, items=0)
    other = UserFactory(role=Role.OFFICER)
    services.shipment_update(shipment=shipment, updated_by=other, carrier="Timor Freight", mode="road")
    shipment.refresh_from_db()
    assert (shipment.carrier, shipment.mode, shipment.destination_place) == ("Timor Freight", "road", "Dili")
    assert shipment.history.latest().history_user == other


# --- the packing list ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [0, -5, "-0.001"])
def test_zero_or_negative_quantities_are_refused_and_nothing_is_saved(officer, quantity):
    shipment = draft_shipment(created_by=officer, items=0)
    with pytest.raises(ValidationError) as refused:
        add_item(shipment, officer, quantity=quantity)
    assert "more than zero" in refused.value.message_dict["quantity"][0]
    assert not ShipmentItem.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("unit_weight_kg", -1), ("unit_value", "-0.01"), ("quantity", "lots")])
def test_negative_weights_or_values_and_words_are_refused(officer, field, value):
    shipment = draft_shipment(created_by=officer, items=0)
    with pytest.raises(ValidationError) as refused:
        add_item(shipment, officer, **{field: value})
    assert field in refused.value.message_dict
    assert not ShipmentItem.objects.exists()


def test_items_are_edited_and_removed_on_a_draft(officer):
    shipment = draft_shipment(created_by=officer, items=2)
    first, second = shipment.items.order_by("pk")
    services.item_update(item=first, updated_by=officer, quantity="250", expiry_date=days_ago(-400))
    services.item_remove(item=second, removed_by=officer)
    assert list(shipment.items.values_list("quantity", flat=True)) == [Decimal("250")]


def test_editing_items_after_ready_is_refused(officer):
    shipment = ready_shipment(draft_shipment(created_by=officer))
    item = shipment.items.get()
    for attempt in (
        lambda: add_item(shipment, officer),
        lambda: services.item_update(item=item, updated_by=officer, quantity=1),
        lambda: services.item_remove(item=item, removed_by=officer),
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refusal_codes(refused.value) == {Refused.WRONG_STATUS}
    item.refresh_from_db()
    assert (shipment.items.count(), item.quantity) == (1, Decimal("100"))


def test_a_packing_list_without_items_cannot_be_marked_ready_so_nothing_ships_empty(officer):
    shipment = draft_shipment(created_by=officer, items=0)
    with pytest.raises(ValidationError) as refused:
        services.shipment_mark_ready(shipment=shipment, prepared_by=officer)
    assert refusal_codes(refused.value) == {ShipmentRefusal.NO_ITEMS}
    assert Shipment.objects.get(pk=shipment.pk).status == S.DRAFT


def test_marking_ready_records_who_prepared_the_packing_list(officer):
    shipment = ready_shipment(draft_shipment(created_by=officer))
    assert (shipment.status, shipment.prepared_by) == (S.READY, officer)


# --- expiry -------------------------------------------------------------------------------------------------------


def test_items_expiring_within_90_days_of_the_planned_dispatch_are_flagged(officer):
    shipment = draft_shipment(created_by=officer, items=0, planned_dispatch=today(), expected_arrival=today())
    soon = add_item(shipment, officer, description="Milk powder", expiry_date=today() + datetime.timedelta(days=90))
    add_item(shipment, officer, description="Tents", expiry_date=today() + datetime.timedelta(days=91))
    add_item(shipment, officer, description="Blankets")
    assert list(selectors.expiry_warnings(shipment=shipment)) == [soon]


def test_expired_items_block_the_approval_but_soon_expiring_ones_do_not(officer, manager):
    shipment = draft_shipment(created_by=officer, items=0, planned_dispatch=today(), expected_arrival=today())
    add_item(shipment, officer, description="Biscuits", expiry_date=today() + datetime.timedelta(days=10))
    expired = add_item(shipment, officer, description="Vaccines", expiry_date=days_ago(1))
    ready_shipment(shipment)
    with pytest.raises(ValidationError, match="Expired items cannot be dispatched: Vaccines"):
        services.shipment_approve_dispatch(shipment=shipment, approved_by=manager)
    services.shipment_reopen(shipment=shipment, reopened_by=officer, reason="Remove the expired vaccines")
    services.item_remove(item=expired, removed_by=officer)
    approved_shipment(shipment, approver=manager)
    assert Shipment.objects.get(pk=shipment.pk).dispatch_approved_by == manager


def test_an_item_that_expired_before_the_actual_dispatch_date_blocks_it(officer, manager):
    shipment = draft_shipment(created_by=officer, items=0, planned_dispatch=days_ago(20), expected_arrival=today())
    add_item(shipment, officer, expiry_date=days_ago(1))
    # Approved when it was still good (the approval looks at the planned date or today, whichever is later).
    ready_shipment(shipment)
    Shipment.objects.filter(pk=shipment.pk).update(dispatch_approved_by=manager)
    with pytest.raises(ValidationError) as refused:
        services.shipment_dispatch(shipment=shipment, dispatched_by=officer, dispatched_on=today())
    assert refusal_codes(refused.value) == {ShipmentRefusal.EXPIRED_ITEMS}
    assert Shipment.objects.get(pk=shipment.pk).status == S.READY


def test_a_late_dispatch_moves_the_expected_arrival_by_the_planned_transit_time(officer):
    shipment = draft_shipment(created_by=officer, planned_dispatch=days_ago(30), expected_arrival=days_ago(20))
    dispatched_shipment(shipment, dispatched_on=days_ago(5))
    shipment.refresh_from_db()
    assert (shipment.planned_dispatch, shipment.expected_arrival) == (days_ago(30), days_ago(-5))


# --- receipt ------------------------------------------------------------------------------------------------------


@pytest.fixture
def consignee():
    return OrganisationFactory(name="Caritas Dili")


@pytest.fixture
def receiver(consignee):
    return consignee_user(consignee)


@pytest.fixture
def arrived(officer, consignee):
    return arrived_shipment(draft_shipment(created_by=officer, consignee=consignee, items=2))


def test_a_complete_receipt_makes_the_shipment_received(arrived, receiver):
    first, second = arrived.items.order_by("pk")
    receipt = confirm(arrived, receiver, {first: (100, 0, 0), second: (97, 2, 1)})
    arrived.refresh_from_db()
    assert arrived.status == S.RECEIVED and arrived.received_on == today()
    assert receipt.received_by == receiver
    line = receipt.lines.get(item=second)
    assert (line.good, line.damaged, line.lost, line.reason) == (97, 2, 1, "Crushed in the hold")


def test_receipts_in_several_goes_until_every_unit_is_accounted_for(arrived, receiver):
    first, second = arrived.items.order_by("pk")
    confirm(arrived, receiver, {first: (60, 0, 0)}, received_on=days_ago(1))
    arrived.refresh_from_db()
    assert arrived.status == S.PARTIALLY_RECEIVED
    confirm(arrived, receiver, {first: (40, 0, 0), second: (50, 0, 0)})
    arrived.refresh_from_db()
    assert arrived.status == S.PARTIALLY_RECEIVED
    confirm(arrived, receiver, {second: (0, 0, 50)})
    arrived.refresh_from_db()
    assert (arrived.status, Receipt.objects.filter(shipment=arrived).count()) == (S.RECEIVED, 3)
    assert list(arrived.events.filter(kind="status").order_by("pk").values_list("status_after", flat=True))[-3:] == [
        S.PARTIALLY_RECEIVED,
        S.PARTIALLY_RECEIVED,
        S.RECEIVED,
    ]


def test_counting_more_than_was_sent_is_refused_and_nothing_is_saved(arrived, receiver):
    first, second = arrived.items.order_by("pk")
    confirm(arrived, receiver, {first: (90, 0, 0)})
    with pytest.raises(services.ReceiptLinesInvalid) as refused:
        confirm(arrived, receiver, {first: (8, 2, 1), second: (10, 0, 0)})
    assert set(refused.value.line_errors) == {0}
    assert refusal_codes(refused.value) == {ShipmentRefusal.RECEIVED_MORE_THAN_SENT}
    assert "only 10 bag are still to be accounted for" in refused.value.message_dict["lines"][0]
    assert ReceiptLine.objects.count() == 1
    assert Shipment.objects.get(pk=arrived.pk).status == S.PARTIALLY_RECEIVED


def test_damaged_or_lost_units_need_a_reason(arrived, receiver):
    first = arrived.items.order_by("pk").first()
    with pytest.raises(services.ReceiptLinesInvalid) as refused:
        confirm(arrived, receiver, {first: (99, 1, 0)}, reason="")
    assert refused.value.line_codes == {0: {"reason": Refused.REASON_REQUIRED}}
    assert not Receipt.objects.exists()


@pytest.mark.parametrize("bad", [-1, "many", "0.0001"])
def test_negative_or_unreadable_counts_are_refused(arrived, receiver, bad):
    first = arrived.items.order_by("pk").first()
    with pytest.raises(services.ReceiptLinesInvalid) as refused:
        services.receipt_confirm(
            shipment=arrived, received_by=receiver, received_on=today(), lines=[{"item": first.pk, "good": bad}]
        )
    assert "good" in refused.value.line_errors[0]
    assert not Receipt.objects.exists()


def test_a_receipt_counting_nothing_is_refused(arrived, receiver):
    with pytest.raises(ValidationError) as refused:
        confirm(arrived, receiver, {item: (0, 0, 0) for item in arrived.items.all()})
    assert "lines" in refused.value.message_dict


def test_an_item_of_another_shipment_is_refused(arrived, receiver, officer):
    stranger = draft_shipment(created_by=officer).items.get()
    with pytest.raises(services.ReceiptLinesInvalid) as refused:
        confirm(arrived, receiver, {stranger: (1, 0, 0)})
    assert "item" in refused.value.line_errors[0]


def test_receipt_before_dispatch_is_refused(officer, consignee, receiver):
    shipment = approved_shipment(draft_shipment(created_by=officer, consignee=consignee))
    with pytest.raises(ValidationError) as refused:
        confirm(shipment, receiver, {shipment.items.get(): (100, 0, 0)})
    assert refusal_codes(refused.value) == {Refused.WRONG_STATUS}
    assert not Receipt.objects.exists()


def test_a_receipt_dated_before_the_dispatch_is_refused(officer, consignee, receiver):
    shipment = dispatched_shipment(draft_shipment(created_by=officer, consignee=consignee), dispatched_on=days_ago(3))
    with pytest.raises(ValidationError) as refused:
        confirm(shipment, receiver, {shipment.items.get(): (100, 0, 0)}, received_on=days_ago(4))
    assert "received_on" in refused.value.message_dict


def test_only_the_consignees_staff_confirm_the_receipt(arrived, other_partner_user, officer, manager, admin_user):
    item = arrived.items.order_by("pk").first()
    for stranger in (other_partner_user, officer, manager, admin_user):
        with pytest.raises(PermissionDenied):
            confirm(arrived, stranger, {item: (1, 0, 0)})
    assert not Receipt.objects.exists()


def test_a_former_member_of_the_consignee_cannot_confirm(arrived, consignee):
    user = consignee_user(consignee)
    user.memberships.update(is_active=False)
    with pytest.raises(PermissionDenied):
        confirm(arrived, user, {arrived.items.first(): (1, 0, 0)})


def test_an_in_kind_programme_can_also_carry_other_forms(officer):
    programme = InKindProgrammeFactory(is_financial=True)
    assert draft_shipment(created_by=officer, programme=programme).programme == programme
