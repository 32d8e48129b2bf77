"""Loan repayment reminders: which are due, and claiming each once with everything it promises.

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
or concurrent run: a run (cooperation.reminders) inserts the log rows of everything
it found due, skipping the keys another run holds, and in the same transaction writes
for exactly the rows it inserted the portal notifications, the emails (outbox rows)
and the managers' digest. A run killed at any moment leaves either nothing or all of
it; the outbox delivers the emails (see cooperation.outbox).
"""

import datetime
import itertools
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext

from cooperation.outbox.models import OutboxMessage
from cooperation.outbox.services import amend_pending, compose, dedupe_key
from cooperation.reference.models import Currency
from cooperation.reminders import ReminderRun, Sent, managers
from cooperation.roles import Perm
from partners.models import Notification, Organisation
from programs.finance.models import Installment, LoanStatus, ReminderKind, ReminderLog
from programs.finance.reminder_texts import (  # noqa: F401 - REMINDER and REMINDER_COPY are registered from here
    OVERDUE,
    REMINDER,
    REMINDER_COPY,
    UPCOMING,
    ReminderTexts,
    contacts_of,
    kind_family,
)
from programs.models import Programme

# The kind of email the managers' digest is (registered in apps.py, beside the reminders' REMINDER and REMINDER_COPY).
DIGEST = "finance.overdue_digest"

DEFAULT_UPCOMING_DAYS = (14, 3)
DEFAULT_OVERDUE_DAYS = (1, 7, 30)
DEFAULT_CATCH_UP_DAYS = 30
WINDOW_SLICE = 500  # installments looked up at a time (far below SQLite's bound on query parameters)


def kind_offset(kind: str) -> int:
    """Days after the due date when a kind's moment comes: upcoming_3 → -3, due_today → 0, overdue_7 → 7."""
    family, _sep, days = kind.partition("_")
    if family == UPCOMING:
        return -int(days)
    if family == OVERDUE:
        return int(days)
    return 0


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


def unpaid(prefix: str = "") -> Q:
    """Installments with something still owed (``prefix`` reaches them through a relation: "installment__")."""
    # Paid amounts never exceed what is due (database constraints), so "less than" means something is owed.
    return Q(**{f"{prefix}principal_paid__lt": F(f"{prefix}principal_due")}) | Q(
        **{f"{prefix}interest_paid__lt": F(f"{prefix}interest_due")}
    )


# What a reminder's texts, its log and the digest read of an installment and of the records it points at.
REMINDED_FIELDS = (
    *("loan", "number", "due_date", "principal_due", "interest_due", "principal_paid", "interest_paid"),
    *("loan__reference", "loan__status", "loan__borrower", "loan__currency", "loan__programme"),
)


def in_the_window(today: datetime.date, current: list[Stage] | None = None):
    """The unpaid installments of disbursed loans whose due date lies in one of today's stages (their ids and due
    dates): the partial index of unpaid installments, as many rows as the window holds, however long the history."""
    current = current or stages(today)
    return (
        Installment.objects.filter(
            due_date__range=(current[-1].first_due, current[0].last_due), loan__status=LoanStatus.DISBURSED
        )
        .filter(unpaid())
        .values_list("pk", "due_date")
    )


def due_installments(today: datetime.date, current: list[Stage] | None = None) -> list[Installment]:
    """Installments with a reminder to send today: exactly the reminders to send, in a stable order (concurrent
    runs claim in the same order), with what their texts need.

    In a fixed number of statements per slice of the window, whatever the size of the log: the installments in
    the window (``in_the_window``), then the log rows of those alone, looked up by their ids a slice at a time
    (a few probes of the log's unique key each: the plan has no way to scan the whole log), which drops those
    whose stage's kind or a later one is logged, then the rows of the rest.
    """
    current = current or stages(today)
    owed = {pk: stage_kind(due_date, today, current) for pk, due_date in in_the_window(today, current)}
    owed = {pk: kind for pk, kind in owed.items() if kind is not None}
    blocking = {stage.kind: set(kinds_from(stage.kind)) for stage in current}
    for ids in itertools.batched(sorted(owed), WINDOW_SLICE):
        for installment_id, kind in ReminderLog.objects.filter(installment_id__in=ids).values_list(
            "installment_id", "kind"
        ):
            if kind in blocking.get(owed.get(installment_id), ()):
                del owed[installment_id]
    found = []
    for ids in itertools.batched(sorted(owed), WINDOW_SLICE):
        found += Installment.objects.filter(pk__in=ids).select_related("loan").only(*REMINDED_FIELDS).order_by()
    _share_what_loans_point_at([installment.loan for installment in found])
    return sorted(found, key=lambda installment: (installment.due_date, installment.loan.reference, installment.number))


def _share_what_loans_point_at(loans: list) -> None:
    """Give the loans their borrowers, currencies, programmes and officers, read once each: thousands of reminders
    point at a few hundred of them."""
    borrowers = Organisation.objects.only("name", "acronym").in_bulk({loan.borrower_id for loan in loans})
    currencies = Currency.objects.only("minor_unit").in_bulk({loan.currency_id for loan in loans})
    officer = [f"responsible_officer__{name}" for name in ("username", "first_name", "last_name", "email", "is_active")]
    programmes = (
        Programme.objects.select_related("responsible_officer")
        .only("code", *officer)
        .in_bulk({loan.programme_id for loan in loans})
    )
    for loan in loans:
        loan.borrower = borrowers[loan.borrower_id]
        loan.currency = currencies[loan.currency_id]
        loan.programme = programmes[loan.programme_id]


class LoanReminders(ReminderRun):
    """The day's loan reminders, claimed with everything they promise: the log rows, the portal notifications,
    the emails (outbox rows) and the managers' digest.

    A run killed before its commit leaves nothing (the next run claims the same reminders); after its commit
    everything it claimed is in the outbox, and the outbox delivers it even if the run dies now.
    """

    log_model = ReminderLog
    log_key = ("installment_id", "kind")

    def due(self):
        current = stages(self.today)
        return (
            ReminderLog(installment=i, kind=stage_kind(i.due_date, self.today, current), run_on=self.today)
            for i in due_installments(self.today, current)
        )

    def prepare(self, logs):
        contacts = contacts_of(log.installment for log in logs)
        self.texts = ReminderTexts(self.today)
        for log in logs:
            installment = log.installment
            self.texts.add(installment.pk, installment, log.kind, contacts.get(installment.loan.borrower_id, []))
        self.texts.render()

    def messages(self, log):
        return self.texts.messages[log.installment_id]

    def also(self, claimed):
        Notification.objects.bulk_create(
            Notification(organisation_id=log.installment.loan.borrower_id, **self.texts.notices[log.installment_id])
            for log in claimed
        )
        return overdue_digest([log for log in claimed if kind_family(log.kind) == OVERDUE], self.today)

    @classmethod
    def describe(cls, sent: Sent) -> str:
        installment = sent.log.installment
        recipients = ", ".join(sent.recipients) or gettext("no email recipient (portal notification only)")
        return f"{installment.loan.reference}  #{installment.number}  {sent.log.kind}  {recipients}"


def send_due_reminders(*, today: datetime.date | None = None) -> list[Sent]:
    """Claim every reminder due on ``today`` that no run claimed yet (see LoanReminders)."""
    return LoanReminders(today).send()


def reminder_still_wanted(message: OutboxMessage) -> bool:
    """A reminder (or its copy) goes out only while its installment is unpaid and its loan disbursed."""
    return (
        ReminderLog.objects.filter(pk=message.object_id, installment__loan__status=LoanStatus.DISBURSED)
        .filter(unpaid("installment__"))
        .exists()
    )


def manager_emails() -> list[str]:
    return sorted({user.email for user in managers(Perm.VIEW_DASHBOARD)})


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


def overdue_digest(claimed: list[ReminderLog], today: datetime.date) -> list[OutboxMessage]:
    """The managers' digest of the installments that crossed an overdue mark ``today``: one per manager and day.

    Keyed by the day and the address. A second run of the day that claims more overdue reminders rewrites
    the day's digest while it still waits to be sent, so one email lists them all; once it has gone, the new
    ones follow in a digest of their own. No installment is in two digests, none is left out.
    """
    recipients = manager_emails() if claimed else []
    if not recipients:
        return []
    overdue_kinds = [kind for kind in ReminderKind.values if kind_family(kind) == OVERDUE]
    of_the_day = list(
        ReminderLog.objects.filter(run_on=today, kind__in=overdue_kinds).select_related(
            "installment__loan__borrower", "installment__loan__currency"
        )
    )
    totals = overdue_totals(today)
    messages = []
    for address in recipients:
        key = dedupe_key(DIGEST, today.isoformat(), address)
        day_digest = _digest(key, address, of_the_day, totals, today)
        if amend_pending(day_digest):
            continue
        if not OutboxMessage.objects.filter(dedupe_key=key).exists():
            messages.append(day_digest)
        else:
            follow_up = dedupe_key(DIGEST, today.isoformat(), address, min(log.pk for log in claimed))
            messages.append(_digest(follow_up, address, claimed, totals, today))
    return messages


def _digest(key: str, address: str, logs: list[ReminderLog], totals: list[dict], today: datetime.date):
    items = [
        {"log": log, "installment": log.installment, "days_overdue": (today - log.installment.due_date).days}
        for log in sorted(logs, key=lambda log: (log.installment.loan.reference, log.installment.number))
    ]
    return compose(
        kind=DIGEST,
        key=key,
        to=address,
        template="finance/email/overdue_digest",
        context={"today": today, "items": items, "totals": totals},
        language=settings.LANGUAGE_CODE,
    )
