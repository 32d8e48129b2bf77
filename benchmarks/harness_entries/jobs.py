"""The loan list's export and the daily reminder run against their set-based floors."""

# The statements are put together from table names (the models' metadata) and this file's own SQL; every value
# goes in as a parameter.
# ruff: noqa: S608

import datetime
import uuid
from collections.abc import Callable

from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from benchmarks.harness_entries.common import (
    Context,
    Entry,
    fetch,
    insert,
    table,
)


def export_entry(ctx: Context) -> Entry:
    """The loan list as CSV, written in the request whatever its size (the background export is another path)."""
    url = "/exports/finance.loans.csv"

    def app() -> int:
        with override_settings(EXPORT_BACKGROUND_ROWS=10**9):
            return ctx.get(url)

    def floor(cursor) -> int:
        rows = fetch(
            cursor,
            f"SELECT l.*, b.name, p.code FROM {table('finance.Loan')} l "
            f"JOIN {table('partners.Organisation')} b ON b.id = l.borrower_id "
            f"JOIN {table('programs.Programme')} p ON p.id = l.programme_id ORDER BY l.created_at DESC",
        )
        return len(rows)

    return Entry("loan list export (CSV)", "export", app, floor, url)


def reminder_floor(today: datetime.date) -> Callable:
    """The set-based reminder run by hand: ONE anti-join select of the installments owed a reminder today (each
    stage's window of due dates without a log of its kind or a later one), then the bulk inserts of the log rows,
    the portal notifications and the outbox rows (one per contact)."""
    from cooperation.outbox.models import OutboxMessage
    from programs.finance import reminders

    def run(cursor) -> int:
        current = reminders.stages(today)
        logs, installments = table("finance.ReminderLog"), table("finance.Installment")
        windows, params = [], []
        for stage in current:
            later = reminders.kinds_from(stage.kind)
            windows.append(
                f"(i.due_date BETWEEN %s AND %s AND NOT EXISTS (SELECT 1 FROM {logs} r WHERE r.installment_id = i.id "
                f"AND r.kind IN ({', '.join(['%s'] * len(later))})))"
            )
            params += [stage.first_due, stage.last_due, *later]
        due = fetch(
            cursor,
            f"SELECT i.id, i.due_date, i.loan_id, l.borrower_id, l.reference FROM {installments} i "
            f"JOIN {table('finance.Loan')} l ON l.id = i.loan_id "
            f"WHERE i.due_date BETWEEN %s AND %s AND l.status = 'disbursed' "
            f"AND (i.principal_paid < i.principal_due OR i.interest_paid < i.interest_due) "
            f"AND ({' OR '.join(windows)})",
            [current[-1].first_due, current[0].last_due, *params],
        )
        if not due:
            return 0
        now, run_id = timezone.now(), uuid.uuid4().hex if connection.vendor == "sqlite" else uuid.uuid4()
        kinds = {row[0]: reminders.stage_kind(row[1], today, current) for row in due}
        insert(
            cursor,
            f"INSERT INTO {logs} (installment_id, kind, created_at, run, run_on) VALUES (%s, %s, %s, %s, %s)",
            [(row[0], kinds[row[0]], now, run_id, today) for row in due],
        )
        borrowers = sorted({row[3] for row in due})
        contacts = fetch(
            cursor,
            f"SELECT organisation_id, email FROM {table('partners.Contact')} WHERE receives_reminders "
            f"AND is_active AND email <> '' AND organisation_id IN ({', '.join(['%s'] * len(borrowers))})",
            borrowers,
        )
        insert(
            cursor,
            f"INSERT INTO {table('partners.Notification')} (organisation_id, title, body, link, created_at) "
            f"VALUES (%s, %s, %s, %s, %s)",
            [(row[3], f"Reminder {row[4]}", "", "", now) for row in due],
        )
        by_borrower: dict = {}
        for organisation, email in contacts:
            by_borrower.setdefault(organisation, []).append(email)
        outbox = [
            (f"floor:{row[0]}:{kinds[row[0]]}:{email}:{run_id}", email, f"Reminder {row[4]}", "", now)
            for row in due
            for email in by_borrower.get(row[3], [])
        ]
        insert(
            cursor,
            f"INSERT INTO {OutboxMessage._meta.db_table} (kind, dedupe_key, recipient, reply_to, subject, body, "
            f"language, sensitive, status, attempts, next_attempt_at, last_error, created_at) "
            f"VALUES ('floor', %s, %s, '', %s, %s, 'en', FALSE, 'pending', 0, %s, '', %s)",
            [(key, email, subject, body, when, when) for key, email, subject, body, when in outbox],
        )
        return len(due)

    return run


def reminder_entry(today: datetime.date) -> Entry:
    from programs.finance.reminders import send_due_reminders

    def app() -> int:
        return len(send_due_reminders(today=today))

    return Entry(
        f"loan reminders run ({today.isoformat()})",
        "job",
        app,
        reminder_floor(today),
        note="rolled back after each round",
        rolled_back=True,
    )


def rolled_back(function: Callable, *args):
    """``function(*args)`` in a transaction (a savepoint inside one) that is rolled back whatever it wrote."""
    result = None
    with transaction.atomic():
        result = function(*args)
        transaction.set_rollback(True)
    return result


# The tables a rolled-back reminder round writes to: each round leaves its rows behind as dead ones.
REMINDER_TABLES = ("finance.ReminderLog", "core.OutboxMessage")


def tidy_rolled_back_rounds(cursor) -> None:
    """Clear what earlier rolled-back reminder rounds left dead in their tables and read their statistics again,
    as autovacuum does on a database that has it on (PostgreSQL only): otherwise a page reading those tables (a
    loan's reminders and their emails) scans the dead rows of every harness run before it. Not inside a
    transaction (a test's), where VACUUM cannot run and nothing it rolls back outlives it anyway."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    for label in REMINDER_TABLES:
        cursor.execute(f"VACUUM (ANALYZE) {table(label)}")


def reminder_day(cursor) -> datetime.date:
    """A day with reminders to send: today, unless today has none, then the due date owed most reminders."""
    from programs.finance import reminders

    today = datetime.date.today()
    with transaction.atomic():
        count = len(reminders.due_installments(today))
        transaction.set_rollback(True)
    if count:
        return today
    row = fetch(
        cursor,
        f"SELECT i.due_date FROM {table('finance.Installment')} i JOIN {table('finance.Loan')} l ON l.id = i.loan_id "
        f"WHERE l.status = 'disbursed' AND i.principal_paid < i.principal_due GROUP BY i.due_date "
        f"ORDER BY count(*) DESC LIMIT 1",
    )
    return (row[0][0] + datetime.timedelta(days=1)) if row else today
