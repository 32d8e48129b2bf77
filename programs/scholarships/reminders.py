"""Scholarship reminders: progress reports due (to the host institution's contacts) and stipend tranches
due (to the responsible officer).

State-based, not date-equality-based. Each run sends every reminder that is owed and not logged yet:

- a progress report is owed once the latest report due date (``terms.report_due_dates``) has passed and
  no report covering it is in (submitted or accepted): one reminder per (scholar, due date);
- a stipend tranche is owed a reminder from STIPEND_REMINDER_DAYS_BEFORE days before its due date while
  it is still scheduled: one reminder per (scholar, due date).

So a day the job did not run is caught up on the next run, and a second or concurrent run sends nothing
twice: the ReminderLog row, unique on (kind, scholar, due date), is INSERTed first, and only the run whose
insert succeeds writes the emails, as outbox rows in the same transaction (see cooperation.reminders and
cooperation.outbox). Right before
sending, the outbox asks whether the reminder is still owed (the report may have come in, the tranche been
approved meanwhile) and cancels it if not.
"""

import datetime

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q

from cooperation.outbox.models import OutboxMessage
from cooperation.reminders import ReminderRun, Sent, managers, to_contacts, to_staff, writable
from cooperation.roles import Perm
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
    call = application.call
    return writable(call.responsible_officer) or writable(call.programme.responsible_officer)


def officer_recipients(application: Application) -> list:
    officer = responsible_officer(application)
    return [officer] if officer else managers(Perm.APPROVE_STIPEND)


# --- the run ------------------------------------------------------------------------------------------------------


class ScholarshipReminders(ReminderRun):
    """The day's scholarship reminders, each claimed against ReminderLog with its emails (outbox rows)."""

    log_model = ReminderLog
    log_key = ("application_id", "kind", "due_on")

    def due(self):
        for scholar, due in reports_owed(self.today):
            yield ReminderLog(kind=ReminderKind.PROGRESS_REPORT_DUE, application=scholar, due_on=due)
        for tranche in tranches_owed(self.today):
            yield ReminderLog(
                kind=ReminderKind.STIPEND_DUE, application=tranche.application, due_on=tranche.due_on, tranche=tranche
            )

    def messages(self, log):
        if log.kind == ReminderKind.STIPEND_DUE:
            return _stipend_messages(log.tranche, self.today)
        return _report_messages(log, self.today)

    @classmethod
    def describe(cls, sent: Sent) -> str:
        recipients = ", ".join(sent.recipients) or "-"
        log = sent.log
        return f"{log.kind}  {log.application.applicant_name}  {log.due_on.isoformat()}  {recipients}"


def send_scholarship_reminders(*, today: datetime.date | None = None) -> list[Sent]:
    """Claim every reminder owed on ``today`` that no run claimed yet, with its emails (see ScholarshipReminders)."""
    return ScholarshipReminders(today).send()


# --- the emails ---------------------------------------------------------------------------------------------------


def _report_messages(log: ReminderLog, today: datetime.date) -> list[OutboxMessage]:
    """To each reminder contact of the host institution, in their language; replies go to the officer."""
    scholar = log.application
    officer = responsible_officer(scholar)
    context = {"scholar": scholar, "call": scholar.call, "due_on": log.due_on, "days_late": (today - log.due_on).days}
    template = "scholarships/email/report_due"
    return to_contacts(host_contacts(scholar), kind=REPORT_DUE, template=template, context=context, reply_to=officer)


def _stipend_messages(tranche: StipendTranche, today: datetime.date) -> list[OutboxMessage]:
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
    recipients = officer_recipients(tranche.application)
    return to_staff(recipients, kind=STIPEND_DUE, template="scholarships/email/stipend_due", context=context)


def report_reminder_still_wanted(message: OutboxMessage) -> bool:
    """Still owed: the scholar is enrolled and no report covering the due date is in."""
    log = ReminderLog.objects.select_related("application").filter(pk=message.object_id).first()
    if log is None or log.application.status != ApplicationStatus.ENROLLED:
        return False
    return not log.application.progress_reports.filter(status__in=IN_HAND, period_end__gte=log.due_on).exists()


def stipend_reminder_still_wanted(message: OutboxMessage) -> bool:
    """Still owed: the tranche is still scheduled (not approved, paid or cancelled meanwhile)."""
    return ReminderLog.objects.filter(pk=message.object_id, tranche__status=TrancheStatus.SCHEDULED).exists()
