"""Writing to the outbox, and sending a failed message again.

``enqueue`` is called inside the transaction of the change that causes the messages: the rows commit or
roll back with it. After commit each id is offered to a delivery task; a broker that is down is logged and
otherwise ignored (the sweep delivers what was not handed over), so no write ever waits on or fails for
the broker.
"""

import hashlib
import itertools
import logging
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.inserts import insert_new
from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.roles import Perm

logger = logging.getLogger(__name__)

KEY_LENGTH = OutboxMessage._meta.get_field("dedupe_key").max_length
SUBJECT_LENGTH = OutboxMessage._meta.get_field("subject").max_length
# Keys are looked up again after the insert; in slices, to stay far below SQLite's bound on query parameters.
LOOKUP_SLICE = 500
# Messages handed over together beyond this many go to the workers in batches of this many, a connection each.
DELIVERY_BATCH = 100


def dedupe_key(*parts) -> str:
    """A key from its parts ("finance.loan_reminder", 42, "ayu@…"); hashed at the end when too long for the column."""
    key = ":".join(str(part) for part in parts)
    if len(key) <= KEY_LENGTH:
        return key
    return f"{key[: KEY_LENGTH - 65]}:{hashlib.sha256(key.encode()).hexdigest()}"


def compose(*, template: str, context: dict, language: str, **fields) -> OutboxMessage:
    """An unsaved message rendered now, in ``language``, from ``<template>_subject.txt`` and ``<template>.txt``;
    ``fields`` are the rest of what ``message`` takes (``kind``, ``to``, ``key``, ``reply_to``, ``about``,
    ``sensitive``).

    Without ``key`` (and ``about``) it can be rendered before the record it is about exists: ``attach`` them
    then, before ``enqueue``."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return message(subject=subject, body=body, language=language, **fields)


def message(
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    language: str,
    key: str = "",
    reply_to: str = "",
    about: models.Model | None = None,
    sensitive: bool = False,
) -> OutboxMessage:
    """An unsaved message from text already rendered."""
    outgoing = OutboxMessage(
        kind=kind,
        recipient=to,
        reply_to=reply_to or "",
        subject=subject[:SUBJECT_LENGTH],
        body=body,
        language=language,
        sensitive=sensitive,
    )
    return attach(outgoing, key=key, about=about)


def attach(outgoing: OutboxMessage, *, key: str, about: models.Model | None = None) -> OutboxMessage:
    """Give an unsaved message its key and the record it is about."""
    from django.contrib.contenttypes.models import ContentType

    outgoing.dedupe_key = key if len(key) <= KEY_LENGTH else dedupe_key(key)
    outgoing.content_type = ContentType.objects.get_for_model(about) if about is not None else None
    outgoing.object_id = about.pk if about is not None else None
    return outgoing


# What ``enqueue`` checks of a message is what its caller gave it; these fields it sets itself, or leaves as every new
# message has them (the record it is about is checked by ``attach``, which finds its type).
SET_HERE = (
    *("content_type", "status", "attempts", "next_attempt_at", "created_at", "claimed_until", "claim_token"),
    *("last_error", "sent_at", "resent_by", "resent_at"),
)


def enqueue(messages: Iterable[OutboxMessage]) -> list[int]:
    """Write the messages in the current transaction; after commit, offer each to a delivery task.

    A message whose key is already in the outbox is not written twice. Returns the ids of the pending rows
    with these keys (new or not).
    """
    messages = [m for m in messages if m.recipient]
    if not messages:
        return []
    if any(not m.dedupe_key for m in messages):
        raise ValueError("Every outgoing message needs its key before it is written.")
    now = timezone.now()
    for outgoing in messages:
        outgoing.status = MessageStatus.PENDING
        outgoing.created_at = outgoing.next_attempt_at = now
        outgoing.full_clean(exclude=SET_HERE, validate_unique=False, validate_constraints=False)
    ids, written = [], set()
    for start in range(0, len(messages), LOOKUP_SLICE):
        for key, pk in insert_new(messages[start : start + LOOKUP_SLICE], ["dedupe_key", "pk"]):
            written.add(key)
            ids.append(pk)
    # A key already in the outbox: its row is offered again while it still waits.
    keys = [outgoing.dedupe_key for outgoing in messages if outgoing.dedupe_key not in written]
    for start in range(0, len(keys), LOOKUP_SLICE):
        ids += OutboxMessage.objects.filter(
            dedupe_key__in=keys[start : start + LOOKUP_SLICE], status=MessageStatus.PENDING
        ).values_list("pk", flat=True)
    ids.sort()
    if ids:
        transaction.on_commit(partial(hand_over, ids), robust=True)
    return ids


def hand_over(ids: list[int]) -> int:
    """Offer each message to a delivery task, trying the broker once; returns how many it took.

    Kombu would otherwise keep retrying a broker that refuses the connection for seconds (while a request
    waits); here one refused attempt leaves the messages to the sweep, with a warning in the log.
    """
    from cooperation.outbox.tasks import deliver_message

    app = deliver_message.app
    offers = _offers(ids)
    if app.conf.task_always_eager:  # run inline (tests, or a deployment without a worker): no broker involved
        for task, args, _count in offers:
            task.apply_async(args)
        return len(ids)
    handed = 0
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
            producer = connection.Producer()
            for task, args, count in offers:
                task.apply_async(args, retry=False, producer=producer)
                handed += count
    except Exception as error:  # kombu and each transport raise their own errors for a broker that is away
        logger.warning(
            "The task broker did not take %d outgoing message(s); the outbox sweep will send them. (%s: %s)",
            len(ids) - handed,
            type(error).__name__,
            error,
        )
    return handed


def _offers(ids: list[int]) -> list[tuple]:
    """(task, its arguments, how many messages) for each task offered: a few messages each on their own task (sent
    at once, side by side on the workers); many at once (a daily run's) in batches, each sent over one connection
    to the mail server."""
    from cooperation.outbox.tasks import deliver_message, deliver_messages

    if len(ids) <= DELIVERY_BATCH:
        return [(deliver_message, (message_id,), 1) for message_id in ids]
    return [(deliver_messages, (list(batch),), len(batch)) for batch in itertools.batched(ids, DELIVERY_BATCH)]


def outbox_message_retry(*, message: OutboxMessage, user) -> OutboxMessage:
    """Send a failed message again: it waits as pending with its attempts counted from zero."""
    require_perm(user, Perm.RESEND_MESSAGE)
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status != MessageStatus.FAILED:
            raise ValidationError(
                _("Only a message that failed can be sent again; this one is “%(state)s”."),
                code="not_failed",
                params={"state": locked.get_status_display()},
            )
        if locked.sensitive:
            raise ValidationError(
                _("This message carried a secret that is not kept: its recipient must ask for a new one."),
                code="not_kept",
            )
        now = timezone.now()
        locked.status = MessageStatus.PENDING
        locked.attempts = 0
        locked.next_attempt_at = now
        locked.claimed_until = None
        locked.claim_token = None
        locked.resent_by = user
        locked.resent_at = now
        locked.save(
            update_fields=[
                "status",
                "attempts",
                "next_attempt_at",
                "claimed_until",
                "claim_token",
                "resent_by",
                "resent_at",
            ]
        )
        logger.info("Outgoing message %s to %s sent again by %s.", locked.pk, locked.recipient, user)
        transaction.on_commit(partial(hand_over, [locked.pk]), robust=True)
    return locked


def amend_pending(replacement: OutboxMessage) -> bool:
    """Rewrite the row with ``replacement``'s key while it still waits to be sent; False when there is no such
    row (none yet, or it is being sent or done with). Delivery reads the row when it claims it, so what a
    deliverer sends is the amended text or, if it claimed first, nothing of the amendment."""
    return bool(
        OutboxMessage.objects.filter(dedupe_key=replacement.dedupe_key, status=MessageStatus.PENDING).update(
            subject=replacement.subject,
            body=replacement.body,
            reply_to=replacement.reply_to,
            language=replacement.language,
        )
    )
