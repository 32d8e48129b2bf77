"""The demonstration shipments ``demo.load`` loads, from the tables in demo_shipments.toml: who sends what to
whom, and where each shipment's story ends."""

from dataclasses import dataclass
from pathlib import Path

from programs.demo.tables import read_records
from programs.shipments.models import EventKind, ItemCategory, ShipmentStatus, TransportMode


@dataclass(frozen=True)
class DemoItem:
    category: ItemCategory
    description: str
    unit: str
    quantity: str
    unit_weight_kg: str
    unit_value: str
    currency: str
    expires_in_days: int | None = None  # from today; within 90 days the dispatch is flagged


@dataclass(frozen=True)
class DemoShipment:
    reference: str  # the transport reference: the demo shipment's natural key
    programme: str
    donor: str
    consignor: str
    consignee: str
    origin: tuple[str, str]  # country code, place
    destination: tuple[str, str]
    mode: TransportMode
    carrier: str
    ends: ShipmentStatus  # where its story ends
    dispatch_days_ago: int  # the planned (and, once dispatched, actual) dispatch; negative is still to come
    journey_days: int  # planned dispatch to expected arrival
    items: tuple[DemoItem, ...]
    approved: bool = False  # a ready shipment whose dispatch the manager already approved
    arrived_days_ago: int | None = None
    customs: tuple[EventKind, ...] = ()
    counts: tuple[tuple[str, str, str], ...] = ()  # per item: good, damaged, lost, on the consignee's receipt
    reason: str = ""  # for damage and loss on the receipt, or why it was cancelled or lost
    notes: str = ""


SHIPMENTS = read_records(Path(__file__).with_name("demo_shipments.toml"), "shipment", DemoShipment)
