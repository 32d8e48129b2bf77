"""Reminders with real transactions: concurrent runs, and the daily job through a real Celery worker."""

import datetime
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection

from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.roles import Role
from partners.models import Notification
from programs.finance import reminders
from programs.finance.models import Installment, LoanStatus, ReminderLog
from tests.cooperation.test_celery import wait_until, worker  # noqa: F401 - the worker fixture
from tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tests.programs.finance.factories import FinancialProgrammeFactory, LoanFactory

TODAY = datetime.date(2026, 9, 1)
DELIVER = "cooperation.outbox.tasks.deliver_message"


def overdue_loans(count: int, *, officer) -> list:
    """``count`` disbursed loans, each with one installment exactly 7 days overdue on TODAY."""
    borrower = OrganisationFactory(name="Koperasi Nelayan Sejahtera")
    ContactFactory(organisation=borrower, name="Wayan", email="wayan@kns.example", receives_reminders=True)
    programme = FinancialProgrammeFactory(responsible_officer=officer)
    loans = []
    for number in range(count):
        loan = LoanFactory(
            reference=f"LN-2026-{number + 1:06d}",
            borrower=borrower,
            programme=programme,
            status=LoanStatus.DISBURSED,
            installments=1,
            disbursement_date=datetime.date(2026, 6, 1),
            first_repayment_date=datetime.date(2026, 8, 25),
        )
        Installment.objects.create(
            loan=loan,
            number=1,
            due_date=datetime.date(2026, 8, 25),
            principal_due=Decimal("500.00"),
            interest_due=Decimal("5.00"),
            balance_after=Decimal("0"),
        )
        loans.append(loan)
    return loans


def test_two_concurrent_runs_send_each_reminder_once(reference_data_db, monkeypatch):
    officer = UserFactory(username="budi", role=Role.OFFICER, email="budi@kerjasama.example")
    UserFactory(username="sri", role=Role.MANAGER, email="sri@kerjasama.example")
    loans = overdue_loans(12, officer=officer)
    mail.outbox = []

    # Both runs find the same twelve reminders before either claims one: only the unique log decides.
    both_found = threading.Barrier(2, timeout=30)
    first_done = threading.Event()
    # The SQLite test database is in memory, one writer at a time, and answers "table is locked" to a
    # second writer instead of waiting: there the second run claims once the first is done. PostgreSQL
    # runs both claims at the same time (the second INSERT waits for the first run's commit, then fails).
    one_writer_at_a_time = connection.vendor == "sqlite"
    find = reminders.due_installments
    slot_of_thread = threading.local()

    def find_then_wait(today, current):
        found = list(find(today, current))
        both_found.wait()
        if one_writer_at_a_time and slot_of_thread.slot == 1:
            first_done.wait(timeout=30)
        return found

    monkeypatch.setattr(reminders, "due_installments", find_then_wait)
    claimed: list[list] = [[], []]
    errors: list[BaseException] = []

    def run(slot: int) -> None:
        slot_of_thread.slot = slot
        try:
            claimed[slot] = reminders.send_due_reminders(today=TODAY)
        except BaseException as error:  # reported below: an exception in a thread would go unseen
            errors.append(error)
        finally:
            first_done.set()
            connection.close()

    threads = [threading.Thread(target=run, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    references = Counter(r.log.installment.loan.reference for r in claimed[0] + claimed[1])
    assert references == Counter({loan.reference: 1 for loan in loans})
    assert ReminderLog.objects.count() == 12
    assert OutboxMessage.objects.filter(kind="finance.loan_reminder", status=MessageStatus.SENT).count() == 12
    assert Notification.objects.count() == 12
    to_contact = Counter(m.subject for m in mail.outbox if m.to == ["wayan@kns.example"])
    assert len(to_contact) == 12 and set(to_contact.values()) == {1}
    assert len([m for m in mail.outbox if m.to == ["budi@kerjasama.example"]]) == 12
    digested = " ".join(m.body for m in mail.outbox if m.to == ["sri@kerjasama.example"])
    assert all(digested.count(loan.reference) == 1 for loan in loans)  # each overdue loan in one digest


@pytest.mark.integration
def test_the_daily_job_reaches_the_borrower_through_a_real_worker(worker, mailoutbox):  # noqa: F811
    from programs.finance.tasks import send_loan_reminders

    officer = UserFactory(username="budi", role=Role.OFFICER, email="budi@kerjasama.example")
    [loan] = overdue_loans(1, officer=officer)

    send_loan_reminders.delay(TODAY.isoformat())  # what Celery beat sends every morning

    wait_until(
        lambda: worker.finished.count(DELIVER) == 2,  # the borrower's contact and the officer's copy
        message="the worker did not deliver the reminder",
    )
    assert "programs.finance.tasks.send_loan_reminders" in worker.received  # through the broker, not inline
    assert worker.received.count(DELIVER) == 2
    [email] = [m for m in mailoutbox if m.to == ["wayan@kns.example"]]
    assert loan.reference in email.subject and "7 days overdue" in email.subject
    log = ReminderLog.objects.get()
    sent = OutboxMessage.objects.filter(object_id=log.pk, status=MessageStatus.SENT)
    assert sorted(sent.values_list("recipient", flat=True)) == ["budi@kerjasama.example", "wayan@kns.example"]
