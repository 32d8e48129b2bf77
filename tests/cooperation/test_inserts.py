"""``insert_new`` writes a batch of rows as the ORM would write them one by one: text, whole numbers, true or false
and nothing as they are, anything else (a date, a time, a decimal, a lazy or safe text) prepared by its field."""

import datetime
import uuid

import pytest
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from cooperation.inserts import insert_new
from cooperation.outbox.models import OutboxMessage
from programs.finance.models import Installment, ReminderLog
from tests.programs.finance.factories import disbursed_loan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data_db")]

COMPARED = ("kind", "recipient", "reply_to", "subject", "body", "language", "sensitive", "status")


def outgoing(key: str, **fields) -> OutboxMessage:
    moment = timezone.now()
    values = {
        "kind": "notice",
        "dedupe_key": key,
        "recipient": "ana@example.org",
        "subject": "Hello",
        "body": "Body",
        "language": "id",
        "created_at": moment,
        "next_attempt_at": moment,
    }
    return OutboxMessage(**(values | fields))


def test_a_batch_reads_back_as_the_same_rows_saved_one_by_one():
    odd = {"subject": gettext_lazy("Programmes"), "body": mark_safe("<b>five</b> & six"), "sensitive": True}
    saved = outgoing("saved", **odd)
    saved.save()
    [(key, pk)] = insert_new([outgoing("batched", **odd)], ["dedupe_key", "pk"])
    batched = OutboxMessage.objects.get(pk=pk)
    saved.refresh_from_db()
    assert key == "batched"
    assert [getattr(batched, name) for name in COMPARED] == [getattr(saved, name) for name in COMPARED]
    assert (batched.subject, batched.body, batched.sensitive) == ("Programmes", "<b>five</b> & six", True)
    assert batched.created_at == batched.next_attempt_at and batched.created_at.tzinfo is not None
    assert (batched.claim_token, batched.sent_at, batched.object_id) == (None, None, None)


def test_dates_uuids_and_foreign_keys_are_written_as_their_fields_write_them():
    installment = Installment.objects.filter(loan=disbursed_loan()).order_by("number").first()
    run = uuid.uuid4()
    rows = insert_new(
        [ReminderLog(installment=installment, kind="due_today", run=run, run_on=datetime.date(2026, 3, 1))],
        ["installment_id", "run", "run_on"],
    )
    assert rows == [(installment.pk, run, datetime.date(2026, 3, 1))]
    log = ReminderLog.objects.get(installment=installment)
    assert (log.run, log.run_on, log.kind) == (run, datetime.date(2026, 3, 1), "due_today")


def test_a_row_whose_key_is_taken_is_skipped():
    outgoing("taken").save()
    assert [key for key, _pk in insert_new([outgoing("taken"), outgoing("free")], ["dedupe_key", "pk"])] == ["free"]
    assert OutboxMessage.objects.filter(dedupe_key__in=["taken", "free"]).count() == 2
