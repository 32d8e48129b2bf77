"""A reminder run killed with SIGKILL in the middle of sending loses nothing and doubles nothing.

The run is the real command in its own process, on the test's database, delivering (eagerly, as a worker
would) through a real SMTP server that takes the first emails and then hangs. The process is killed while
it waits; the outbox sweep, once the mail server answers again, delivers what is left: every reminder, every
officer's copy and the managers' digest of the day arrive exactly once.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from cooperation.outbox.delivery import sweep
from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.roles import Role
from programs.finance.models import Installment, LoanStatus, ReminderLog
from tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tests.mailserver import smtp_server
from tests.programs.finance.factories import FinancialProgrammeFactory, LoanFactory

TODAY = datetime.date(2026, 9, 1)
LOANS = 4
BASE_DIR = Path(django_settings.BASE_DIR)


def overdue_portfolio() -> None:
    """Four loans one day overdue, each borrower with one reminder contact; one officer, one manager."""
    officer = UserFactory(username="budi", role=Role.OFFICER, email="budi@kerjasama.example")
    UserFactory(username="sri", role=Role.MANAGER, email="sri@kerjasama.example")
    programme = FinancialProgrammeFactory(responsible_officer=officer)
    for number in range(1, LOANS + 1):
        borrower = OrganisationFactory(name=f"Koperasi {number}")
        ContactFactory(organisation=borrower, email=f"contact{number}@koperasi.example", receives_reminders=True)
        loan = LoanFactory(
            reference=f"LN-2026-{number:06d}",
            borrower=borrower,
            programme=programme,
            status=LoanStatus.DISBURSED,
            installments=1,
            disbursement_date=datetime.date(2026, 6, 1),
            first_repayment_date=datetime.date(2026, 8, 31),
        )
        Installment.objects.create(
            loan=loan,
            number=1,
            due_date=datetime.date(2026, 8, 31),
            principal_due=Decimal("500.00"),
            interest_due=Decimal("5.00"),
            balance_after=Decimal("0"),
        )


@contextmanager
def database_for_another_process(tmp_path):
    """The test database's URL for a subprocess. PostgreSQL's is shared as it is; SQLite's test database lives
    in this process's memory, so it is copied to a file for the subprocess and copied back when it is done."""
    params = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(params["USER"] or "") + (f":{quote(params['PASSWORD'])}" if params["PASSWORD"] else "")
        yield f"postgres://{credentials}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
        return
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    yield f"sqlite:///{path}"
    connection.close()
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        copy.backup(connection.connection)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def killed_mid_send(database_url: str, mailbox, tmp_path) -> None:
    """Run the reminder command in its own process; SIGKILL it while the mail server holds its 4th email."""
    run = subprocess.Popen(
        [sys.executable, "manage.py", "send_loan_reminders", "--today", TODAY.isoformat()],
        cwd=BASE_DIR,
        env=os.environ
        | {
            "DATABASE_URL": database_url,
            "KERJASAMA_VAR_DIR": str(tmp_path / "var"),
            "CELERY_TASK_ALWAYS_EAGER": "1",  # the run delivers as a worker would, in its own process
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mailbox.port),
            "EMAIL_USE_TLS": "0",
            "LOG_LEVEL": "WARNING",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: mailbox.stalled.is_set() or run.poll() is not None, 120, "the run to reach its 4th email")
        assert run.poll() is None, run.stdout.read().decode()
        run.send_signal(signal.SIGKILL)
        assert run.wait(timeout=30) == -signal.SIGKILL
    finally:
        if run.poll() is None:
            run.kill()
            run.wait(timeout=30)
        run.stdout.close()


def test_a_reminder_run_killed_mid_send_loses_nothing_and_doubles_nothing(reference_data_db, tmp_path, settings):
    overdue_portfolio()
    expected = Counter(
        [(f"contact{n}@koperasi.example",) for n in range(1, LOANS + 1)]  # each borrower's reminder
        + [("budi@kerjasama.example",)] * LOANS  # the officer's copy of each
        + [("sri@kerjasama.example",)]  # the managers' digest of the day
    )
    with smtp_server(accept=3) as mailbox:
        with database_for_another_process(tmp_path) as database_url:
            killed_mid_send(database_url, mailbox, tmp_path)
        assert len(mailbox.delivered) == 3

        # What the killed run had committed: every reminder claimed, with all its emails and the digest.
        assert ReminderLog.objects.count() == LOANS
        states = Counter(OutboxMessage.objects.values_list("status", flat=True))
        assert states == {MessageStatus.SENT: 3, MessageStatus.SENDING: 1, MessageStatus.PENDING: 5}

        mailbox.accept_everything()
        settings.MAILERS = mailbox.mailer
        lease_over = timezone.now() + datetime.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS + 1)
        assert sweep(now=lease_over) == {MessageStatus.SENT: 6}
        assert sweep(now=lease_over) == {}  # a second sweep finds nothing left

    delivered = Counter(message.to for message in mailbox.delivered)
    assert delivered == expected  # nothing missing, nothing twice
    [digest] = [message for message in mailbox.delivered if message.to == ("sri@kerjasama.example",)]
    assert f"{LOANS} loan installments newly overdue" in digest.subject
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
