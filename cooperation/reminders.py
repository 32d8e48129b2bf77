"""Reminder runs: what every module's reminder job does the same way, written once.

A run finds what is due today, claims it against a log whose unique key stands for "this reminder, once",
and in the same transaction writes the emails as outbox rows (see cooperation.outbox): each recipient in
their own language, keyed by (kind, log row, address) and linked to the log row. So a day the job did not
run is caught up on the next run, a second or concurrent run sends nothing twice, and a run killed at any
moment leaves either nothing or all of it. Right before sending, the outbox asks the module whether the
reminder is still wanted (its kind's ``still_wanted``).

A module subclasses ``ReminderRun`` and says only what differs: its log model and the key a reminder is
claimed by, the unsaved log rows of what is due, the emails of one log row, and what a command prints of
one; optionally what the same transaction also writes (portal notifications, a digest). Its task and its
management command (a ``ReminderCommand``) are then a few lines.
"""

import datetime
import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from cooperation.collector import collector_paused
from cooperation.dates import command_date
from cooperation.inserts import insert_new
from cooperation.outbox.models import OutboxMessage
from cooperation.outbox.services import attach, compose, dedupe_key, enqueue
from cooperation.roles import Role

CLAIM_BATCH = 500


def writable(user):
    """The user when they can be written to (active, with an email address), else None."""
    return user if user is not None and user.is_active and user.email else None


def managers(perm: str) -> list:
    """The active managers with an email address who hold ``perm``, by address: whom a module falls back on."""
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.MANAGER.value).exclude(email="")
    return [user for user in users.distinct().order_by("email") if user.has_perm(perm)]


def to_contacts(contacts, *, kind: str, template: str, context: dict, reply_to=None) -> list[OutboxMessage]:
    """An email to each of a partner's contacts, in the contact's own language (``contact`` in the context);
    replies go to ``reply_to`` (a user, usually the responsible officer) when there is one. Not keyed yet."""
    return [
        compose(
            kind=kind,
            to=contact.email,
            template=template,
            context=context | {"contact": contact},
            language=contact.preferred_language,
            reply_to=reply_to.email if reply_to else "",
        )
        for contact in contacts
    ]


def to_staff(users, *, kind: str, template: str, context: dict, name: str = "recipient") -> list[OutboxMessage]:
    """An email to each of these users, in the site's language (the user as ``name`` in the context). Not keyed."""
    return [
        compose(
            kind=kind, to=user.email, template=template, context=context | {name: user}, language=settings.LANGUAGE_CODE
        )
        for user in users
    ]


@dataclass
class Sent:
    """A reminder a run claimed: its log row and the addresses its emails went to (what a command prints)."""

    log: models.Model
    recipients: list[str] = field(default_factory=list)


class ReminderRun:
    """One run of a module's reminders, as of ``today`` (default: the local date).

    Say in a subclass:

    - ``log_model`` and ``log_key``, the attribute names of its unique key, the first one the most selective
      (a run reads its claims back by it);
    - ``due()``: the unsaved log rows of every reminder due today and not logged yet, in a stable order
      (concurrent runs claim in the same order, so they never wait on each other in a circle);
    - ``messages(log)``: its emails, composed without key (``compose`` without ``key`` and ``about``);
    - ``describe(sent)``: one line of the command's output;
    - optionally ``prepare(logs)``, reading at once what the emails of all the logs need, and ``also(claimed)``,
      what the claiming transaction writes besides the emails (returns more outbox messages).

    A log model with a ``run`` field (a UUID, this run's token on its rows) is claimed set-based: one statement
    per batch inserts the rows, skipping the keys another run holds, and returns those it inserted. Without one (a
    token column is a migration away), each row is inserted in a savepoint of the same transaction, and a key
    another run holds is skipped.
    """

    log_model: type[models.Model]
    log_key: tuple[str, ...]
    run_field = "run"

    def __init__(self, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.run = uuid.uuid4()

    # --- what the module says -----------------------------------------------------------------------------------

    def due(self) -> Iterable[models.Model]:
        raise NotImplementedError

    def messages(self, log) -> list[OutboxMessage]:
        raise NotImplementedError

    def prepare(self, logs: list) -> None:
        """Read at once what the emails of all these logs need (contacts, officers)."""

    def also(self, claimed: list) -> list[OutboxMessage]:
        """Write what goes with the claimed logs besides their emails, in the same transaction; more emails."""
        return []

    @classmethod
    def describe(cls, sent: Sent) -> str:
        raise NotImplementedError

    # --- what every run does ------------------------------------------------------------------------------------

    @classmethod
    def task(cls, today: str | None = None) -> int:
        """The daily job (Celery beat) as of an ISO date or today: how many reminders it claimed."""
        return len(cls(datetime.date.fromisoformat(today) if today else None).send())

    def send(self) -> list[Sent]:
        """Claim every reminder due that no run claimed yet, in ONE transaction with its emails (outbox rows)
        and whatever ``also`` writes. The outbox delivers the emails after commit. The run holds every reminder
        at once: the cycle collector waits until it is over (``cooperation.collector``)."""
        with collector_paused():
            return self._send()

    def _send(self) -> list[Sent]:
        logs = list(self.due())
        if not logs:
            return []
        self.prepare(logs)
        # Rendering is the slow part: it is done before the transaction, so that the claim holds its locks (on
        # SQLite, the whole database's) for a moment only. What another run claims meanwhile is rendered in vain.
        prepared = [(log, self.messages(log)) for log in logs]
        with transaction.atomic():
            claimed = self._claim(logs)
            mine = [(log, messages) for log, messages in prepared if self._key(log) in claimed]
            if not mine:
                return []
            outgoing, sent = [], []
            for log, messages in mine:
                log.pk, log._state.adding = claimed[self._key(log)], False
                for message in messages:
                    attach(message, key=dedupe_key(message.kind, log.pk, message.recipient), about=log)
                outgoing += messages
                sent.append(Sent(log, [message.recipient for message in messages]))
            outgoing += self.also([log for log, _messages in mine])
            enqueue(outgoing)
        return sent

    def _key(self, log) -> tuple:
        return tuple(getattr(log, name) for name in self.log_key)

    def _claim(self, logs: list) -> dict[tuple, int]:
        """Insert the logs' rows, skipping the keys another run holds; {key: log id} of the rows THIS run inserted.

        The unique key decides between concurrent runs: PostgreSQL makes the second insert of a key wait for the
        first run's commit and then skips it; SQLite has one writer at a time.
        """
        if not any(f.name == self.run_field for f in self.log_model._meta.fields):
            return self._claim_each(logs)
        for log in logs:
            setattr(log, self.run_field, self.run)
        claimed = {}
        for batch in itertools.batched(logs, CLAIM_BATCH):
            claimed |= self._insert_new(batch)
        return claimed

    def _insert_new(self, logs) -> dict[tuple, int]:
        """ONE statement: insert the logs' rows, skipping the keys another run holds; {key: id} of those it inserted."""
        return {tuple(row[:-1]): row[-1] for row in insert_new(logs, [*self.log_key, "pk"])}

    def _claim_each(self, logs: list) -> dict[tuple, int]:
        claimed = {}
        for log in logs:
            try:
                with transaction.atomic():
                    log.save()
            except IntegrityError:
                continue  # a concurrent run claimed it: that run sends it
            claimed[self._key(log)] = log.pk
        return claimed


class ReminderCommand(BaseCommand):
    """Run a module's reminders now (the same run as its daily task) and print one line per reminder sent."""

    reminders: type[ReminderRun]
    counted = "reminder(s)"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        sent = self.reminders(command_date(today) if today else None).send()
        for reminder in sent:
            self.stdout.write(self.reminders.describe(reminder))
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} {self.counted} sent."))
