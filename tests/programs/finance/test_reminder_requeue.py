"""A reminder whose email never left (the broker was down at commit) is sent by a later daily run."""

import datetime

import pytest
from django.utils import timezone

from programs.finance.models import ReminderKind, ReminderLog
from programs.finance.reminders import requeue_stuck_reminders

# The loan, its borrower's contacts and its officer are the reminder tests' own fixtures.
from tests.programs.finance.test_reminders import borrower, loan, responsible_officer  # noqa: F401

pytestmark = pytest.mark.django_db


def _claimed(loan, hours_ago: float, kind=ReminderKind.DUE_TODAY) -> ReminderLog:
    log = ReminderLog.objects.create(installment=loan.schedule.get(), kind=kind)
    ReminderLog.objects.filter(pk=log.pk).update(created_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    return log


def test_a_reminder_stuck_for_a_day_is_sent_once(loan, mailoutbox, django_capture_on_commit_callbacks):
    stuck = _claimed(loan, hours_ago=24)
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stuck_reminders() == [stuck.pk]
    stuck.refresh_from_db()
    assert stuck.sent_at is not None
    assert [m.to for m in mailoutbox] == [["ayu@ktm.example"]]

    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stuck_reminders() == []
    assert len(mailoutbox) == 1


def test_a_reminder_still_within_its_retries_is_left_alone(loan, mailoutbox, django_capture_on_commit_callbacks):
    _claimed(loan, hours_ago=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stuck_reminders() == []
    assert mailoutbox == []


def test_a_week_old_reminder_or_a_paid_installment_is_not_sent_late(
    loan, mailoutbox, django_capture_on_commit_callbacks
):
    _claimed(loan, hours_ago=24 * 8)
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stuck_reminders() == []
    installment = loan.schedule.get()
    installment.interest_paid, installment.principal_paid = installment.interest_due, installment.principal_due
    installment.save()
    _claimed(loan, hours_ago=24, kind=ReminderKind.OVERDUE_1)
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stuck_reminders() == []
    assert mailoutbox == []
