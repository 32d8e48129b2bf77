"""Scholarship reminders: progress reports due (to the host institution's contacts) and stipend tranches
due (to the responsible officer).

State-based, not date-equality-based. Each run sends every reminder that is owed and not logged yet:

- a progress report is owed once the latest report due date (``terms.report_due_dates``) has passed and
  no report covering it is in (submitted or accepted): one reminder per (scholar, due date);
- a stipend tranche is owed a reminder from STIPEND_REMINDER_DAYS_BEFORE days before its due date while
  it is still scheduled: one reminder per (scholar, due date).

So a day the job did not run is caught up on the next run, and a second or concurrent run sends nothing
twice: the ReminderLog row, unique on (kind, scholar, due date), is INSERTed first, and only the run whose
insert succeeds enqueues the email, after commit. The email task checks again that the reminder is still
owed (the report may have come in meanwhile) and records each address reached, so a retry after a mail
failure sends only what is missing.
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
from django.db.models import Exists, Max, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cooperation.roles import Perm, Role
from partners.models import Contact
from programs.scholarships.models import (
    Application,
    ApplicationStatus,
    ReminderKind,
    ReminderLog,
    ReportStatus,
    StipendTranche,
    TrancheStatus,
)
from programs.scholarships.terms import latest_report_due

logger = logging.getLogger(__name__)

DEFAULT_DAYS_BEFORE = 7
IN_HAND = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
APPLICATION_RELATIONS = (
    "call__host",
    "call__programme__responsible_officer",
    "call__responsible_officer",
    "call__stipend_currency",
)


def days_before() -> int:
    return int(getattr(settings, "STIPEND_REMINDER_DAYS_BEFORE", DEFAULT_DAYS_BEFORE))


@dataclass
class Reminder:
    """A reminder this run claimed: what the command prints."""

    log_id: int
    kind: str
    scholar: str
    due_on: datetime.date
    recipients: list[str] = field(default_factory=list)


# --- what is owed -------------------------------------------------------------------------------------------------


def reports_owed(today: datetime.date) -> list[tuple[Application, datetime.date]]:
    """(scholar, report due date) for every enrolled scholar whose latest due report is not in and not
    reminded yet: two queries, whatever the number of scholars."""
    scholars = list(
        Application.objects.filter(status=ApplicationStatus.ENROLLED, enrolled_on__isnull=False)
        .select_related(*APPLICATION_RELATIONS)
        .annotate(latest_report_end=Max("progress_reports__period_end", filter=Q(progress_reports__status__in=IN_HAND)))
        .order_by("enrolled_on", "pk")
    )
    owed = []
    for scholar in scholars:
        due = latest_report_due(scholar.enrolled_on, scholar.call.duration_months, today)
        if due is not None and (scholar.latest_report_end is None or scholar.latest_report_end < due):
            owed.append((scholar, due))
    logged = set(
        ReminderLog.objects.filter(
            kind=ReminderKind.PROGRESS_REPORT_DUE, application__in=[scholar for scholar, _due in owed]
        ).values_list("application_id", "due_on")
    )
    return [(scholar, due) for scholar, due in owed if (scholar.pk, due) not in logged]


def tranches_owed(today: datetime.date):
    """Scheduled tranches of enrolled scholars due within the notice period and not reminded yet: one query."""
    logged = ReminderLog.objects.filter(
        kind=ReminderKind.STIPEND_DUE, application=OuterRef("application"), due_on=OuterRef("due_on")
    )
    return (
        StipendTranche.objects.filter(
            status=TrancheStatus.SCHEDULED,
            application__status=ApplicationStatus.ENROLLED,
            due_on__lte=today + datetime.timedelta(days=days_before()),
        )
        .filter(~Exists(logged))
        .select_related("currency", *(f"application__{name}" for name in APPLICATION_RELATIONS))
        .order_by("due_on", "application_id", "number")
    )


# --- recipients ---------------------------------------------------------------------------------------------------


def host_contacts(application: Application) -> list[Contact]:
    return list(
        Contact.objects.filter(organisation_id=application.call.host_id, receives_reminders=True, is_active=True)
        .exclude(email="")
        .order_by("name", "email")
    )


def responsible_officer(application: Application):
    """The call's responsible officer, else the programme's, when they can be written to."""
    for officer in (application.call.responsible_officer, application.call.programme.responsible_officer):
        if officer is not None and officer.is_active and officer.email:
            return officer
    return None


def managers() -> list:
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.MANAGER.value).exclude(email="")
    return [user for user in users.distinct().order_by("email") if user.has_perm(Perm.APPROVE_STIPEND)]


def officer_recipients(application: Application) -> list:
    officer = responsible_officer(application)
    return [officer] if officer else managers()


# --- claiming -----------------------------------------------------------------------------------------------------


def _claim(kind: str, application: Application, due_on: datetime.date, today: datetime.date, tranche=None):
    from programs.scholarships import tasks  # tasks call back into this module

    with transaction.atomic():
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(kind=kind, application=application, due_on=due_on, tranche=tranche)
        except IntegrityError:
            return None  # a concurrent run claimed it: that run sends it
        transaction.on_commit(partial(tasks.send_scholarship_reminder.delay, log.pk, today.isoformat()))
    return log


def send_scholarship_reminders(*, today: datetime.date | None = None) -> list[Reminder]:
    """Claim every reminder owed on ``today`` that no run claimed yet; the emails go after commit."""
    today = today or timezone.localdate()
    claimed = []
    for scholar, due in reports_owed(today):
        log = _claim(ReminderKind.PROGRESS_REPORT_DUE, scholar, due, today)
        if log is not None:
            addresses = [contact.email for contact in host_contacts(scholar)]
            claimed.append(Reminder(log.pk, log.kind, scholar.applicant_name, due, addresses))
    for tranche in tranches_owed(today):
        log = _claim(ReminderKind.STIPEND_DUE, tranche.application, tranche.due_on, today, tranche)
        if log is not None:
            addresses = [user.email for user in officer_recipients(tranche.application)]
            claimed.append(Reminder(log.pk, log.kind, tranche.application.applicant_name, tranche.due_on, addresses))
    return claimed


# --- delivering ---------------------------------------------------------------------------------------------------


def _render(template: str, context: dict) -> str:
    return render_to_string(f"scholarships/email/{template}", context)


def _message(template: str, context: dict, to: str, language: str, reply_to=()) -> EmailMessage:
    return EmailMessage(
        subject=" ".join(_render(f"{template}_subject.txt", context).split()),
        body=_render(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=list(reply_to),
        headers={"Content-Language": language},
    )


def _send_missing(messages: list[EmailMessage], log: ReminderLog) -> list[str]:
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
                    logger.warning("Scholarship reminder %s: the mail server refused %s.", log.pk, message.to[0])
                    continue
                done.append(message.to[0])
                sent_now.append(message.to[0])
                log.recipients = ", ".join(done)
                log.save(update_fields=["recipients"])
    log.sent_at = timezone.now()
    log.save(update_fields=["sent_at"])
    return sent_now


def _report_messages(log: ReminderLog, today: datetime.date) -> list[EmailMessage]:
    scholar = log.application
    covered = scholar.progress_reports.filter(status__in=IN_HAND, period_end__gte=log.due_on).exists()
    if scholar.status != ApplicationStatus.ENROLLED or covered:
        logger.info("Reminder %s not sent: the report came in or the scholarship ended.", log.pk)
        return []
    officer = responsible_officer(scholar)
    context = {"scholar": scholar, "call": scholar.call, "due_on": log.due_on, "days_late": (today - log.due_on).days}
    messages = []
    for contact in host_contacts(scholar):
        with translation.override(contact.preferred_language):
            messages.append(
                _message(
                    "report_due",
                    context | {"contact": contact},
                    contact.email,
                    contact.preferred_language,
                    [officer.email] if officer else [],
                )
            )
    return messages


def _stipend_messages(log: ReminderLog, today: datetime.date) -> list[EmailMessage]:
    from programs.scholarships.services.stipends import report_gate

    tranche = log.tranche
    if tranche is None or tranche.status != TrancheStatus.SCHEDULED:
        logger.info("Reminder %s not sent: the tranche was approved or cancelled meanwhile.", log.pk)
        return []
    report_due, report_in = report_gate(tranche)
    context = {
        "tranche": tranche,
        "scholar": log.application,
        "call": log.application.call,
        "report_due": report_due,
        "report_in": report_in,
        "days_until_due": (tranche.due_on - today).days,
    }
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for recipient in officer_recipients(log.application):
            messages.append(
                _message("stipend_due", context | {"recipient": recipient}, recipient.email, settings.LANGUAGE_CODE)
            )
    return messages


def deliver_reminder(*, log_id: int, today: datetime.date) -> list[str]:
    """Email one claimed reminder; safe to run again. Returns the addresses emailed now."""
    log = (
        ReminderLog.objects.select_related(
            "tranche__currency", *(f"application__{name}" for name in APPLICATION_RELATIONS)
        )
        .filter(pk=log_id)
        .first()
    )
    if log is None or log.sent_at is not None:
        return []
    if log.kind == ReminderKind.PROGRESS_REPORT_DUE:
        messages = _report_messages(log, today)
    else:
        messages = _stipend_messages(log, today)
    if not messages:
        return []
    return _send_missing(messages, log)


def describe(reminder: Reminder) -> str:
    """One line of the command's output."""
    recipients = ", ".join(reminder.recipients) or "-"
    return f"{reminder.kind}  {reminder.scholar}  {reminder.due_on.isoformat()}  {recipients}"
