"""Factories for the shipments module, and helpers that walk a shipment through its services.

The model factories build rows directly (fast, for reads and pages), and rewrite the shipment's values as the
services do after an item or a receipt line; ``draft_shipment``, ``ready_shipment``,
``approved_shipment``, ``dispatched_shipment``, ``arrived_shipment`` and ``confirm`` go through the services,
so the waybill, the tracking events and the receipt checks are the real ones. Dates are relative to today,
because the services refuse dates in the future.
"""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from cooperation.reference.codes import OrganisationRole
from cooperation.roles import Role
from programs.models import Participation
from programs.shipments import services
from programs.shipments.models import (
    DelayAlertLog,
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
from programs.shipments.values import refresh_shipment_values
from tests.factories import MembershipFactory, OrganisationFactory, ProgrammeFactory, UserFactory, country, currency


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def take_part(programme, organisation, role=OrganisationRole.IMPLEMENTING) -> None:
    """Make ``programme`` in-kind and ``organisation`` one of its participants, as the services require."""
    if not programme.is_in_kind:
        programme.is_in_kind = True
        programme.save(update_fields=["is_in_kind"])
    Participation.objects.get_or_create(programme=programme, organisation=organisation, defaults={"role": role})


class InKindProgrammeFactory(ProgrammeFactory):
    is_in_kind = True
    is_technical = False


class ShipmentFactory(factory.django.DjangoModelFactory):
    """A draft shipment on an in-kind programme in which its consignee takes part (no items)."""

    class Meta:
        model = Shipment
        skip_postgeneration_save = True

    waybill = factory.Sequence(lambda n: f"WB-TEST-{n:06d}")
    programme = factory.SubFactory(InKindProgrammeFactory)
    donor = factory.SubFactory(OrganisationFactory)
    consignor = factory.SubFactory(OrganisationFactory)
    consignee = factory.SubFactory(OrganisationFactory)
    origin_country = factory.LazyFunction(lambda: country("AU"))
    origin_place = "Brisbane"
    destination_country = factory.LazyFunction(lambda: country("TL"))
    destination_place = "Dili"
    mode = TransportMode.SEA
    carrier = "Pacific Lines"
    planned_dispatch = factory.LazyFunction(lambda: days_ago(10))
    expected_arrival = factory.LazyFunction(lambda: days_ago(-10))
    status = ShipmentStatus.DRAFT
    created_by = factory.SubFactory(UserFactory, role=Role.OFFICER)

    @factory.post_generation
    def consignee_takes_part(self, create, extracted, **kwargs):
        if create:
            take_part(self.programme, self.consignee)


class ShipmentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShipmentItem

    shipment = factory.SubFactory(ShipmentFactory)
    category = ItemCategory.FOOD
    description = factory.Sequence(lambda n: f"Rice, 25 kg bags (lot {n})")
    unit = "bag"
    quantity = Decimal("100")
    unit_weight_kg = Decimal("25")
    unit_value = Decimal("20.00")
    currency = factory.LazyFunction(lambda: currency("USD"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        record = super()._create(model_class, *args, **kwargs)
        refresh_shipment_values(record.shipment_id)
        return record


class TrackingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackingEvent

    shipment = factory.SubFactory(ShipmentFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    kind = EventKind.NOTE
    status_after = ""
    note = "Container loaded."


class ReceiptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Receipt

    shipment = factory.SubFactory(ShipmentFactory, status=ShipmentStatus.PARTIALLY_RECEIVED)
    received_by = factory.SubFactory(UserFactory, role=Role.PARTNER)
    received_on = factory.LazyFunction(today)


class ReceiptLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceiptLine

    receipt = factory.SubFactory(ReceiptFactory)
    item = factory.SubFactory(ShipmentItemFactory, shipment=factory.SelfAttribute("..receipt.shipment"))
    good = Decimal("1")
    damaged = Decimal("0")
    lost = Decimal("0")
    reason = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        record = super()._create(model_class, *args, **kwargs)
        refresh_shipment_values(record.receipt.shipment_id)
        return record


class DelayAlertLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelayAlertLog

    shipment = factory.SubFactory(ShipmentFactory, status=ShipmentStatus.DISPATCHED)
    expected_arrival = factory.SelfAttribute("shipment.expected_arrival")


# --- through the services -----------------------------------------------------------------------------------------


def consignee_user(organisation):
    """A partner user working for ``organisation``."""
    return MembershipFactory(organisation=organisation).user


def draft_shipment(*, created_by=None, items=1, consignee=None, programme=None, **fields) -> Shipment:
    """A draft created through the service, with ``items`` items of 100 bags each (the consignee's risk flags, if
    any, acknowledged: tests of the acknowledgement create their shipments themselves)."""
    created_by = created_by or UserFactory(role=Role.OFFICER)
    consignee = consignee or OrganisationFactory()
    programme = programme or InKindProgrammeFactory()
    take_part(programme, consignee)
    values = {
        "donor": OrganisationFactory(),
        "consignor": OrganisationFactory(),
        "origin_country": country("AU"),
        "origin_place": "Brisbane",
        "destination_country": country("TL"),
        "destination_place": "Dili",
        "mode": TransportMode.SEA,
        "carrier": "Pacific Lines",
        "planned_dispatch": days_ago(10),
        "expected_arrival": days_ago(-10),
        "risk_acknowledged": True,
    } | fields
    shipment = services.shipment_create(created_by=created_by, programme=programme, consignee=consignee, **values)
    for number in range(items):
        add_item(shipment, created_by, description=f"Item {number + 1}")
    return shipment


def add_item(shipment, user, **fields) -> ShipmentItem:
    values = {
        "category": ItemCategory.FOOD,
        "description": "Rice, 25 kg bags",
        "unit": "bag",
        "quantity": Decimal("100"),
        "unit_weight_kg": Decimal("25"),
        "unit_value": Decimal("20.00"),
        "currency": currency("USD"),
    } | fields
    return services.item_add(shipment=shipment, added_by=user, **values)


def ready_shipment(shipment=None, **fields) -> Shipment:
    shipment = shipment or draft_shipment(**fields)
    return services.shipment_mark_ready(shipment=shipment, prepared_by=shipment.created_by)


def approved_shipment(shipment=None, *, approver=None, **fields) -> Shipment:
    shipment = ready_shipment(shipment, **fields)
    return services.shipment_approve_dispatch(shipment=shipment, approved_by=approver or UserFactory(role=Role.MANAGER))


def dispatched_shipment(shipment=None, *, dispatched_on=None, **fields) -> Shipment:
    shipment = approved_shipment(shipment, **fields)
    return services.shipment_dispatch(
        shipment=shipment, dispatched_by=shipment.created_by, dispatched_on=dispatched_on or days_ago(5)
    )


def arrived_shipment(shipment=None, *, arrived_on=None, **fields) -> Shipment:
    shipment = dispatched_shipment(shipment, **fields)
    return services.shipment_arrive(
        shipment=shipment, updated_by=shipment.created_by, arrived_on=arrived_on or days_ago(1)
    )


def confirm(shipment, user, counts: dict, *, received_on=None, reason="Crushed in the hold") -> Receipt:
    """Confirm a receipt: ``counts`` maps each item to (good, damaged, lost)."""
    lines = [
        {"item": item, "good": good, "damaged": damaged, "lost": lost, "reason": reason if damaged or lost else ""}
        for item, (good, damaged, lost) in counts.items()
    ]
    return services.receipt_confirm(
        shipment=shipment, received_by=user, received_on=received_on or today(), lines=lines
    )
