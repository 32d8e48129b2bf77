"""Shipment emails: the consignee told of a dispatch, and the daily delay alert to the responsible officer.

Both are outbox rows (see cooperation.outbox) written in the transaction of what causes them: the dispatch notice
with the dispatch itself, a delay alert with its DelayAlertLog row.

The delay alert is state-based, not date-equality-based: each run alerts every shipment that is past its
expected arrival and not arrived, unless a DelayAlertLog row exists for (shipment, expected arrival). So a
day the job did not run is caught up on the next run, a second or concurrent run sends nothing twice (the
unique key lets only one run claim a delay: see cooperation.reminders), and a new expected arrival that passes
in turn is a new delay, alerted once more. An alert claimed but not yet delivered when the goods arrive (or the
expected arrival moves) is cancelled by the outbox instead of sent.
"""

import datetime
from functools import cached_property

from django.db.models import Exists, OuterRef

from cooperation.outbox.models import OutboxMessage
from cooperation.outbox.services import attach, dedupe_key, enqueue
from cooperation.reminders import ReminderRun, Sent, managers, to_contacts, to_staff, writable
from cooperation.roles import Perm
from partners.models import Contact
from programs.shipments.models import NOT_ARRIVED, DelayAlertLog, Shipment
from programs.shipments.selectors import delayed_condition

# The kinds of email this module writes to the outbox (registered in apps.py).
DISPATCH_NOTICE = "shipments.dispatch_notice"
DELAY_ALERT = "shipments.delay_alert"

SHIPMENT_RELATIONS = (
    "programme__responsible_officer",
    "consignor",
    "consignee",
    "origin_country",
    "destination_country",
)


def responsible_officer(shipment: Shipment):
    return writable(shipment.programme.responsible_officer)


# --- dispatch notice ----------------------------------------------------------------------------------------------


def consignee_contacts(shipment: Shipment) -> list[Contact]:
    return list(
        Contact.objects.filter(organisation_id=shipment.consignee_id, is_active=True)
        .exclude(email="")
        .order_by("name", "email")
    )


def write_dispatch_notice(shipment: Shipment) -> list[OutboxMessage]:
    """Tell each active contact of the consignee, in their own language, that the goods are on their way.

    Called by the dispatch service, inside its transaction: the notice exists if and only if the dispatch does.
    """
    officer = responsible_officer(shipment)
    context = {"shipment": shipment, "officer": officer}
    template = "shipments/email/dispatched"
    contacts = consignee_contacts(shipment)
    messages = to_contacts(contacts, kind=DISPATCH_NOTICE, template=template, context=context, reply_to=officer)
    for message in messages:
        attach(message, key=dedupe_key(DISPATCH_NOTICE, shipment.pk, message.recipient), about=shipment)
    enqueue(messages)
    return messages


# --- delay alerts -------------------------------------------------------------------------------------------------


def due_alerts(today: datetime.date):
    """Shipments owed a delay alert today, in one query: delayed, and this delay not alerted yet."""
    alerted = DelayAlertLog.objects.filter(shipment=OuterRef("pk"), expected_arrival=OuterRef("expected_arrival"))
    return (
        Shipment.objects.filter(delayed_condition(today))
        .filter(~Exists(alerted))
        .select_related(*SHIPMENT_RELATIONS)
        .order_by("expected_arrival", "waybill")
    )


class DelayAlerts(ReminderRun):
    """The day's delay alerts, each to the programme's responsible officer (or, without one, the managers who
    approve dispatches), claimed against DelayAlertLog with their emails (outbox rows)."""

    log_model = DelayAlertLog
    log_key = ("shipment_id", "expected_arrival")

    def due(self):
        return (
            DelayAlertLog(shipment=shipment, expected_arrival=shipment.expected_arrival)
            for shipment in due_alerts(self.today)
        )

    @cached_property
    def fallback(self) -> list:
        """Read once, and only if a programme has no officer to write to."""
        return managers(Perm.APPROVE_DISPATCH)

    def messages(self, log):
        officer = responsible_officer(log.shipment)
        context = {
            "shipment": log.shipment,
            "expected_arrival": log.expected_arrival,
            "days_late": (self.today - log.expected_arrival).days,
        }
        recipients = [officer] if officer else self.fallback
        return to_staff(recipients, kind=DELAY_ALERT, template="shipments/email/delay_alert", context=context)

    @classmethod
    def describe(cls, sent: Sent) -> str:
        recipients = ", ".join(sent.recipients) or "-"
        return f"{sent.log.shipment.waybill}  {sent.log.expected_arrival.isoformat()}  {recipients}"


def send_delay_alerts(*, today: datetime.date | None = None) -> list[Sent]:
    """Claim every delay not alerted yet, with its emails (see DelayAlerts)."""
    return DelayAlerts(today).send()


def delay_alert_still_wanted(message: OutboxMessage) -> bool:
    """Nothing goes out once the goods arrived or the expected arrival moved (a new one is a new delay)."""
    log = DelayAlertLog.objects.select_related("shipment").filter(pk=message.object_id).first()
    return (
        log is not None and log.shipment.status in NOT_ARRIVED and log.shipment.expected_arrival == log.expected_arrival
    )
