"""Many messages at once (a daily run's) go out in batches, each over one connection to the mail server; a server
that fails mid-batch costs only the attempts of the messages it failed."""

from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction

from cooperation.outbox import delivery
from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.outbox.services import DELIVERY_BATCH, enqueue, message

pytestmark = pytest.mark.django_db

OPENED: list[str] = []


class CountingConnections(EmailBackend):
    def open(self):
        OPENED.append("open")
        return super().open()


class FailingOnce(CountingConnections):
    failed = False

    def send_messages(self, messages):
        if not FailingOnce.failed and messages[0].to == ["third@example.org"]:
            FailingOnce.failed = True
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def use(settings, backend) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.{backend.__name__}"}}
    OPENED.clear()


def outgoing(number: int, to: str | None = None):
    return message(
        kind="test.kind",
        key=f"test.kind:{number}",
        to=to or f"person{number}@example.org",
        subject=f"Hello {number}",
        body="Body",
        language="en",
    )


def test_a_run_of_many_messages_goes_out_a_batch_per_connection(settings, django_capture_on_commit_callbacks):
    use(settings, CountingConnections)
    count = 2 * DELIVERY_BATCH + 1

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue([outgoing(number) for number in range(count)])

    assert len(mail.outbox) == count
    assert OutboxMessage.objects.filter(status=MessageStatus.SENT).count() == count
    assert len(OPENED) == 3  # three batches, one connection each


def test_a_few_messages_go_out_each_on_its_own(settings, django_capture_on_commit_callbacks):
    use(settings, CountingConnections)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue([outgoing(number) for number in range(3)])

    assert len(mail.outbox) == 3
    assert len(OPENED) == 3


def test_a_connection_lost_mid_batch_fails_one_attempt_and_the_rest_go_out(settings):
    use(settings, FailingOnce)
    FailingOnce.failed = False
    ids = enqueue([outgoing(1), outgoing(2), outgoing(3, to="third@example.org"), outgoing(4), outgoing(5)])

    outcomes = delivery.deliver_batch(ids)

    assert outcomes == {MessageStatus.SENT: 4, MessageStatus.PENDING: 1}
    waiting = OutboxMessage.objects.get(status=MessageStatus.PENDING)
    assert waiting.recipient == "third@example.org" and waiting.attempts == 1
    assert "Connection unexpectedly closed" in waiting.last_error
    assert len(OPENED) == 2  # the batch's connection, and a new one after the failure
    assert sorted(email.to[0] for email in mail.outbox) == [f"person{number}@example.org" for number in (1, 2, 4, 5)]
