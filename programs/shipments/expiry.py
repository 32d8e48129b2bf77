"""Goods near their expiry date while still on the way, or arrived and not yet received.

Food and medicine that expire in a port or a warehouse help no one: each day's run finds the shipments in
transit (or arrived, not yet counted) holding items that expire within ``SHIPMENT_EXPIRY_WARNING_DAYS`` (or have
expired already), and tells the programme's responsible officer and the consignee's contacts, each in their own
language, which goods and by when. Each (shipment, expiry date) is alerted once: the unique key of
``ExpiryAlertLog`` lets only one run claim it (cooperation.reminders), a missed day is caught up by the next
run, and goods of a later date are alerted when their own date comes near. An alert not yet delivered when the
goods are received (or the shipment is cancelled) is dropped by the outbox instead of sent.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Exists, OuterRef

from cooperation.outbox.models import OutboxMessage
from cooperation.reminders import ReminderRun, Sent, managers, to_contacts, to_staff
from cooperation.roles import Perm
from partners.models import Contact
from programs.shipments.models import NOT_RECEIVED, ExpiryAlertLog, Shipment, ShipmentItem
from programs.shipments.reminders import SHIPMENT_RELATIONS, responsible_officer

EXPIRY_ALERT = "shipments.expiry_alert"
TEMPLATE = "shipments/email/expiry_alert"


def watched_until(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.SHIPMENT_EXPIRY_WARNING_DAYS)


def due_dates(today: datetime.date) -> list[tuple[int, datetime.date]]:
    """(shipment id, expiry date) owed an alert today, in one query: goods not yet received that expire by the
    end of the warning window, of a date not alerted yet for their shipment."""
    alerted = ExpiryAlertLog.objects.filter(shipment=OuterRef("shipment_id"), expiry_date=OuterRef("expiry_date"))
    return list(
        ShipmentItem.objects.filter(
            shipment__status__in=NOT_RECEIVED, expiry_date__isnull=False, expiry_date__lte=watched_until(today)
        )
        .filter(~Exists(alerted))
        .values_list("shipment_id", "expiry_date")
        .distinct()
        .order_by("shipment_id", "expiry_date")
    )


class ExpiryAlerts(ReminderRun):
    """The day's expiry alerts: one per shipment and expiry date, to the responsible officer (or, without one,
    the managers who approve dispatches) and to the consignee's active contacts."""

    log_model = ExpiryAlertLog
    log_key = ("shipment_id", "expiry_date")

    def due(self):
        pairs = due_dates(self.today)
        shipments = Shipment.objects.select_related(*SHIPMENT_RELATIONS).in_bulk({pk for pk, _date in pairs})
        return [ExpiryAlertLog(shipment=shipments[pk], expiry_date=date) for pk, date in pairs]

    def prepare(self, logs: list) -> None:
        """The items of each alert and the consignees' contacts, read once for all of them."""
        shipment_ids = {log.shipment_id for log in logs}
        self.items = defaultdict(list)
        for item in ShipmentItem.objects.filter(
            shipment_id__in=shipment_ids, expiry_date__in={log.expiry_date for log in logs}
        ).order_by("pk"):
            self.items[item.shipment_id, item.expiry_date].append(item)
        self.contacts = defaultdict(list)
        consignees = {log.shipment.consignee_id for log in logs}
        for contact in (
            Contact.objects.filter(organisation_id__in=consignees, is_active=True)
            .exclude(email="")
            .order_by("name", "email")
        ):
            self.contacts[contact.organisation_id].append(contact)
        self.fallback = None

    def messages(self, log) -> list[OutboxMessage]:
        shipment = log.shipment
        officer = responsible_officer(shipment)
        context = {
            "shipment": shipment,
            "expiry_date": log.expiry_date,
            "items": self.items[log.shipment_id, log.expiry_date],
            "days_left": (log.expiry_date - self.today).days,
            "expired": log.expiry_date < self.today,
        }
        if officer:
            staff = [officer]
        else:
            if self.fallback is None:
                self.fallback = managers(Perm.APPROVE_DISPATCH)
            staff = self.fallback
        return to_staff(staff, kind=EXPIRY_ALERT, template=TEMPLATE, context=context) + to_contacts(
            self.contacts[shipment.consignee_id],
            kind=EXPIRY_ALERT,
            template=TEMPLATE,
            context=context,
            reply_to=officer,
        )

    @classmethod
    def describe(cls, sent: Sent) -> str:
        recipients = ", ".join(sent.recipients) or "-"
        return f"{sent.log.shipment.waybill}  {sent.log.expiry_date.isoformat()}  {recipients}"


def send_expiry_alerts(*, today: datetime.date | None = None) -> list[Sent]:
    """Claim every expiry alert owed and not sent yet, with its emails (see ExpiryAlerts)."""
    return ExpiryAlerts(today).send()


def expiry_alert_still_wanted(message: OutboxMessage) -> bool:
    """Nothing goes out once the goods were received, or the shipment was cancelled or lost."""
    return ExpiryAlertLog.objects.filter(pk=message.object_id, shipment__status__in=NOT_RECEIVED).exists()
