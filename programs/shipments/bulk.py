"""Generated humanitarian shipments with their items, journeys and receipts (see ``generate_bulk``).

10,015 shipments at scale 1.0 with about ten items each, under the generated in-kind programmes: donated by a
funder, sent by a partner and consigned to an implementer of the programme. Each status matches the dates and
records a service would have left: a packing list is locked from ready on, a dispatch was approved before it
happened, every status change is a tracking event, and arrived goods were counted on receipts that never exceed
what was sent. A received shipment accounts for every unit, some damaged or lost with a reason; a partially
received one for some of them. Waybills are ``BULK-S-<number>``.
"""

import datetime
from decimal import Decimal

from cooperation.reference.codes import OrganisationRole
from partners.bulk import MARK
from programs.bulk import CURRENCIES, CURRENCY_WEIGHTS, generated_programmes, participants
from programs.shipments import values
from programs.shipments.models import (
    EventKind,
    Receipt,
    ReceiptLine,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    TrackingEvent,
    TransportMode,
)

ORDER = 40
SHIPMENTS_AT_FULL_SCALE = 10_015
S = ShipmentStatus
STATUS_WEIGHTS = {
    S.DRAFT: 4, S.READY: 3, S.DISPATCHED: 3, S.IN_TRANSIT: 6, S.ARRIVED: 4, S.RECEIVED: 62,
    S.PARTIALLY_RECEIVED: 10, S.CANCELLED: 6, S.LOST: 2,
}  # fmt: skip
# The path a shipment took to its status.
JOURNEY = {
    S.DRAFT: (), S.READY: (S.READY,), S.DISPATCHED: (S.READY, S.DISPATCHED),
    S.IN_TRANSIT: (S.READY, S.DISPATCHED, S.IN_TRANSIT), S.ARRIVED: (S.READY, S.DISPATCHED, S.IN_TRANSIT, S.ARRIVED),
    S.RECEIVED: (S.READY, S.DISPATCHED, S.IN_TRANSIT, S.ARRIVED, S.RECEIVED),
    S.PARTIALLY_RECEIVED: (S.READY, S.DISPATCHED, S.IN_TRANSIT, S.ARRIVED, S.PARTIALLY_RECEIVED),
    S.CANCELLED: (S.READY, S.CANCELLED), S.LOST: (S.READY, S.DISPATCHED, S.IN_TRANSIT, S.LOST),
}  # fmt: skip
# (mode, carriers, fewest and most days on the way)
MODES = (
    (TransportMode.AIR, ("Garuda Cargo", "Qantas Freight"), 2, 7),
    (TransportMode.SEA, ("PELNI", "Meratus Line", "Maersk"), 14, 40),
    (TransportMode.ROAD, ("Trans Nusantara Trucking", "Logistik Bersama"), 3, 12),
    (TransportMode.RAIL, ("KAI Logistik",), 7, 20),
)
ORIGINS = (("JP", "Yokohama"), ("AU", "Darwin"), ("SG", "Singapore"), ("ID", "Jakarta"), ("ID", "Surabaya"))
DESTINATIONS = (
    ("ID", "Kupang"), ("ID", "Palu"), ("ID", "Banda Aceh"), ("ID", "Jayapura"), ("ID", "Mataram"),
    ("TL", "Dili"), ("PH", "Cotabato"), ("PG", "Port Moresby"),
)  # fmt: skip
# (category, description, unit, kilograms a unit, US dollars a unit, expires)
GOODS = (
    ("food", "Rice, 25 kg bags", "bag", "25", "18", True),
    ("food", "High-energy biscuits", "carton", "10", "35", True),
    ("wash", "Water purification tablets", "box", "1.2", "22", True),
    ("wash", "Jerrycans, 20 l", "piece", "1", "4", False),
    ("shelter", "Family tents", "piece", "40", "210", False),
    ("shelter", "Blankets", "bale", "30", "95", False),
    ("building", "Corrugated iron sheets", "sheet", "6", "9", False),
    ("building", "Cement, 50 kg", "bag", "50", "7", False),
    ("medical", "Emergency health kits", "kit", "45", "850", True),
    ("medical", "Oral rehydration salts", "carton", "8", "40", True),
    ("machinery", "Water pumps", "piece", "65", "1200", False),
    ("machinery", "Generators, 5 kVA", "piece", "90", "1900", False),
    ("other", "School kits", "carton", "12", "60", False),
)
# What one US dollar is worth in each currency, for the value of goods.
PER_DOLLAR = {"USD": Decimal(1), "EUR": Decimal("0.92"), "IDR": Decimal(16_000), "JPY": Decimal(150)}
DAMAGE_REASONS = ("Crushed in the hold", "Water damage during unloading", "Missing on arrival, seal broken")
NOTES = {S.CANCELLED: "The consignee found the goods locally.", S.LOST: "The vessel reported the container lost."}


class ShipmentWriter:
    def __init__(self, run):
        self.run = run
        self.parties = participants(generated_programmes(is_in_kind=True))
        self.programme_ids = sorted(self.parties)
        self.statuses = [status for status, weight in STATUS_WEIGHTS.items() for _ in range(weight)]
        self.officer, self.manager = run.users["officer"].pk, run.users["manager"].pk
        self.partner_user = run.users["partner"].pk
        self.shipment_ids, self.item_ids, self.receipt_ids = (
            run.ids(Shipment),
            run.ids(ShipmentItem),
            run.ids(Receipt),
        )
        self.shipments = run.table(
            Shipment,
            (
                "id", "waybill", "programme_id", "donor_id", "consignor_id", "consignee_id", "origin_country_id",
                "origin_place", "destination_country_id", "destination_place", "mode", "carrier",
                "transport_reference", "planned_dispatch", "expected_arrival", "dispatched_on", "arrived_on",
                "received_on", "status", "status_note", "prepared_by_id", "dispatch_approved_by_id",
                "dispatch_approved_at", "created_by_id", "created_at", "updated_at",
            ),
        )  # fmt: skip
        self.items = run.table(
            ShipmentItem,
            (
                "id", "shipment_id", "category", "description", "unit", "quantity", "unit_weight_kg", "unit_value",
                "currency_id", "expiry_date", "created_at", "updated_at",
            ),
        )  # fmt: skip
        self.events = run.table(
            TrackingEvent,
            ("shipment_id", "occurred_at", "kind", "status_after", "place", "note", "user_id", "created_at"),
        )
        self.receipts = run.table(Receipt, ("id", "shipment_id", "received_by_id", "received_on", "note", "created_at"))
        self.lines = run.table(ReceiptLine, ("receipt_id", "item_id", "good", "damaged", "lost", "reason"))
        self.window_start = run.today.replace(year=run.today.year - 5)

    def write(self, number: int) -> None:
        run, today = self.run, self.run.today
        status = run.random.choice(self.statuses)
        programme = run.random.choice(self.programme_ids)
        donor, consignor, consignee = self._parties(programme)
        mode, carriers, fewest, most = run.random.choice(MODES)
        transit = datetime.timedelta(days=run.random.randint(fewest, most))
        days = self._days(status, transit)
        planned = days["planned"]
        origin, destination = run.random.choice(ORIGINS), run.random.choice(DESTINATIONS)
        created = run.moment(planned - datetime.timedelta(days=run.random.randint(10, 60)))
        prepared_on = min(today, planned - datetime.timedelta(days=run.random.randint(1, 5)))
        approved_at = run.moment(prepared_on + datetime.timedelta(days=1)) if S.DISPATCHED in JOURNEY[status] else None
        pk = next(self.shipment_ids)
        currency = run.random.choices(CURRENCIES, CURRENCY_WEIGHTS)[0]
        items = self._items(pk, currency, planned, created)
        moments = self._journey(pk, status, days, prepared_on, origin[1], destination[1])
        if status in (S.RECEIVED, S.PARTIALLY_RECEIVED):
            self._receipts(pk, status, items, days)
        self.shipments.add(
            pk, f"{MARK}S-{number:06d}", programme, donor, consignor, consignee, origin[0], origin[1],
            destination[0], destination[1], mode.value, run.random.choice(carriers), f"TR-{pk:08d}", planned,
            planned + transit, days.get("dispatched"), days.get("arrived"), days.get("received"), status.value,
            NOTES.get(status, ""), self.officer if JOURNEY[status] else None,
            self.manager if approved_at else None, approved_at, self.officer, created, max([created, *moments]),
        )  # fmt: skip

    def _parties(self, programme: int) -> tuple[int, int, int]:
        taking_part = self.parties[programme]
        funders = [pk for pk, role in taking_part if role == OrganisationRole.FUNDING] or [taking_part[0][0]]
        field = [pk for pk, role in taking_part if role != OrganisationRole.FUNDING] or [taking_part[-1][0]]
        donor = self.run.random.choice(funders)
        consignee = self.run.random.choice(field)
        senders = [pk for pk in {donor, *field} if pk != consignee] or [donor]
        return donor, self.run.random.choice(sorted(senders)), consignee

    def _days(self, status: S, transit: datetime.timedelta) -> dict[str, datetime.date]:
        """The planned dispatch and the days the goods left, arrived and were counted, as far as they got."""
        run, today = self.run, self.run.today
        if status in (S.DRAFT, S.READY):
            return {"planned": today + datetime.timedelta(days=run.random.randint(3, 60))}
        if status == S.CANCELLED:
            return {"planned": run.day_between(self.window_start, today + datetime.timedelta(days=30))}
        if status in (S.DISPATCHED, S.IN_TRANSIT, S.ARRIVED):
            # Mostly on their way now; some overdue (their expected arrival passed a while ago).
            dispatched = today - datetime.timedelta(days=run.random.randint(0, transit.days + 20))
            if status == S.DISPATCHED:
                dispatched = today - datetime.timedelta(days=run.random.randint(0, 3))
            days = {"planned": dispatched - datetime.timedelta(days=run.random.randint(0, 5)), "dispatched": dispatched}
            if status == S.ARRIVED:
                days["arrived"] = min(today, dispatched + transit)
            return days
        latest = today - transit - datetime.timedelta(days=8)
        span = max(0, (latest - self.window_start).days)
        dispatched = latest - datetime.timedelta(days=round(span * run.random.random() ** 1.4))
        days = {"planned": dispatched - datetime.timedelta(days=run.random.randint(0, 5)), "dispatched": dispatched}
        if status == S.LOST:
            return days
        delay = datetime.timedelta(days=run.random.choice((0, 0, 0, 1, 2, 5, 12)))
        days["arrived"] = min(today, dispatched + transit + delay)
        days["received"] = min(today, days["arrived"] + datetime.timedelta(days=run.random.randint(0, 6)))
        return days

    def _items(self, shipment: int, currency: str, planned: datetime.date, created) -> list[tuple[int, Decimal]]:
        run, items = self.run, []
        for _ in range(run.random.randint(1, 19)):
            category, description, unit, weight, dollars, expires = run.random.choice(GOODS)
            quantity = Decimal(run.random.choice((10, 20, 50, 100, 120, 200, 250, 400, 500, 1000)))
            value = (Decimal(dollars) * PER_DOLLAR[currency]).quantize(
                Decimal(1) if currency == "JPY" else Decimal("0.01")
            )
            expiry = planned + datetime.timedelta(days=run.random.randint(180, 900)) if expires else None
            pk = next(self.item_ids)
            self.items.add(
                pk, shipment, category, description, unit, quantity, Decimal(weight), value, currency, expiry,
                created, created,
            )  # fmt: skip
            items.append((pk, quantity))
        return items

    def _journey(self, shipment, status, days, prepared_on, origin, destination) -> list[datetime.datetime]:
        """A tracking event for every status change on the way to ``status``; returns their moments."""
        on = {
            S.READY: (prepared_on, origin), S.DISPATCHED: (days.get("dispatched"), origin),
            S.IN_TRANSIT: (days.get("dispatched"), origin), S.ARRIVED: (days.get("arrived"), destination),
            S.RECEIVED: (days.get("received"), destination), S.PARTIALLY_RECEIVED: (days.get("received"), destination),
            S.CANCELLED: (min(self.run.today, prepared_on + datetime.timedelta(days=2)), origin),
            S.LOST: (min(self.run.today, (days.get("dispatched") or prepared_on) + datetime.timedelta(days=9)), origin),
        }  # fmt: skip
        moments = []
        for hour, step in enumerate(JOURNEY[status], start=8):
            day, place = on[step]
            moment = self.run.moment(day, hour=hour)
            by = self.partner_user if step in (S.RECEIVED, S.PARTIALLY_RECEIVED) else self.officer
            self.events.add(
                shipment, moment, EventKind.STATUS_CHANGE.value, step.value, place, NOTES.get(step, ""), by, moment
            )
            moments.append(moment)
        return moments

    def _receipts(self, shipment: int, status: S, items: list[tuple[int, Decimal]], days: dict) -> None:
        """Receipts counting every unit (received) or part of them (partially received), never more than sent."""
        run = self.run
        counted_items = items if status == S.RECEIVED else items[: max(1, len(items) // 2)]
        partial_quantities = status == S.PARTIALLY_RECEIVED and len(items) == 1
        split = len(counted_items) > 3 and run.random.random() < 0.2
        first_day = days["received"] - datetime.timedelta(days=run.random.randint(1, 4)) if split else days["received"]
        receipts = [(next(self.receipt_ids), max(days["dispatched"], first_day))]
        if split:
            receipts.append((next(self.receipt_ids), days["received"]))
        for receipt, day in receipts:
            self.receipts.add(receipt, shipment, self.partner_user, day, "", run.moment(day))
        for index, (item, quantity) in enumerate(counted_items):
            receipt = receipts[index % len(receipts)][0]
            counted = quantity / 2 if partial_quantities else quantity
            damaged = lost = Decimal(0)
            reason = ""
            if run.random.random() < 0.12:  # a discrepancy: some units damaged or lost
                short = min(counted, Decimal(run.random.randint(1, 10)))
                damaged, lost = (short, Decimal(0)) if run.random.random() < 0.7 else (Decimal(0), short)
                reason = run.random.choice(DAMAGE_REASONS)
            self.lines.add(receipt, item, counted - damaged - lost, damaged, lost, reason)


def generate(*, run) -> None:
    writer = ShipmentWriter(run)
    if not writer.programme_ids:
        return
    for number in range(1, run.count(SHIPMENTS_AT_FULL_SCALE) + 1):
        writer.write(number)
    # The dashboard's values per shipment and currency, which the services keep current, are made from what was
    # written.
    run.flush()
    values.rebuild()
