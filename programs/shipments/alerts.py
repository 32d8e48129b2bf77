"""Shipment emails: the consignee told of a dispatch, and the daily delay alert to the responsible officer.

The delay alert is state-based, not date-equality-based: each run alerts every shipment that is past its
expected arrival and not arrived, unless a DelayAlertLog row exists for (shipment, expected arrival). So a
day the job did not run is caught up on the next run, a second or concurrent run sends nothing twice (the
unique key lets only one run claim a delay: the log row is INSERTed first, the email is enqueued after
commit), and a new expected arrival that passes in turn is a new delay, alerted once more.
"""

import datetime
import logging
from dataclasses import dataclass, field
from functools import partial
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cooperation.roles import Perm, Role
from partners.models import Contact
from programs.shipments.models import NOT_ARRIVED, DelayAlertLog, DispatchNotice, Shipment
from programs.shipments.selectors import delayed_condition

logger = logging.getLogger(__name__)

SHIPMENT_RELATIONS = (
    "programme__responsible_officer",
    "consignor",
    "consignee",
    "origin_country",
    "destination_country",
)


def _render(template: str, context: dict) -> str:
    return render_to_string(f"shipments/email/{template}", context)


def _message(template: str, context: dict, to: str, language: str, reply_to=()) -> EmailMessage:
    return EmailMessage(
        subject=" ".join(_render(f"{template}_subject.txt", context).split()),
        body=_render(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=list(reply_to),
        headers={"Content-Language": language},
    )


def _send_missing(messages: list[EmailMessage], log, label: str) -> list[str]:
    """Send the messages whose address the log has not recorded yet, recording each one as it is accepted."""
    done = [address for address in log.recipients.split(", ") if address]
    sent_now = []
    pending = [message for message in messages if message.to[0] not in done]
    if pending:
        with mailers.default as connection:
            for message in pending:
                try:
                    connection.send_messages([message])
                except SMTPRecipientsRefused:
                    # Refused for good: retrying would only hold back the others.
                    logger.warning("%s: the mail server refused %s.", label, message.to[0])
                    continue
                done.append(message.to[0])
                sent_now.append(message.to[0])
                log.recipients = ", ".join(done)
                log.save(update_fields=["recipients"])
    log.sent_at = timezone.now()
    log.save(update_fields=["sent_at"])
    return sent_now


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


def deliver_dispatch_notice(*, shipment_id: int) -> list[str]:
    """Tell each active contact of the consignee, in their own language, that the goods are on their way.

    Safe to run again: the notice records every address reached, and a retry sends only the others.
    """
    shipment = Shipment.objects.select_related(*SHIPMENT_RELATIONS).filter(pk=shipment_id).first()
    if shipment is None or shipment.dispatched_on is None:
        return []
    notice, _created = DispatchNotice.objects.get_or_create(shipment=shipment)
    if notice.sent_at is not None:
        return []
    officer = responsible_officer(shipment)
    context = {"shipment": shipment, "officer": officer}
    messages = []
    for contact in consignee_contacts(shipment):
        with translation.override(contact.preferred_language):
            messages.append(
                _message(
                    "dispatched",
                    context | {"contact": contact},
                    contact.email,
                    contact.preferred_language,
                    [officer.email] if officer else [],
                )
            )
    return _send_missing(messages, notice, f"Dispatch notice of {shipment.waybill}")


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


def manager_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.MANAGER.value).exclude(email="")
    return sorted({user.email for user in users.distinct() if user.has_perm(Perm.APPROVE_DISPATCH)})


def alert_recipients(shipment: Shipment) -> list[str]:
    """The responsible officer; when the programme has none who can be written to, the managers."""
    officer = responsible_officer(shipment)
    return [officer.email] if officer else manager_emails()


@dataclass
class DelayAlert:
    """A delay alert this run claimed: what a command or the task returns."""

    log_id: int
    waybill: str
    expected_arrival: datetime.date
    recipients: list[str] = field(default_factory=list)


def send_delay_alerts(*, today: datetime.date | None = None) -> list[DelayAlert]:
    """Claim every delay not alerted yet (one small transaction each); the emails go after commit."""
    from programs.shipments import tasks  # tasks call back into this module

    today = today or timezone.localdate()
    claimed = []
    for shipment in due_alerts(today):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    log = DelayAlertLog.objects.create(shipment=shipment, expected_arrival=shipment.expected_arrival)
            except IntegrityError:
                continue  # a concurrent run claimed this delay: that run sends it
            transaction.on_commit(partial(tasks.send_delay_alert.delay, log.pk, today.isoformat()))
        claimed.append(DelayAlert(log.pk, shipment.waybill, shipment.expected_arrival, alert_recipients(shipment)))
    return claimed


def deliver_delay_alert(*, log_id: int, today: datetime.date) -> list[str]:
    """Email one claimed delay alert; safe to run again. Nothing goes out if the goods arrived meanwhile
    or the expected arrival moved (a new expected arrival is a new delay, with its own alert)."""
    relations = [f"shipment__{name}" for name in SHIPMENT_RELATIONS]
    log = DelayAlertLog.objects.select_related(*relations).filter(pk=log_id).first()
    if log is None or log.sent_at is not None:
        return []
    shipment = log.shipment
    if shipment.status not in NOT_ARRIVED or shipment.expected_arrival != log.expected_arrival:
        logger.info("Delay alert %s not sent: shipment %s arrived or was rescheduled.", log_id, shipment.waybill)
        return []
    officer = responsible_officer(shipment)
    managers = get_user_model().objects.filter(email__in=manager_emails(), is_active=True).order_by("email")
    recipients = [officer] if officer else list(managers)
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for recipient in recipients:
            context = {
                "shipment": shipment,
                "recipient": recipient,
                "expected_arrival": log.expected_arrival,
                "days_late": (today - log.expected_arrival).days,
            }
            messages.append(_message("delay_alert", context, recipient.email, settings.LANGUAGE_CODE))
    return _send_missing(messages, log, f"Delay alert {log_id}")
