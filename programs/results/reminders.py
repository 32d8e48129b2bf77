"""Reminders of the results reports partners owe: to the reporting partner's reminder contacts, in each contact's
own language, "due in N days" (from RESULTS_REMINDER_DAYS_BEFORE days before the due date), "due today" and
"overdue"; a report 30 days or more overdue is escalated to the managers, with a copy to the programme's
responsible officer.

State-based, not date-equality-based. Each run looks at every report still owed (``selectors.reports_owed``: none
begun, a draft, or returned, for a period that has begun) and sends the kind of reminder its due date calls for
today, unless that kind — or a later one — was already written for (period, partner). So a day the job did not
run is caught up on the next run with the kind that is right by then ("overdue" after a missed due day), and a
report submitted meanwhile is reminded no more.

Once per (period, partner, kind): this module keeps no log of its own; the outbox is the log. Each email's key is
(kind, period, partner, address), unique in the outbox, so a second run, or one running at the same time (the
second insert of a key waits for the first run's commit and is then skipped), writes nothing twice, and a run
reads what earlier runs wrote from the outbox (the emails are about the period, their keys name the partner).
Right before delivery the outbox asks whether the report is still owed (``reminder_still_wanted``) and cancels
the email if it came in meanwhile.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cooperation.outbox.kinds import Kind
from cooperation.outbox.models import OutboxMessage
from cooperation.outbox.services import attach, dedupe_key, enqueue
from cooperation.reminders import ReminderRun, Sent, managers, to_contacts, to_staff, writable
from cooperation.roles import Perm
from partners.models import Contact, Organisation
from programs.results import selectors
from programs.results.models import Indicator, Period, Report, ReportStatus

# The kinds of email this module writes to the outbox (registered in apps.py through KINDS).
DUE_SOON = "results.report_due_soon"
DUE_TODAY = "results.report_due_today"
OVERDUE = "results.report_overdue"
ESCALATED = "results.report_escalated"
# The partner's reminders, one after the other: once a later one is written, an earlier one never is.
TIMELINE = (DUE_SOON, DUE_TODAY, OVERDUE)

DEFAULT_DAYS_BEFORE = 7
ESCALATE_AFTER_DAYS = 30
IN_HAND = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
LOOKUP_SLICE = 500


def days_before() -> int:
    return int(getattr(settings, "RESULTS_REMINDER_DAYS_BEFORE", DEFAULT_DAYS_BEFORE))


def kinds_owed(due_on: datetime.date, today: datetime.date) -> list[str]:
    """The kinds of reminder a report due on ``due_on`` calls for today (an earlier kind not sent yet is
    superseded): "due soon" within the notice, "due today", then "overdue", and the escalation after 30 days."""
    days_left = (due_on - today).days
    if days_left > days_before():
        return []
    if days_left > 0:
        return [DUE_SOON]
    if days_left == 0:
        return [DUE_TODAY]
    return [OVERDUE, ESCALATED] if -days_left >= ESCALATE_AFTER_DAYS else [OVERDUE]


def _blocking(kind: str) -> set[str]:
    """The kinds whose earlier sending means ``kind`` is not sent: itself and, on the timeline, every later one."""
    if kind not in TIMELINE:
        return {kind}
    return set(TIMELINE[TIMELINE.index(kind) :])


def _period_type() -> ContentType:
    return ContentType.objects.get_for_model(Period)


def _key_parts(key: str) -> tuple[int, int] | None:
    """(period id, organisation id) from an email's key ("results.report_overdue:<period>:<partner>:<address>")."""
    parts = key.split(":")
    if len(parts) < 4 or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    return int(parts[1]), int(parts[2])


def already_sent(period_ids) -> set[tuple[str, int, int]]:
    """(kind, period id, organisation id) of every reminder already written to the outbox for these periods."""
    sent = set()
    for batch in itertools.batched(sorted(period_ids), LOOKUP_SLICE):
        rows = OutboxMessage.objects.filter(
            kind__in=(*TIMELINE, ESCALATED), content_type=_period_type(), object_id__in=batch
        ).values_list("kind", "dedupe_key")
        for kind, key in rows:
            if (parts := _key_parts(key)) is not None:
                sent.add((kind, *parts))
    return sent


@dataclass
class Reminder:
    """One reminder owed today: its kind, and the report it is about (the period and the reporting partner)."""

    kind: str
    period: Period
    organisation: Organisation
    report: Report | None
    today: datetime.date

    @property
    def days_left(self) -> int:
        return (self.period.due_on - self.today).days

    def key(self, recipient: str) -> str:
        return dedupe_key(self.kind, self.period.pk, self.organisation.pk, recipient)


def reminders_owed(today: datetime.date) -> list[Reminder]:
    """Every reminder due today and not written yet, soonest due first: five queries, whatever the number of
    reports."""
    due = selectors.reports_owed(today=today)
    sent = already_sent({item.period.pk for item in due})
    owed = []
    for item in due:
        for kind in kinds_owed(item.period.due_on, today):
            if not any((earlier, item.period.pk, item.organisation.pk) in sent for earlier in _blocking(kind)):
                owed.append(Reminder(kind, item.period, item.organisation, item.report, today))
    return owed


def reminder_still_wanted(message: OutboxMessage) -> bool:
    """Still owed: the partner still reports in the programme and its report for the period is not in."""
    parts = _key_parts(message.dedupe_key)
    period = Period.objects.filter(pk=message.object_id).first()
    if parts is None or period is None:
        return False
    organisation_id = parts[1]
    if Report.objects.filter(period=period, organisation_id=organisation_id, status__in=IN_HAND).exists():
        return False
    return Indicator.objects.filter(result__programme_id=period.programme_id, reporter_id=organisation_id).exists()


KINDS = (
    Kind(DUE_SOON, _("Results report due soon"), reminder_still_wanted),
    Kind(DUE_TODAY, _("Results report due today"), reminder_still_wanted),
    Kind(OVERDUE, _("Results report overdue"), reminder_still_wanted),
    Kind(ESCALATED, _("Results report overdue (to the managers)"), reminder_still_wanted),
)


class ResultsReminders(ReminderRun):
    """The day's reminders of results reports, each written once to the outbox (its emails' keys are the claim)."""

    def due(self) -> list[Reminder]:
        return reminders_owed(self.today)

    def prepare(self, reminders: list[Reminder]) -> None:
        """The reminder contacts of every partner and the programmes' responsible officers, read at once."""
        self.contacts: dict[int, list[Contact]] = {}
        rows = (
            Contact.objects.filter(
                organisation_id__in={reminder.organisation.pk for reminder in reminders},
                receives_reminders=True,
                is_active=True,
            )
            .exclude(email="")
            .order_by("name", "email")
        )
        for contact in rows:
            self.contacts.setdefault(contact.organisation_id, []).append(contact)
        officer_ids = {reminder.period.programme.responsible_officer_id for reminder in reminders} - {None}
        self.officers = get_user_model().objects.in_bulk(officer_ids)
        escalating = any(reminder.kind == ESCALATED for reminder in reminders)
        self.managers = managers(Perm.VIEW_RESULTS_REPORT) if escalating else []

    def officer(self, reminder: Reminder):
        return writable(self.officers.get(reminder.period.programme.responsible_officer_id))

    def messages(self, reminder: Reminder) -> list[OutboxMessage]:
        officer = self.officer(reminder)
        contacts = self.contacts.get(reminder.organisation.pk, [])
        context = {
            "programme": reminder.period.programme,
            "period": reminder.period,
            "organisation": reminder.organisation,
            "report": reminder.report,
            "due_on": reminder.period.due_on,
            "days_left": reminder.days_left,
            "days_late": -reminder.days_left,
            "officer": officer,
            "contacts_reminded": bool(contacts),
        }
        template = f"results/email/{reminder.kind.removeprefix('results.')}"
        if reminder.kind != ESCALATED:
            return to_contacts(contacts, kind=reminder.kind, template=template, context=context, reply_to=officer)
        messages = to_staff(self.managers, kind=ESCALATED, template=template, context=context | {"copy": False})
        if officer is not None and officer not in self.managers:
            messages += to_staff([officer], kind=ESCALATED, template=template, context=context | {"copy": True})
        return messages

    def _send(self) -> list[Sent]:
        """Write the emails of every reminder owed in ONE transaction; what another run wrote first (the same
        keys) is skipped. The reminders whose emails THIS run wrote are returned (``send`` runs this with the cycle
        collector paused)."""
        reminders = self.due()
        if not reminders:
            return []
        self.prepare(reminders)
        prepared = [(reminder, self.messages(reminder)) for reminder in reminders]
        outgoing = []
        for reminder, messages in prepared:
            for message in messages:
                attach(message, key=reminder.key(message.recipient), about=reminder.period)
            outgoing += messages
        if not outgoing:
            return []
        with transaction.atomic():
            enqueue(outgoing)
            written = self._written_now(outgoing)
        sent = []
        for reminder, messages in prepared:
            recipients = [message.recipient for message in messages if message.dedupe_key in written]
            if recipients:
                sent.append(Sent(reminder, recipients))
        return sent

    @staticmethod
    def _written_now(outgoing: list[OutboxMessage]) -> set[str]:
        """The keys of the messages this run's insert wrote (a row another run wrote has its own time stamp)."""
        stamp = outgoing[0].created_at
        keys = [message.dedupe_key for message in outgoing]
        written = set()
        for batch in itertools.batched(keys, LOOKUP_SLICE):
            rows = OutboxMessage.objects.filter(dedupe_key__in=batch, created_at=stamp)
            written |= set(rows.values_list("dedupe_key", flat=True))
        return written

    @classmethod
    def describe(cls, sent: Sent) -> str:
        reminder = sent.log
        recipients = ", ".join(sent.recipients) or "-"
        programme = reminder.period.programme.code
        return f"{reminder.kind}  {programme}  {reminder.period}  {reminder.organisation.name}  {recipients}"


def send_results_reminders(*, today: datetime.date | None = None) -> list[Sent]:
    """Write every reminder owed on ``today`` that no run wrote yet (see ResultsReminders)."""
    return ResultsReminders(today).send()
