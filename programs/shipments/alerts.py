"""Shipment emails: the consignee told of a dispatch, and the daily delay alert to the responsible officer.

Both are outbox rows (see cooperation.outbox) written in the transaction of what causes them: the dispatch notice
with the dispatch itself, a delay alert with its DelayAlertLog row.

The delay alert is state-based, not date-equality-based: each run alerts every shipment that is past its
expected arrival and not arrived, unless a DelayAlertLog row exists for (shipment, expected arrival). So a
day the job did not run is caught up on the next run, a second or concurrent run sends nothing twice (the
unique key lets only one run claim a delay), and a new expected arrival that passes in turn is a new delay,
alerted once more. An alert claimed but not yet delivered when the goods arrive (or the expected arrival
moves) is cancelled by the outbox instead of sent.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cooperation.outbox.models import OutboxMessage
from cooperation.outbox.services import compose, dedupe_key, enqueue
from cooperation.roles import Perm, Role
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
    officer = shipment.programme.responsible_officer
    return officer if officer is not None and officer.is_active and officer.email else None


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
    messages = [
        compose(
            kind=DISPATCH_NOTICE,
            key=dedupe_key(DISPATCH_NOTICE, shipment.pk, contact.email),
            to=contact.email,
            template="shipments/email/dispatched",
            context=context | {"contact": contact},
            language=contact.preferred_language,
            reply_to=officer.email if officer else "",
            about=shipment,
        )
        for contact in consignee_contacts(shipment)
    ]
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


def managers() -> list:
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.MANAGER.value).exclude(email="")
    return [user for user in users.distinct().order_by("email") if user.has_perm(Perm.APPROVE_DISPATCH)]


@dataclass
class DelayAlert:
    """A delay alert this run claimed: what a command or the task returns."""

    log_id: int
    waybill: str
    expected_arrival: datetime.date
    recipients: list[str] = field(default_factory=list)


def send_delay_alerts(*, today: datetime.date | None = None) -> list[DelayAlert]:
    """Claim every delay not alerted yet, each in one small transaction with its emails (outbox rows)."""
    today = today or timezone.localdate()
    claimed = []
    fallback = None  # the managers, read once and only if a programme has no officer to write to
    for shipment in due_alerts(today):
        officer = responsible_officer(shipment)
        if officer is None and fallback is None:
            fallback = managers()
        recipients = [officer] if officer else fallback
        with transaction.atomic():
            try:
                with transaction.atomic():
                    log = DelayAlertLog.objects.create(shipment=shipment, expected_arrival=shipment.expected_arrival)
            except IntegrityError:
                continue  # a concurrent run claimed this delay: that run alerts it
            enqueue(_alert_messages(log, shipment, recipients, today))
        claimed.append(DelayAlert(log.pk, shipment.waybill, shipment.expected_arrival, [r.email for r in recipients]))
    return claimed


def _alert_messages(log: DelayAlertLog, shipment: Shipment, recipients: list, today: datetime.date):
    return [
        compose(
            kind=DELAY_ALERT,
            key=dedupe_key(DELAY_ALERT, log.pk, recipient.email),
            to=recipient.email,
            template="shipments/email/delay_alert",
            context={
                "shipment": shipment,
                "recipient": recipient,
                "expected_arrival": log.expected_arrival,
                "days_late": (today - log.expected_arrival).days,
            },
            language=settings.LANGUAGE_CODE,
            about=log,
        )
        for recipient in recipients
    ]


def delay_alert_still_wanted(message: OutboxMessage) -> bool:
    """Nothing goes out once the goods arrived or the expected arrival moved (a new one is a new delay)."""
    log = DelayAlertLog.objects.select_related("shipment").filter(pk=message.object_id).first()
    return (
        log is not None and log.shipment.status in NOT_ARRIVED and log.shipment.expected_arrival == log.expected_arrival
    )
