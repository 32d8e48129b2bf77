"""Delivering outbox rows: claim one atomically, ask its module whether it is still wanted, send, record.

The claim is one conditional UPDATE (pending and due, or sending with its lease over → sending, with a new
claim token and lease): whoever runs it first wins and every other deliverer of the same row — a second
task for it, the sweep, another worker — gets no row and moves on. Every later write names the claim
token, so a deliverer whose lease ran out and was taken over cannot overwrite what the new one recorded.

Delivery is at least once: a worker killed after the mail server accepted a message but before it recorded
"sent" sends it again once the lease is over. Each row is one message to one address, so that is the most
that can be repeated.
"""

import contextlib
import datetime
import logging
import time
import uuid
from collections import Counter
from smtplib import SMTPRecipientsRefused

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db.models import F, Q
from django.utils import timezone

from cooperation.outbox import kinds
from cooperation.outbox.models import MessageStatus, OutboxMessage

logger = logging.getLogger(__name__)

DEFAULTS = {
    "OUTBOX_MAX_ATTEMPTS": 10,
    "OUTBOX_RETRY_SECONDS": 60,
    "OUTBOX_RETRY_MAX_SECONDS": 3600,
    "OUTBOX_CLAIM_SECONDS": 300,
    "OUTBOX_SWEEP_BATCH": 200,
}
ERROR_LENGTH = 2000
FINAL = (MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.CANCELLED)


def setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def retry_delay(attempts: int) -> datetime.timedelta:
    """After the n-th failed attempt: about 1, 2, 4, 8 … minutes, never more than the cap."""
    seconds = setting("OUTBOX_RETRY_SECONDS") * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, setting("OUTBOX_RETRY_MAX_SECONDS")))


def claimable(now: datetime.datetime) -> Q:
    """Rows a deliverer may take: pending and due, or claimed by a deliverer whose lease is over."""
    return Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, claimed_until__lt=now
    )


def claim(message_id: int, *, now: datetime.datetime) -> uuid.UUID | None:
    """Take the row for this deliverer (one conditional UPDATE); None when it is not there to take."""
    token = uuid.uuid4()
    taken = OutboxMessage.objects.filter(claimable(now), pk=message_id).update(
        status=MessageStatus.SENDING,
        claim_token=token,
        claimed_until=now + datetime.timedelta(seconds=setting("OUTBOX_CLAIM_SECONDS")),
        attempts=F("attempts") + 1,
    )
    return token if taken else None


def _record(message: OutboxMessage, token: uuid.UUID, **fields) -> bool:
    """Write the outcome, only while this deliverer still holds the claim."""
    if message.sensitive and fields.get("status") in FINAL:
        fields["body"] = ""  # the secret it carried is not kept once the message is done with
    fields.setdefault("claimed_until", None)
    recorded = OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(**fields)
    if not recorded:
        logger.warning("Outgoing message %s was taken over by another deliverer before it was recorded.", message.pk)
    return bool(recorded)


def as_email(message: OutboxMessage) -> EmailMessage:
    return EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        reply_to=[message.reply_to] if message.reply_to else [],
        headers={"Content-Language": message.language},
    )


def refused_for_good(error: SMTPRecipientsRefused) -> bool:
    """Every address refused with a permanent (5xx) code: trying again cannot help."""
    codes = [code for code, _text in error.recipients.values()]
    return bool(codes) and all(int(code) >= 500 for code in codes)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_LENGTH]


class Connection:
    """One connection to the mail server for a batch of deliveries (a sweep's): opened by the first message sent,
    so a server that is away fails that message's attempt as it would alone; after a failure the next message
    opens a new one."""

    def __init__(self):
        self.backend = mailers.default
        self.opened = False

    def send(self, email: EmailMessage) -> int:
        if not self.opened:
            self.backend.open()
            self.opened = True
        try:
            return self.backend.send_messages([email])
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.opened:
            self.opened = False
            with contextlib.suppress(Exception):  # a connection that failed may not close cleanly: it is dropped
                self.backend.close()


def deliver(
    message_id: int, *, now: datetime.datetime | None = None, connection: Connection | None = None
) -> str | None:
    """Deliver one message if it is there to take, over ``connection`` when given (else one of its own); returns
    the state it ended in, None if not taken."""
    now = now or timezone.now()
    token = claim(message_id, now=now)
    if token is None:
        return None
    message = OutboxMessage.objects.select_related("content_type").get(pk=message_id)
    if message.attempts > setting("OUTBOX_MAX_ATTEMPTS"):
        # Only a row whose deliverers kept dying mid-send gets here: stop taking it again.
        error = "gave up: no deliverer finished sending it"
        _record(message, token, status=MessageStatus.FAILED, last_error=error)
        return MessageStatus.FAILED
    try:
        if not kinds.still_wanted(message):
            logger.info("Outgoing message %s (%s) cancelled: its record changed.", message.pk, message.kind)
            _record(message, token, status=MessageStatus.CANCELLED)
            return MessageStatus.CANCELLED
        if connection is None:
            with mailers.default as own:
                accepted = own.send_messages([as_email(message)])
        else:
            accepted = connection.send(as_email(message))
        if not accepted:
            raise RuntimeError("the mail backend accepted nothing")
    except SMTPRecipientsRefused as error:
        if refused_for_good(error):
            logger.warning("Outgoing message %s: the mail server refused %s.", message.pk, message.recipient)
            _record(message, token, status=MessageStatus.FAILED, last_error=_describe(error))
            return MessageStatus.FAILED
        return _failed_attempt(message, token, error, now)
    except Exception as error:  # any failure of the mail server, the backend or the check is retried
        return _failed_attempt(message, token, error, now)
    _record(message, token, status=MessageStatus.SENT, sent_at=timezone.now(), last_error="")
    return MessageStatus.SENT


def _failed_attempt(message: OutboxMessage, token: uuid.UUID, error: Exception, now: datetime.datetime) -> str:
    if message.attempts >= setting("OUTBOX_MAX_ATTEMPTS"):
        logger.error("Outgoing message %s failed after %d attempts: %s", message.pk, message.attempts, error)
        _record(message, token, status=MessageStatus.FAILED, last_error=_describe(error))
        return MessageStatus.FAILED
    logger.warning("Outgoing message %s: attempt %d failed, will try again: %s", message.pk, message.attempts, error)
    _record(
        message,
        token,
        status=MessageStatus.PENDING,
        next_attempt_at=now + retry_delay(message.attempts),
        last_error=_describe(error),
    )
    return MessageStatus.PENDING


def due_ids(*, now: datetime.datetime, limit: int) -> list[int]:
    return list(
        OutboxMessage.objects.filter(claimable(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def sweep(*, now: datetime.datetime | None = None, limit: int | None = None) -> Counter:
    """Deliver what is due (and what a dead deliverer left claimed); returns how many ended in each state.

    ``now`` is the moment the sweep acts as of (tests move it past a lease); by default each message is
    delivered as of the moment its turn comes.
    """
    limit = limit or setting("OUTBOX_SWEEP_BATCH")
    return deliver_batch(due_ids(now=now or timezone.now(), limit=limit), now=now)


def deliver_batch(message_ids, *, now: datetime.datetime | None = None) -> Counter:
    """Deliver these messages (each if it is there to take) over one connection to the mail server; returns how many
    ended in each state."""
    outcomes: Counter = Counter()
    connection = Connection()
    try:
        for message_id in message_ids:
            outcome = deliver(message_id, now=now, connection=connection)
            outcomes[outcome or "taken by another deliverer"] += 1
    finally:
        connection.close()
    return outcomes


def sweep_until_done(*, seconds: float | None = None) -> Counter:
    """Sweep batch after batch until nothing is due, or for at most ``seconds``; returns the outcomes.

    Stops early when a batch only put messages back to wait (the mail server is down: the next sweep tries
    again later) or when its time is up (the next sweep carries on).
    """
    batch = setting("OUTBOX_SWEEP_BATCH")
    deadline = time.monotonic() + seconds if seconds is not None else None
    totals: Counter = Counter()
    while True:
        outcomes = sweep(limit=batch)
        totals += outcomes
        if outcomes.total() < batch or not set(outcomes) & set(FINAL):
            return totals
        if deadline is not None and time.monotonic() > deadline:
            return totals


def backlog(*, now: datetime.datetime | None = None) -> dict:
    """How many messages wait, and for how long the oldest due one has been waiting (seconds)."""
    now = now or timezone.now()
    waiting = OutboxMessage.objects.filter(status__in=(MessageStatus.PENDING, MessageStatus.SENDING))
    due = OutboxMessage.objects.filter(claimable(now)).order_by("next_attempt_at")
    oldest = due.values_list("next_attempt_at", flat=True).first()
    return {
        "pending": waiting.count(),
        "oldest_due_seconds": max(int((now - oldest).total_seconds()), 0) if oldest else 0,
    }
