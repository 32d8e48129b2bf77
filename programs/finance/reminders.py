"""Loan repayment reminders: which are due, claiming them once, and delivering them.

State-based, not date-equality-based. Each installment moves along one timeline
of reminder kinds, by days relative to its due date (defaults):

    upcoming_14 (-14) → upcoming_3 (-3) → due_today (0) → overdue_1 (+1) → overdue_7 (+7) → overdue_30 (+30)

On a given day an unpaid installment of a disbursed loan sits in exactly one
*stage*: the latest kind whose moment has come. A run sends that kind unless the
installment already has a log row of that kind or of any LATER kind. So:

- a day the job did not run is caught up on the next run, with the reminder of
  the stage the installment is in by then (10 days of outage on an installment
  now 8 days overdue send "overdue_7" only);
- superseded kinds get no log row and are never sent: once a later kind is
  logged, no earlier kind can be sent again, not even by a run with an earlier
  ``--today`` (the log records what went out, nothing else);
- a stale kind is never sent: "upcoming" stops at the due date, "due today"
  stops when the first overdue kind's moment comes;
- the last kind (overdue_30) is still caught up for LOAN_REMINDER_CATCH_UP_DAYS
  after its moment; older arrears are left to the officers, which keeps every
  run's query to a bounded window of due dates.

The unique (installment, kind) key of ReminderLog is the guard against a second
or concurrent run: the log row is INSERTed first and only the run whose insert
succeeds posts the portal notification and enqueues the email, after commit.
"""

import datetime
import itertools
import logging
from dataclasses import dataclass, field
from functools import partial
from smtplib import SMTPRecipientsRefused
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cooperation.roles import Perm, Role
from partners.models import Contact, Notification
from programs.finance.models import Installment, LoanStatus, ReminderKind, ReminderLog

logger = logging.getLogger(__name__)

DEFAULT_UPCOMING_DAYS = (14, 3)
DEFAULT_OVERDUE_DAYS = (1, 7, 30)
DEFAULT_CATCH_UP_DAYS = 30
CLAIM_BATCH = 100

UPCOMING, DUE, OVERDUE = "upcoming", "due", "overdue"


def kind_offset(kind: str) -> int:
    """Days after the due date when a kind's moment comes: upcoming_3 → -3, due_today → 0, overdue_7 → 7."""
    family, _sep, days = kind.partition("_")
    if family == UPCOMING:
        return -int(days)
    if family == OVERDUE:
        return int(days)
    return 0


def kind_family(kind: str) -> str:
    return UPCOMING if kind.startswith(UPCOMING) else OVERDUE if kind.startswith(OVERDUE) else DUE


def _configured_kinds(setting: str, default: tuple[int, ...], family: str) -> list[str]:
    days = getattr(settings, setting, default)
    kinds = []
    for day in days:
        kind = f"{family}_{day}"
        if kind not in ReminderKind.values:
            known = [str(abs(kind_offset(k))) for k in ReminderKind.values if k.startswith(family)]
            raise ImproperlyConfigured(f"{setting}: {day} days has no reminder kind; known: {', '.join(known)}.")
        kinds.append(kind)
    return kinds


def timeline() -> list[str]:
    """The reminder kinds in use, earliest moment first."""
    kinds = _configured_kinds("LOAN_REMINDER_UPCOMING_DAYS", DEFAULT_UPCOMING_DAYS, UPCOMING)
    kinds += [ReminderKind.DUE_TODAY.value]
    kinds += _configured_kinds("LOAN_REMINDER_OVERDUE_DAYS", DEFAULT_OVERDUE_DAYS, OVERDUE)
    return sorted(set(kinds), key=kind_offset)


def catch_up_days() -> int:
    return int(getattr(settings, "LOAN_REMINDER_CATCH_UP_DAYS", DEFAULT_CATCH_UP_DAYS))


def kinds_from(kind: str) -> list[str]:
    """This kind and every later one (of all known kinds, configured or not): a log of any of them blocks it."""
    return [k for k in ReminderKind.values if kind_offset(k) >= kind_offset(kind)]


@dataclass(frozen=True)
class Stage:
    """Installments whose due date lies in [first_due, last_due] are in this kind's stage today."""

    kind: str
    first_due: datetime.date
    last_due: datetime.date


def stages(today: datetime.date) -> list[Stage]:
    kinds = timeline()
    result = []
    for position, kind in enumerate(kinds):
        last_due = today - datetime.timedelta(days=kind_offset(kind))
        if position + 1 < len(kinds):
            # The stage ends the day before the next kind's moment.
            first_due = today - datetime.timedelta(days=kind_offset(kinds[position + 1]) - 1)
        else:
            first_due = last_due - datetime.timedelta(days=catch_up_days())
        result.append(Stage(kind, first_due, last_due))
    return result


def stage_kind(due_date: datetime.date, today: datetime.date, current: list[Stage] | None = None) -> str | None:
    """The kind of reminder an installment due on ``due_date`` is owed today, if any."""
    for stage in current or stages(today):
        if stage.first_due <= due_date <= stage.last_due:
            return stage.kind
    return None


def unpaid() -> Q:
    # Paid amounts never exceed what is due (database constraints), so "less than" means something is owed.
    return Q(principal_paid__lt=F("principal_due")) | Q(interest_paid__lt=F("interest_due"))


def due_installments(today: datetime.date, current: list[Stage] | None = None):
    """Installments with a reminder to send today, in ONE query over an indexed window of due dates.

    Only unpaid installments of disbursed loans whose current stage's kind (or a later one) is
    not logged yet: the rows returned are exactly the reminders to send.
    """
    current = current or stages(today)
    in_a_stage_not_yet_logged = Q()
    for stage in current:
        already_logged = ReminderLog.objects.filter(installment=OuterRef("pk"), kind__in=kinds_from(stage.kind))
        in_a_stage_not_yet_logged |= Q(due_date__range=(stage.first_due, stage.last_due)) & ~Exists(already_logged)
    return (
        Installment.objects.filter(
            due_date__range=(current[-1].first_due, current[0].last_due),
            loan__status=LoanStatus.DISBURSED,
        )
        .filter(unpaid())
        .filter(in_a_stage_not_yet_logged)
        .select_related("loan__borrower", "loan__currency", "loan__programme__responsible_officer")
        .order_by("due_date", "loan__reference", "number")
    )


def reminder_contacts(organisation_ids) -> dict[int, list[Contact]]:
    contacts: dict[int, list[Contact]] = {}
    queryset = (
        Contact.objects.filter(organisation_id__in=organisation_ids, receives_reminders=True, is_active=True)
        .exclude(email="")
        .order_by("name", "email")
    )
    for contact in queryset:
        contacts.setdefault(contact.organisation_id, []).append(contact)
    return contacts


def programme_officer(installment: Installment):
    """The programme's responsible officer, when they can be written to: borrowers' replies go there."""
    officer = installment.loan.programme.responsible_officer
    return officer if officer is not None and officer.is_active and officer.email else None


def copied_officer(installment: Installment, kind: str):
    """Overdue reminders are copied to the responsible officer, who follows up the arrears."""
    return programme_officer(installment) if kind_family(kind) == OVERDUE else None


@dataclass
class Reminder:
    """A reminder this run claimed: what the command prints."""

    log_id: int
    loan_reference: str
    installment_number: int
    kind: str
    recipients: list[str] = field(default_factory=list)


def send_due_reminders(*, today: datetime.date | None = None) -> list[Reminder]:
    """Claim every reminder due on ``today`` that no run claimed yet; notify the portal; email after commit.

    Reminders are claimed in transactions of CLAIM_BATCH: a failure halfway keeps the batches done,
    and a concurrent run waits at most for one batch. Managers get one digest of the overdue reminders
    this run claimed (a second run the same day claims none, so sends none).
    """
    from programs.finance import tasks  # tasks call back into this module

    today = today or timezone.localdate()
    current = stages(today)
    installments = list(due_installments(today, current))
    contacts = reminder_contacts({installment.loan.borrower_id for installment in installments})
    claimed = []
    for batch in itertools.batched(installments, CLAIM_BATCH):
        with transaction.atomic():
            notifications = []
            for installment in batch:
                kind = stage_kind(installment.due_date, today, current)
                try:
                    with transaction.atomic():
                        log = ReminderLog.objects.create(installment=installment, kind=kind)
                except IntegrityError:
                    continue  # a concurrent run claimed it: that run sends it
                notifications.append(
                    Notification(
                        organisation_id=installment.loan.borrower_id, **_notification(installment, kind, today)
                    )
                )
                transaction.on_commit(partial(tasks.send_loan_reminder.delay, log.pk, today.isoformat()))
                officer = copied_officer(installment, kind)
                claimed.append(
                    Reminder(
                        log_id=log.pk,
                        loan_reference=installment.loan.reference,
                        installment_number=installment.number,
                        kind=kind,
                        recipients=[c.email for c in contacts.get(installment.loan.borrower_id, [])]
                        + ([officer.email] if officer else []),
                    )
                )
            Notification.objects.bulk_create(notifications)
    overdue_ids = [reminder.log_id for reminder in claimed if kind_family(reminder.kind) == OVERDUE]
    if overdue_ids:
        transaction.on_commit(partial(tasks.send_overdue_digest.delay, overdue_ids, today.isoformat()))
    return claimed


# A reminder whose email task never reached the broker (down at the moment of commit) would wait
# forever. Once the retries of a first attempt are surely over, the daily run hands it to the mail task
# again; a reminder older than a week is left to the officers rather than sent that late.
STUCK_AFTER = datetime.timedelta(hours=12)
STUCK_GIVE_UP = datetime.timedelta(days=7)


def requeue_stuck_reminders(*, now: datetime.datetime | None = None) -> list[int]:
    """Enqueue again every claimed reminder still unsent long after its claim; returns their log ids."""
    from programs.finance import tasks

    now = now or timezone.now()
    stuck = list(
        ReminderLog.objects.filter(
            sent_at__isnull=True,
            created_at__lt=now - STUCK_AFTER,
            created_at__gte=now - STUCK_GIVE_UP,
            installment__in=Installment.objects.filter(unpaid(), loan__status=LoanStatus.DISBURSED),
        ).values_list("pk", "created_at")
    )
    for log_id, claimed_at in stuck:
        claimed_on = timezone.localdate(claimed_at).isoformat()
        transaction.on_commit(partial(tasks.send_loan_reminder.delay, log_id, claimed_on))
    return [log_id for log_id, _ in stuck]


def _context(installment: Installment, kind: str, today: datetime.date) -> dict:
    return {
        "installment": installment,
        "loan": installment.loan,
        "kind": kind,
        "family": kind_family(kind),
        "days_until_due": (installment.due_date - today).days,
        "days_overdue": (today - installment.due_date).days,
        "outstanding": installment.outstanding,
        "paid": installment.total_paid,
    }


def _render(template: str, context: dict) -> str:
    return render_to_string(f"finance/email/{template}", context).strip()


def _notification(installment: Installment, kind: str, today: datetime.date) -> dict:
    # Stored text cannot follow each reader's language: it is written in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(installment, kind, today)
        return {
            "title": _render("reminder_subject.txt", context)[:200],
            "body": _render("reminder_notification.txt", context),
            "link": _portal_link(installment),
        }


def _portal_link(installment: Installment) -> str:
    try:
        return reverse("finance_portal:loan", args=[installment.loan_id])
    except NoReverseMatch:
        return ""


def _recorded(log: ReminderLog) -> list[str]:
    return [address for address in log.recipients.split(", ") if address]


def deliver_reminder(*, log_id: int, today: datetime.date) -> list[str]:
    """Email one claimed reminder; safe to run again (a retry skips the addresses already sent).

    Each contact gets it in their own language; overdue ones are copied to the responsible officer.
    Every address is recorded as soon as its email is accepted, and ``sent_at`` when all are: a mail
    server failing halfway makes the retry send only what is missing. Returns the addresses emailed now.
    """
    log = (
        ReminderLog.objects.select_related(
            "installment__loan__borrower",
            "installment__loan__currency",
            "installment__loan__programme__responsible_officer",
        )
        .filter(pk=log_id)
        .first()
    )
    if log is None or log.sent_at is not None:
        return []
    installment = log.installment
    if installment.is_paid or installment.loan.status != LoanStatus.DISBURSED:
        logger.info("Reminder %s not sent: installment paid or loan closed since it was claimed.", log_id)
        return []
    contacts = reminder_contacts([installment.loan.borrower_id]).get(installment.loan.borrower_id, [])
    officer = copied_officer(installment, log.kind)
    context = _context(installment, log.kind, today) | {"officer": programme_officer(installment)}
    reply_to = [context["officer"].email] if context["officer"] else []
    messages = []
    for contact in contacts:
        with translation.override(contact.preferred_language):
            messages.append(
                _message(
                    "reminder", context | {"contact": contact}, contact.email, contact.preferred_language, reply_to
                )
            )
    if officer:
        with translation.override(settings.LANGUAGE_CODE):
            copy_context = context | {"contacts": contacts, "officer": officer}
            messages.append(_message("reminder_copy", copy_context, officer.email, settings.LANGUAGE_CODE, []))

    done = _recorded(log)
    sent_now = []
    pending = [message for message in messages if message.to[0] not in done]
    if pending:
        with mailers.default as connection:
            for message in pending:
                try:
                    connection.send_messages([message])
                except SMTPRecipientsRefused:
                    # The server refuses this address for good: retrying would only hold back the others.
                    logger.warning("Reminder %s: the mail server refused %s.", log_id, message.to[0])
                    continue
                done.append(message.to[0])
                sent_now.append(message.to[0])
                log.recipients = ", ".join(done)
                log.save(update_fields=["recipients"])
    log.sent_at = timezone.now()
    log.save(update_fields=["sent_at"])
    return sent_now


def _message(template: str, context: dict, to: str, language: str, reply_to: list[str]) -> EmailMessage:
    return EmailMessage(
        subject=" ".join(_render(f"{template}_subject.txt", context).split()),
        body=render_to_string(f"finance/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=reply_to,
        headers={"Content-Language": language},
    )


def manager_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.MANAGER.value).exclude(email="")
    return sorted({user.email for user in users.distinct() if user.has_perm(Perm.VIEW_DASHBOARD)})


def overdue_totals(today: datetime.date) -> list[dict]:
    """Everything overdue today, per currency: amount, installments and loans (one aggregate query)."""
    owed = F("principal_due") + F("interest_due") - F("principal_paid") - F("interest_paid")
    rows = (
        Installment.objects.filter(due_date__lt=today, loan__status=LoanStatus.DISBURSED)
        .filter(unpaid())
        .values("loan__currency__code", "loan__currency__minor_unit")
        .annotate(amount=Sum(owed), installments=Count("pk"), loans=Count("loan", distinct=True))
        .order_by("loan__currency__code")
    )
    return [
        {
            "currency": SimpleNamespace(code=row["loan__currency__code"], minor_unit=row["loan__currency__minor_unit"]),
            "amount": row["amount"],
            "installments": row["installments"],
            "loans": row["loans"],
        }
        for row in rows
    ]


def deliver_overdue_digest(*, log_ids: list[int], today: datetime.date) -> list[str]:
    """One email to the managers: the installments that crossed an overdue mark in this run, and the totals."""
    recipients = manager_emails()
    logs = list(
        ReminderLog.objects.filter(pk__in=log_ids)
        .select_related("installment__loan__borrower", "installment__loan__currency")
        .order_by("installment__loan__reference", "installment__number")
    )
    if not recipients or not logs:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "today": today,
            "items": [
                {"log": log, "installment": log.installment, "days_overdue": (today - log.installment.due_date).days}
                for log in logs
            ],
            "totals": overdue_totals(today),
        }
        message = EmailMessage(
            subject=" ".join(_render("overdue_digest_subject.txt", context).split()),
            body=render_to_string("finance/email/overdue_digest.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
            headers={"Content-Language": settings.LANGUAGE_CODE},
        )
    with mailers.default as connection:
        connection.send_messages([message])
    return recipients


def describe(reminder: Reminder) -> str:
    """One line of the command's output."""
    recipients = ", ".join(reminder.recipients) or gettext("no email recipient (portal notification only)")
    return f"{reminder.loan_reference}  #{reminder.installment_number}  {reminder.kind}  {recipients}"
