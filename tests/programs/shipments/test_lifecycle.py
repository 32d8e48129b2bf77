"""Every move of a shipment from every status: the legal ones change the status and write a tracking event,
the illegal ones are refused with a message naming the current status, and change nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cooperation.refusals import Refused, refusal_codes
from cooperation.roles import Role
from programs.shipments import services
from programs.shipments.models import EventKind, Shipment, ShipmentStatus, TrackingEvent
from programs.shipments.services import ShipmentRefusal
from tests.factories import OrganisationFactory, UserFactory
from tests.programs.shipments.factories import (
    approved_shipment,
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
STARTS = [
    "draft",
    "ready",
    "approved",
    "dispatched",
    "in_transit",
    "arrived",
    "partial",
    "received",
    "cancelled",
    "lost",
]


class People:
    def __init__(self):
        self.officer = UserFactory(role=Role.OFFICER)
        self.manager = UserFactory(role=Role.MANAGER)
        self.consignee = OrganisationFactory()
        self.partner = consignee_user(self.consignee)


@pytest.fixture
def people():
    return People()


def shipment_in(start: str, people: People) -> Shipment:
    """A shipment (two items of 100 bags) brought to ``start`` through the services."""
    shipment = draft_shipment(created_by=people.officer, consignee=people.consignee, items=2)
    if start == "draft":
        return shipment
    if start == "cancelled":
        return services.shipment_cancel(shipment=shipment, cancelled_by=people.officer, reason="Donor withdrew")
    if start == "ready":
        return ready_shipment(shipment)
    if start == "approved":
        return approved_shipment(shipment, approver=people.manager)
    shipment = dispatched_shipment(shipment, approver=people.manager)
    if start == "dispatched":
        return shipment
    if start == "lost":
        return services.shipment_mark_lost(shipment=shipment, updated_by=people.officer, reason="Vessel sank")
    if start == "in_transit":
        return services.shipment_mark_in_transit(shipment=shipment, updated_by=people.officer)
    shipment = services.shipment_arrive(shipment=shipment, updated_by=people.officer, arrived_on=days_ago(1))
    if start == "arrived":
        return shipment
    first, second = shipment.items.order_by("pk")
    if start == "partial":
        confirm(shipment, people.partner, {first: (100, 0, 0)})
    else:
        confirm(shipment, people.partner, {first: (100, 0, 0), second: (100, 0, 0)})
    shipment.refresh_from_db()
    return shipment


def _receive_one(shipment, people):
    """Count one more unit of the last item (every status but 'received' has one left)."""
    item = shipment.items.order_by("pk").last()
    return confirm(shipment, people.partner, {item: (1, 0, 0)})


# move: (action, the starts it is legal from, the status it leads to — None when the status stays)
MOVES = {
    "update": (
        lambda s, p: services.shipment_update(shipment=s, updated_by=p.officer, notes="Handle with care"),
        {"draft"},
        None,
    ),
    "add_item": (
        lambda s, p: services.item_add(
            shipment=s,
            added_by=p.officer,
            category="medical",
            description="First aid kits",
            unit="kit",
            quantity=10,
            currency=s.items.first().currency,
        ),
        {"draft"},
        None,
    ),
    "edit_item": (
        lambda s, p: services.item_update(item=s.items.first(), updated_by=p.officer, quantity=Decimal(5)),
        {"draft"},
        None,
    ),
    "remove_item": (lambda s, p: services.item_remove(item=s.items.first(), removed_by=p.officer), {"draft"}, None),
    "mark_ready": (lambda s, p: services.shipment_mark_ready(shipment=s, prepared_by=p.officer), {"draft"}, S.READY),
    "reopen": (
        lambda s, p: services.shipment_reopen(shipment=s, reopened_by=p.officer, reason="Wrong quantities"),
        {"ready", "approved"},
        S.DRAFT,
    ),
    "approve_dispatch": (
        lambda s, p: services.shipment_approve_dispatch(shipment=s, approved_by=p.manager),
        {"ready"},
        None,
    ),
    "dispatch": (
        lambda s, p: services.shipment_dispatch(shipment=s, dispatched_by=p.officer, dispatched_on=days_ago(2)),
        {"approved"},
        S.DISPATCHED,
    ),
    "mark_in_transit": (
        lambda s, p: services.shipment_mark_in_transit(shipment=s, updated_by=p.officer, place="Kupang"),
        {"dispatched"},
        S.IN_TRANSIT,
    ),
    "arrive": (
        lambda s, p: services.shipment_arrive(shipment=s, updated_by=p.officer, arrived_on=today()),
        {"dispatched", "in_transit"},
        S.ARRIVED,
    ),
    "confirm_receipt": (_receive_one, {"dispatched", "in_transit", "arrived", "partial"}, None),
    "reschedule": (
        lambda s, p: services.shipment_reschedule(shipment=s, updated_by=p.officer, expected_arrival=days_ago(-30)),
        {"ready", "approved", "dispatched", "in_transit"},
        None,
    ),
    "customs_hold": (
        lambda s, p: services.tracking_event_add(shipment=s, added_by=p.officer, kind=EventKind.CUSTOMS_HOLD),
        {"dispatched", "in_transit", "arrived"},
        None,
    ),
    "cancel": (
        lambda s, p: services.shipment_cancel(shipment=s, cancelled_by=p.officer, reason="Donor withdrew"),
        {"draft", "ready", "approved"},
        S.CANCELLED,
    ),
    "mark_lost": (
        lambda s, p: services.shipment_mark_lost(shipment=s, updated_by=p.officer, reason="Looted at the border"),
        {"dispatched", "in_transit"},
        S.LOST,
    ),
}

# Refusals that are about something else than the status (which allows the move in general).
OTHER_REFUSALS = {
    ("approve_dispatch", "approved"): ShipmentRefusal.DISPATCH_ALREADY_APPROVED,
    ("dispatch", "ready"): ShipmentRefusal.DISPATCH_NOT_APPROVED,
}

CASES = [(move, start) for move in MOVES for start in STARTS]


@pytest.mark.parametrize(("move", "start"), CASES, ids=[f"{move}-from-{start}" for move, start in CASES])
def test_each_move_is_allowed_only_from_its_statuses(move, start, people):
    action, legal_from, leads_to = MOVES[move]
    shipment = shipment_in(start, people)
    status_before = shipment.status
    events_before = TrackingEvent.objects.filter(shipment=shipment).count()

    if start in legal_from:
        action(shipment, people)
        shipment.refresh_from_db()
        if leads_to is not None:
            assert shipment.status == leads_to
            last = TrackingEvent.objects.filter(shipment=shipment, kind=EventKind.STATUS_CHANGE).latest("pk")
            assert last.status_after == leads_to
            assert last.user == people.officer
            assert TrackingEvent.objects.filter(shipment=shipment).count() == events_before + 1
    else:
        with pytest.raises(ValidationError) as refused:
            action(shipment, people)
        shipment.refresh_from_db()
        assert shipment.status == status_before
        assert TrackingEvent.objects.filter(shipment=shipment).count() == events_before
        code = OTHER_REFUSALS.get((move, start), Refused.WRONG_STATUS)
        assert refusal_codes(refused.value) == {code}
        if code == Refused.WRONG_STATUS:
            assert str(S(status_before).label) in str(refused.value)


def test_the_full_journey_leaves_one_status_event_per_change_in_order(people):
    shipment = shipment_in("received", people)
    events = TrackingEvent.objects.filter(shipment=shipment, kind=EventKind.STATUS_CHANGE).order_by("pk")
    assert list(events.values_list("status_after", flat=True)) == [
        S.DRAFT,
        S.READY,
        S.DISPATCHED,
        S.ARRIVED,
        S.RECEIVED,
    ]
    assert all(event.user is not None for event in events)
    # Dated moves are placed on their day in the timeline, whenever they were recorded.
    dispatched = events.get(status_after=S.DISPATCHED)
    assert dispatched.occurred_at.date() == shipment.dispatched_on


def test_dispatch_needs_the_managers_approval(people):
    shipment = ready_shipment(draft_shipment(created_by=people.officer))
    with pytest.raises(ValidationError) as refused:
        services.shipment_dispatch(shipment=shipment, dispatched_by=people.officer, dispatched_on=today())
    assert refusal_codes(refused.value) == {ShipmentRefusal.DISPATCH_NOT_APPROVED}
    assert Shipment.objects.get(pk=shipment.pk).status == S.READY


def test_the_preparer_cannot_approve_the_dispatch_even_as_a_manager(people):
    shipment = draft_shipment(created_by=people.manager)
    services.shipment_mark_ready(shipment=shipment, prepared_by=people.manager)
    with pytest.raises(ValidationError) as refused:
        services.shipment_approve_dispatch(shipment=shipment, approved_by=people.manager)
    assert refusal_codes(refused.value) == {Refused.OWN_RECORD}
    services.shipment_approve_dispatch(shipment=shipment, approved_by=UserFactory(role=Role.MANAGER))
    shipment.refresh_from_db()
    assert shipment.dispatch_approved_by_id is not None and shipment.prepared_by == people.manager


def test_an_officer_cannot_approve_a_dispatch(people):
    shipment = ready_shipment(draft_shipment(created_by=people.officer))
    with pytest.raises(Exception) as refused:
        services.shipment_approve_dispatch(shipment=shipment, approved_by=UserFactory(role=Role.OFFICER))
    assert type(refused.value).__name__ == "PermissionDenied"


def test_reopening_withdraws_the_approval(people):
    shipment = approved_shipment(draft_shipment(created_by=people.officer), approver=people.manager)
    services.shipment_reopen(shipment=shipment, reopened_by=people.officer, reason="One more pallet")
    shipment.refresh_from_db()
    assert (shipment.status, shipment.dispatch_approved_by, shipment.prepared_by) == (S.DRAFT, None, None)
    assert shipment.status_note == "One more pallet"


def test_arrival_before_dispatch_is_refused(people):
    shipment = dispatched_shipment(draft_shipment(created_by=people.officer), dispatched_on=days_ago(3))
    with pytest.raises(ValidationError) as refused:
        services.shipment_arrive(shipment=shipment, updated_by=people.officer, arrived_on=days_ago(4))
    assert "arrived_on" in refused.value.message_dict
    assert Shipment.objects.get(pk=shipment.pk).status == S.DISPATCHED


def test_dates_in_the_future_are_refused(people):
    shipment = approved_shipment(draft_shipment(created_by=people.officer))
    with pytest.raises(ValidationError) as refused:
        services.shipment_dispatch(shipment=shipment, dispatched_by=people.officer, dispatched_on=days_ago(-1))
    assert "dispatched_on" in refused.value.message_dict


def test_cancelling_and_losing_need_a_reason(people):
    shipment = draft_shipment(created_by=people.officer)
    with pytest.raises(ValidationError) as refused:
        services.shipment_cancel(shipment=shipment, cancelled_by=people.officer, reason="  ")
    assert "reason" in refused.value.message_dict
    on_the_way = dispatched_shipment(draft_shipment(created_by=people.officer))
    with pytest.raises(ValidationError):
        services.shipment_mark_lost(shipment=on_the_way, updated_by=people.officer, reason="")
    assert Shipment.objects.get(pk=on_the_way.pk).status == S.DISPATCHED


def test_dispatch_records_the_carriers_reference_and_the_date(people):
    shipment = approved_shipment(draft_shipment(created_by=people.officer))
    services.shipment_dispatch(
        shipment=shipment,
        dispatched_by=people.officer,
        dispatched_on=days_ago(2),
        transport_reference="BL-889120",
    )
    shipment.refresh_from_db()
    assert (shipment.dispatched_on, shipment.transport_reference) == (days_ago(2), "BL-889120")
    event = shipment.events.get(status_after=S.DISPATCHED)
    assert event.place == "Brisbane" and event.occurred_at.date() <= today()


def test_arrived_is_set_by_a_receipt_when_the_officer_did_not_record_the_arrival(people):
    shipment = dispatched_shipment(draft_shipment(created_by=people.officer, consignee=people.consignee))
    confirm(shipment, people.partner, {shipment.items.get(): (100, 0, 0)}, received_on=days_ago(1))
    shipment.refresh_from_db()
    assert (shipment.status, shipment.arrived_on, shipment.received_on) == (S.RECEIVED, days_ago(1), days_ago(1))


def test_customs_events_do_not_change_the_status(people):
    shipment = dispatched_shipment(draft_shipment(created_by=people.officer))
    for kind in (EventKind.CUSTOMS_ENTRY, EventKind.CUSTOMS_HOLD, EventKind.CUSTOMS_RELEASE):
        services.tracking_event_add(shipment=shipment, added_by=people.officer, kind=kind, place="Dili port")
    shipment.refresh_from_db()
    assert shipment.status == S.DISPATCHED
    assert list(shipment.events.exclude(kind=EventKind.STATUS_CHANGE).values_list("kind", flat=True)) == [
        EventKind.NOTE,  # the manager's approval
        EventKind.CUSTOMS_ENTRY,
        EventKind.CUSTOMS_HOLD,
        EventKind.CUSTOMS_RELEASE,
    ]


def test_a_status_change_cannot_be_added_as_an_event(people):
    shipment = dispatched_shipment(draft_shipment(created_by=people.officer))
    with pytest.raises(ValidationError) as refused:
        services.tracking_event_add(shipment=shipment, added_by=people.officer, kind=EventKind.STATUS_CHANGE)
    assert "kind" in refused.value.message_dict


def test_partner_users_cannot_add_events(people):
    shipment = dispatched_shipment(draft_shipment(created_by=people.officer, consignee=people.consignee))
    with pytest.raises(Exception) as refused:
        services.tracking_event_add(shipment=shipment, added_by=people.partner, kind=EventKind.NOTE, note="Hi")
    assert type(refused.value).__name__ == "PermissionDenied"
