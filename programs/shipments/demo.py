"""Demonstration shipments for ``manage.py load_demo``: every status, some delayed, some with discrepancies.

Each shipment goes through the same services and roles as the pages (the officer drafts, packs, dispatches
and records the journey; the manager approves the dispatch; the consignee's partner user counts what
arrived), so waybills, tracking events and receipts are real. Dates are relative to today. The transport
reference is the demo shipment's natural key: a second run finds every shipment and changes nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from cooperation.demo import counted, status_counts
from cooperation.reference.models import Country, Currency
from partners.selectors import user_organisation_ids
from programs.models import Programme
from programs.shipments import services
from programs.shipments.demo_data import SHIPMENTS, DemoShipment
from programs.shipments.models import EventKind, Shipment, ShipmentStatus, TrackingEvent
from programs.shipments.reminders import send_delay_alerts
from programs.shipments.selectors import shipment_list

S = ShipmentStatus

STATUS_PATHS = {
    S.READY: ("ready",),
    S.DISPATCHED: ("ready", "approve", "dispatch"),
    S.IN_TRANSIT: ("ready", "approve", "dispatch", "in_transit", "customs"),
    S.ARRIVED: ("ready", "approve", "dispatch", "in_transit", "arrive"),
    S.PARTIALLY_RECEIVED: ("ready", "approve", "dispatch", "in_transit", "arrive", "receive"),
    S.RECEIVED: ("ready", "approve", "dispatch", "in_transit", "arrive", "receive"),
    S.CANCELLED: ("cancel",),
    S.LOST: ("ready", "approve", "dispatch", "customs", "lost"),
}


def _days_ago(today: datetime.date, days: int) -> datetime.date:
    return today - datetime.timedelta(days=days)


def _event_time(day: datetime.date, hour: int) -> datetime.datetime:
    # Never after now: a journey event in the future is refused.
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), timezone.now())


@dataclass
class _Story:
    demo: DemoShipment
    shipment: Shipment
    users: dict
    today: datetime.date

    @property
    def officer(self):
        return self.users["officer"]

    def ready(self):
        services.shipment_mark_ready(shipment=self.shipment, prepared_by=self.officer)

    def approve(self):
        services.shipment_approve_dispatch(shipment=self.shipment, approved_by=self.users["manager"])

    def dispatch(self):
        dispatched_on = _days_ago(self.today, self.demo.dispatch_days_ago)
        services.shipment_dispatch(shipment=self.shipment, dispatched_by=self.officer, dispatched_on=dispatched_on)

    def customs(self):
        entered = _days_ago(self.today, max(self.demo.dispatch_days_ago - self.demo.journey_days // 2, 0))
        notes = {
            EventKind.CUSTOMS_ENTRY: "Declaration lodged with the import permit.",
            EventKind.CUSTOMS_HOLD: "Held for inspection: the medicines' import licence was asked for.",
            EventKind.CUSTOMS_RELEASE: "Released after inspection.",
        }
        for hour, kind in enumerate(self.demo.customs, start=9):
            services.tracking_event_add(
                shipment=self.shipment,
                added_by=self.officer,
                kind=kind,
                occurred_at=_event_time(entered, hour),
                place=self.demo.destination[1],
                note=notes[kind],
            )

    def in_transit(self):
        services.shipment_mark_in_transit(shipment=self.shipment, updated_by=self.officer, place=self.demo.origin[1])

    def arrive(self):
        arrived_on = _days_ago(self.today, self.demo.arrived_days_ago)
        services.shipment_arrive(shipment=self.shipment, updated_by=self.officer, arrived_on=arrived_on)

    def _consignee_user(self):
        # Only the consignee's staff count what arrived: the demo's consignees are `partner`'s and `partner2`'s.
        for username in ("partner", "partner2"):
            if self.shipment.consignee_id in user_organisation_ids(self.users[username]):
                return self.users[username]
        raise ValueError(f"No demo user works for the consignee of {self.demo.reference}.")

    def receive(self):
        items = self.shipment.items.order_by("pk")
        lines = [
            {
                "item": item,
                "good": good,
                "damaged": damaged,
                "lost": lost,
                "reason": self.demo.reason if Decimal(damaged) or Decimal(lost) else "",
            }
            for item, (good, damaged, lost) in zip(items, self.demo.counts, strict=True)
        ]
        services.receipt_confirm(
            shipment=self.shipment,
            received_by=self._consignee_user(),
            received_on=_days_ago(self.today, max(self.demo.arrived_days_ago - 1, 0)),
            lines=lines,
        )

    def cancel(self):
        services.shipment_cancel(shipment=self.shipment, cancelled_by=self.officer, reason=self.demo.reason)

    def lost(self):
        services.shipment_mark_lost(
            shipment=self.shipment, updated_by=self.officer, reason=self.demo.reason, place="Lautoka"
        )


# Steps whose service records "now" (they carry no date): (kind, status after) → (days from the dispatch, hour).
UNDATED_STEPS = {
    (EventKind.STATUS_CHANGE, S.DRAFT): (-3, 9),
    (EventKind.STATUS_CHANGE, S.READY): (-2, 10),
    (EventKind.NOTE, ""): (-1, 11),  # the manager's approval of the dispatch
    (EventKind.STATUS_CHANGE, S.IN_TRANSIT): (1, 8),
}


def _backdate_undated_steps(shipment: Shipment, demo: DemoShipment, today: datetime.date) -> None:
    """The demo plays a whole journey today: drafting, packing, approval and "in transit" would all read
    as today, after the arrival. Move them around the dispatch date, so the timeline reads in order."""
    if demo.dispatch_days_ago < 0 or demo.ends == S.CANCELLED:
        return
    dispatched = _days_ago(today, demo.dispatch_days_ago)
    for event in TrackingEvent.objects.filter(shipment=shipment):
        step = UNDATED_STEPS.get((event.kind, event.status_after))
        if step is not None:
            days, hour = step
            moment = _event_time(dispatched + datetime.timedelta(days=days), hour)
            TrackingEvent.objects.filter(pk=event.pk).update(occurred_at=moment)


def _create(demo: DemoShipment, users, organisations, today: datetime.date) -> Shipment:
    officer = users["officer"]
    planned = _days_ago(today, demo.dispatch_days_ago)
    shipment = services.shipment_create(
        created_by=officer,
        programme=Programme.objects.get(code=demo.programme),
        donor=organisations[demo.donor],
        consignor=organisations[demo.consignor],
        consignee=organisations[demo.consignee],
        origin_country=Country.objects.get(code=demo.origin[0]),
        origin_place=demo.origin[1],
        destination_country=Country.objects.get(code=demo.destination[0]),
        destination_place=demo.destination[1],
        mode=demo.mode,
        carrier=demo.carrier,
        transport_reference=demo.reference,
        planned_dispatch=planned,
        expected_arrival=planned + datetime.timedelta(days=demo.journey_days),
        notes=demo.notes,
        # The demo's officer has read any risk flag the partner carries (loans in arrears, goods uncounted).
        risk_acknowledged=True,
    )
    for item in demo.items:
        services.item_add(
            shipment=shipment,
            added_by=officer,
            category=item.category,
            description=item.description,
            unit=item.unit,
            quantity=Decimal(item.quantity),
            unit_weight_kg=Decimal(item.unit_weight_kg),
            unit_value=Decimal(item.unit_value),
            currency=Currency.objects.get(code=item.currency),
            expiry_date=today + datetime.timedelta(days=item.expires_in_days) if item.expires_in_days else None,
        )
    steps = STATUS_PATHS.get(demo.ends, ())
    if demo.approved:
        steps = ("ready", "approve")
    story = _Story(demo, shipment, users, today)
    for step in steps:
        if step == "customs" and not demo.customs:
            continue
        getattr(story, step)()
    _backdate_undated_steps(shipment, demo, today)
    shipment.refresh_from_db()
    if shipment.status != demo.ends:
        raise ValueError(f"Demo shipment {demo.reference} ended {shipment.status}, not {demo.ends}.")
    return shipment


def load(*, run) -> str:
    """Create the demo shipments that are missing, alert the delays, and return the summary line."""
    for demo in SHIPMENTS:
        if Shipment.objects.filter(transport_reference=demo.reference).exists():
            continue
        shipment = _create(demo, run.users, run.organisations, run.today)
        run.log(f"  shipment {shipment.waybill} created ({shipment.get_status_display()})")
    # The same service as the daily job: each delay is logged and alerted once.
    alerts = send_delay_alerts(today=run.today)
    by_status = status_counts(Shipment.objects)
    shipments = shipment_list(user=run.users["manager"], today=run.today)
    return (
        f"Shipments: {sum(by_status.values())} ({counted(by_status, S)}); "
        f"{shipments.filter(is_delayed=True).count()} delayed, "
        f"{shipments.filter(has_discrepancy=True).count()} with discrepancies; "
        f"{len(alerts)} delay alert(s) sent today."
    )
