"""The outbox: rows written with the change, delivered after commit, retried with backoff, failed visibly,
sent again on request, cancelled when no longer wanted, and never sent twice by two deliverers at once."""

import datetime
import threading
from io import StringIO
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from cooperation import changes
from cooperation.outbox import delivery, kinds
from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.outbox.services import dedupe_key, enqueue, message, outbox_message_retry
from tests.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db


def outgoing(key="test.kind:1", to="ayu@ktm.example", **fields) -> OutboxMessage:
    values = {"kind": "test.kind", "key": key, "to": to, "subject": "Hello", "body": "Body", "language": "en"}
    return message(**(values | fields))


def later(**delta) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(**delta)


def use_mail_backend(settings, backend) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.{backend.__name__}"}}


class AlwaysDown(EmailBackend):
    def send_messages(self, messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingForGood(EmailBackend):
    def send_messages(self, messages):
        raise SMTPRecipientsRefused({messages[0].to[0]: (550, b"5.1.1 No such user")})


class RefusingForNow(EmailBackend):
    def send_messages(self, messages):
        raise SMTPRecipientsRefused({messages[0].to[0]: (450, b"4.2.0 Mailbox busy, try later")})


# --- writing ----------------------------------------------------------------------------------------------------------


def test_rows_are_written_with_the_change_and_handed_over_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        [written] = enqueue([outgoing()])
        assert mail.outbox == []
    row = OutboxMessage.objects.get(pk=written)
    assert (row.status, row.attempts, row.recipient) == (MessageStatus.PENDING, 0, "ayu@ktm.example")
    # After commit: the delivery (and the data's state moving on, as after any write: cooperation.changes).
    [deliver] = [callback for callback in callbacks if callback is not changes.moved]
    assert mail.outbox == []

    deliver()  # the delivery task (eager in tests) sends it

    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.SENT, 1)
    [email] = mail.outbox
    assert (email.to, email.subject, email.body) == (["ayu@ktm.example"], "Hello", "Body")
    assert email.extra_headers["Content-Language"] == "en"


def test_a_change_that_rolls_back_takes_its_messages_with_it(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue([outgoing()])
        raise RuntimeError("the change failed")
    assert callbacks == [] and not OutboxMessage.objects.exists() and mail.outbox == []


def test_the_same_promise_written_twice_is_one_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue([outgoing(key="test.kind:42:ayu")])
        second = enqueue([outgoing(key="test.kind:42:ayu", subject="Hello again")])
    assert first == second == [OutboxMessage.objects.get().pk]  # the second write found the first row waiting
    assert OutboxMessage.objects.count() == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Hello"


def test_a_key_too_long_for_its_column_stays_unique():
    long_address = "a" * 240 + "@example.org"
    one, other = dedupe_key("test.kind", 1, long_address), dedupe_key("test.kind", 2, long_address)
    assert len(one) <= 255 and len(other) <= 255 and one != other


# --- retries ----------------------------------------------------------------------------------------------------------


def test_failed_attempts_wait_about_one_two_four_minutes_up_to_an_hour(settings):
    settings.OUTBOX_RETRY_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    waits = [delivery.retry_delay(attempt).total_seconds() / 60 for attempt in range(1, 10)]
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_mail_server_that_is_down_is_retried_with_backoff_then_the_message_fails(settings):
    use_mail_backend(settings, AlwaysDown)
    settings.OUTBOX_MAX_ATTEMPTS = 4
    row = OutboxMessageFactory()
    moments = [timezone.now()]

    for attempt in range(1, 5):
        assert delivery.deliver(row.pk, now=moments[-1]) is not None
        row.refresh_from_db()
        assert row.attempts == attempt
        assert "Connection unexpectedly closed" in row.last_error
        if attempt < 4:
            assert row.status == MessageStatus.PENDING
            wait = row.next_attempt_at - moments[-1]
            assert wait == datetime.timedelta(minutes=2 ** (attempt - 1))
            assert delivery.deliver(row.pk, now=row.next_attempt_at - datetime.timedelta(seconds=1)) is None
            moments.append(row.next_attempt_at)
    assert row.status == MessageStatus.FAILED
    assert delivery.sweep(now=later(days=1)) == {}  # a failed message is left alone: nothing is sent by itself
    assert mail.outbox == []


def test_an_address_refused_for_good_fails_at_once(settings):
    use_mail_backend(settings, RefusingForGood)
    row = OutboxMessageFactory()
    assert delivery.deliver(row.pk) == MessageStatus.FAILED
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 1)
    assert "No such user" in row.last_error


def test_an_address_refused_for_now_is_tried_again(settings):
    use_mail_backend(settings, RefusingForNow)
    row = OutboxMessageFactory()
    assert delivery.deliver(row.pk) == MessageStatus.PENDING
    row.refresh_from_db()
    assert row.status == MessageStatus.PENDING and "Mailbox busy" in row.last_error


# --- sending again ----------------------------------------------------------------------------------------------------


def test_an_officer_sends_a_failed_message_again_and_it_goes(officer, django_capture_on_commit_callbacks):
    row = OutboxMessageFactory(status=MessageStatus.FAILED, attempts=10, last_error="SMTPServerDisconnected")
    with django_capture_on_commit_callbacks(execute=True):
        outbox_message_retry(message=row, user=officer)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.resent_by) == (MessageStatus.SENT, 1, officer)
    assert row.resent_at is not None and len(mail.outbox) == 1


def test_only_a_failed_message_can_be_sent_again(officer):
    for state in (MessageStatus.PENDING, MessageStatus.SENT, MessageStatus.CANCELLED):
        row = OutboxMessageFactory(status=state)
        with pytest.raises(ValidationError) as refused:
            outbox_message_retry(message=row, user=officer)
        assert refused.value.code == "not_failed"
        row.refresh_from_db()
        assert row.status == state


def test_auditors_and_partners_cannot_send_again(auditor, partner_user):
    row = OutboxMessageFactory(status=MessageStatus.FAILED)
    for user in (auditor, partner_user):
        with pytest.raises(PermissionDenied):
            outbox_message_retry(message=row, user=user)
    row.refresh_from_db()
    assert row.status == MessageStatus.FAILED


def test_a_secret_is_shown_to_nobody_and_not_kept_once_sent(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue([outgoing(body="Your link: https://k.example/reset/abc/", sensitive=True)])
    row = OutboxMessage.objects.get()
    assert row.status == MessageStatus.SENT and row.body == ""
    assert "reset/abc" in mail.outbox[0].body
    row.status = MessageStatus.FAILED
    row.save()
    with pytest.raises(ValidationError) as refused:
        outbox_message_retry(message=row, user=officer)
    assert refused.value.code == "not_kept"


# --- still wanted -----------------------------------------------------------------------------------------------------


@pytest.fixture
def unwanted_kind():
    kinds.register_kind("test.unwanted", label="Unwanted", still_wanted=lambda message: False)
    yield "test.unwanted"
    kinds._KINDS.pop("test.unwanted")


def test_a_message_its_module_no_longer_wants_is_cancelled_not_sent(unwanted_kind):
    row = OutboxMessageFactory(kind=unwanted_kind)
    assert delivery.deliver(row.pk) == MessageStatus.CANCELLED
    row.refresh_from_db()
    assert row.status == MessageStatus.CANCELLED and mail.outbox == []


# --- one claim wins ---------------------------------------------------------------------------------------------------


def test_a_row_is_claimed_once_and_a_dead_deliverers_claim_is_taken_over_when_its_lease_ends(settings):
    settings.OUTBOX_CLAIM_SECONDS = 300
    row = OutboxMessageFactory()
    now = timezone.now()
    first = delivery.claim(row.pk, now=now)  # then the deliverer dies: nothing is recorded
    assert first is not None
    assert delivery.claim(row.pk, now=now) is None
    assert delivery.sweep(now=later(seconds=299)) == {}  # still within the lease
    assert mail.outbox == []

    assert delivery.sweep(now=later(seconds=301)) == {MessageStatus.SENT: 1}
    row.refresh_from_db()
    assert (row.status, row.attempts, len(mail.outbox)) == (MessageStatus.SENT, 2, 1)
    # The dead deliverer's claim is void: whatever it would record now changes nothing.
    assert not delivery._record(row, first, status=MessageStatus.PENDING)
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT


class BlockingBackend(EmailBackend):
    """Holds every send until the test lets it go, so another deliverer can try the same row meanwhile."""

    sending = threading.Event()
    release = threading.Event()

    def send_messages(self, messages):
        BlockingBackend.sending.set()
        assert BlockingBackend.release.wait(timeout=30)
        return super().send_messages(messages)


def test_two_deliveries_of_one_row_at_the_same_time_send_it_once(transactional_db, settings):
    use_mail_backend(settings, BlockingBackend)
    BlockingBackend.sending.clear()
    BlockingBackend.release.clear()
    row = OutboxMessageFactory()
    outcomes = {}

    def deliver_in_a_worker():
        try:
            outcomes["worker"] = delivery.deliver(row.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=deliver_in_a_worker)
    worker.start()
    try:
        assert BlockingBackend.sending.wait(timeout=30), "the first deliverer never reached the mail server"
        # The task delivering it and the sweep, while the first deliverer is still talking to the mail server.
        outcomes["task"] = delivery.deliver(row.pk)
        outcomes["sweep"] = delivery.sweep()
    finally:
        BlockingBackend.release.set()
        worker.join(timeout=30)

    assert outcomes == {"worker": MessageStatus.SENT, "task": None, "sweep": {}}
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.SENT, 1)


# --- the sweep by hand, and what health says --------------------------------------------------------------------------


def test_the_command_delivers_everything_due(settings):
    settings.OUTBOX_SWEEP_BATCH = 2
    for _ in range(5):
        OutboxMessageFactory()
    OutboxMessageFactory(next_attempt_at=later(hours=1))  # waiting after a failed attempt: not due yet
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert "sent: 5" in out.getvalue()
    assert len(mail.outbox) == 5
    assert OutboxMessage.objects.filter(status=MessageStatus.PENDING).count() == 1


def test_the_command_stops_when_the_mail_server_is_down(settings):
    use_mail_backend(settings, AlwaysDown)
    settings.OUTBOX_RETRY_SECONDS = 0  # even with no wait between attempts, one pass only
    settings.OUTBOX_SWEEP_BATCH = 2
    for _ in range(2):
        OutboxMessageFactory()
    out = StringIO()
    call_command("send_outbox", stdout=out)
    assert "pending: 2" in out.getvalue()
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}


def test_health_shows_the_backlog_without_failing(client):
    OutboxMessageFactory(next_attempt_at=timezone.now() - datetime.timedelta(minutes=30))
    OutboxMessageFactory(next_attempt_at=later(minutes=5))
    OutboxMessageFactory(status=MessageStatus.SENT)
    response = client.get("/healthz")
    assert response.status_code == 200
    backlog = response.json()["outbox"]
    assert backlog["pending"] == 2
    assert 29 * 60 <= backlog["oldest_due_seconds"] <= 31 * 60


def test_the_sweep_runs_on_beat_every_few_minutes(settings):
    from config.celery import app

    app.finalize()
    entry = app.conf.beat_schedule["outbox-sweep"]
    assert entry["task"] == "cooperation.outbox.tasks.sweep_outbox"
    assert entry["schedule"] == settings.OUTBOX_SWEEP_SECONDS == 120


def test_the_beat_sweep_works_through_a_backlog_larger_than_a_batch(settings):
    from cooperation.outbox.tasks import sweep_outbox

    settings.OUTBOX_SWEEP_BATCH = 2
    for _ in range(5):
        OutboxMessageFactory()
    assert sweep_outbox() == {MessageStatus.SENT: 5}
    assert len(mail.outbox) == 5
