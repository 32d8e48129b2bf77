"""Scholarship reminders: progress reports due (to the host institution's contacts) and stipend tranches
due (to the responsible officer).

State-based, not date-equality-based. Each run sends every reminder that is owed and not logged yet:

- a progress report is owed once the latest report due date (``terms.report_due_dates``) has passed and
  no report covering it is in (submitted or accepted): one reminder per (scholar, due date);
- a stipend tranche is owed a reminder from STIPEND_REMINDER_DAYS_BEFORE days before its due date while
  it is still scheduled: one reminder per (scholar, due date).

So a day the job did not run is caught up on the next run, and a second or concurrent run sends nothing
twice: the ReminderLog row, unique on (kind, scholar, due date), is INSERTed first, and only the run whose
insert succeeds writes the emails, as outbox rows in the same transaction (see cooperation.outbox). Right before
sending, the outbox asks whether the reminder is still owed (the report may have come in, the tranche been
approved meanwhile) and cancels it if not.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from cooperation.outbox.models import OutboxMessage
from cooperation.outbox.services import compose, dedupe_key, enqueue
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

# The kinds of email this module writes to the outbox (registered in apps.py).
REPORT_DUE = "scholarships.report_due"
STIPEND_DUE = "scholarships.stipend_due"

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


# --- claiming, with the emails ----------------------------------------------------------------------------------


def _claim(kind: str, application: Application, due_on: datetime.date, write_emails, tranche=None):
    """Insert the log row and, in the same transaction, its emails; None when another run holds the key."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(kind=kind, application=application, due_on=due_on, tranche=tranche)
        except IntegrityError:
            return None, []  # a concurrent run claimed it: that run sends it
        messages = write_emails(log)
        enqueue(messages)
    return log, messages


def send_scholarship_reminders(*, today: datetime.date | None = None) -> list[Reminder]:
    """Claim every reminder owed on ``today`` that no run claimed yet, each with its emails (outbox rows)."""
    today = today or timezone.localdate()
    claimed = []
    for scholar, due in reports_owed(today):
        log, messages = _claim(
            ReminderKind.PROGRESS_REPORT_DUE, scholar, due, lambda log, s=scholar: _report_messages(log, s, today)
        )
        if log is not None:
            claimed.append(Reminder(log.pk, log.kind, scholar.applicant_name, due, [m.recipient for m in messages]))
    for tranche in tranches_owed(today):
        log, messages = _claim(
            ReminderKind.STIPEND_DUE,
            tranche.application,
            tranche.due_on,
            lambda log, t=tranche: _stipend_messages(log, t, today),
            tranche,
        )
        if log is not None:
            name = tranche.application.applicant_name
            claimed.append(Reminder(log.pk, log.kind, name, tranche.due_on, [m.recipient for m in messages]))
    return claimed


# --- the emails ---------------------------------------------------------------------------------------------------


def _report_messages(log: ReminderLog, scholar: Application, today: datetime.date) -> list[OutboxMessage]:
    """To each reminder contact of the host institution, in their language; replies go to the officer."""
    officer = responsible_officer(scholar)
    context = {"scholar": scholar, "call": scholar.call, "due_on": log.due_on, "days_late": (today - log.due_on).days}
    return [
        compose(
            kind=REPORT_DUE,
            key=dedupe_key(REPORT_DUE, log.pk, contact.email),
            to=contact.email,
            template="scholarships/email/report_due",
            context=context | {"contact": contact},
            language=contact.preferred_language,
            reply_to=officer.email if officer else "",
            about=log,
        )
        for contact in host_contacts(scholar)
    ]


def _stipend_messages(log: ReminderLog, tranche: StipendTranche, today: datetime.date) -> list[OutboxMessage]:
    """To the responsible officer (or, without one, the managers who approve stipends)."""
    from programs.scholarships.services.stipends import report_gate

    report_due, report_in = report_gate(tranche)
    context = {
        "tranche": tranche,
        "scholar": tranche.application,
        "call": tranche.application.call,
        "report_due": report_due,
        "report_in": report_in,
        "days_until_due": (tranche.due_on - today).days,
    }
    return [
        compose(
            kind=STIPEND_DUE,
            key=dedupe_key(STIPEND_DUE, log.pk, recipient.email),
            to=recipient.email,
            template="scholarships/email/stipend_due",
            context=context | {"recipient": recipient},
            language=settings.LANGUAGE_CODE,
            about=log,
        )
        for recipient in officer_recipients(tranche.application)
    ]


def report_reminder_still_wanted(message: OutboxMessage) -> bool:
    """Still owed: the scholar is enrolled and no report covering the due date is in."""
    log = ReminderLog.objects.select_related("application").filter(pk=message.object_id).first()
    if log is None or log.application.status != ApplicationStatus.ENROLLED:
        return False
    return not log.application.progress_reports.filter(status__in=IN_HAND, period_end__gte=log.due_on).exists()


def stipend_reminder_still_wanted(message: OutboxMessage) -> bool:
    """Still owed: the tranche is still scheduled (not approved, paid or cancelled meanwhile)."""
    return ReminderLog.objects.filter(pk=message.object_id, tranche__status=TrancheStatus.SCHEDULED).exists()


def describe(reminder: Reminder) -> str:
    """One line of the command's output."""
    recipients = ", ".join(reminder.recipients) or "-"
    return f"{reminder.kind}  {reminder.scholar}  {reminder.due_on.isoformat()}  {recipients}"
