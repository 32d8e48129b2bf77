"""Benchmark: the daily reminder run over 100,000 installments does work only for the reminders due.

It counts queries and rows, not only seconds: the run must find what is due with ONE query over an
indexed window of due dates, then spend a fixed handful of queries per reminder it sends — however
many installments the portfolio holds.

    .venv/bin/python benchmarks/reminders.py                  # a throwaway SQLite file in a temporary folder
    BENCHMARK_DATABASE_URL=postgres://postgres@127.0.0.1:5432/kerjasama_bench \\
        .venv/bin/python benchmarks/reminders.py              # a database you can throw away: migrated and filled

Options: ``--installments N`` (default 100000), ``--keep`` (keep the SQLite file and print its path).
Emails are not sent: the run writes its outbox rows, and what it would hand to delivery after commit is counted.
"""

import argparse
import datetime
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from unittest import mock

TODAY = datetime.date(2026, 9, 1)
PER_LOAN = 12


def configure(workdir: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["DATABASE_URL"] = os.environ.get("BENCHMARK_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["KERJASAMA_VAR_DIR"] = str(workdir)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_portfolio(installments: int, *, first_loan: int = 0, far_future: bool = False) -> None:
    """Loans of 12 monthly installments, first due dates spread over three years around TODAY.

    Every 20th loan is in arrears (nothing paid); the others have paid every installment due before TODAY.
    One loan in ten is not active (repaid, approved or written off). With ``far_future`` every schedule
    starts years ahead: rows that only make the table bigger.
    """
    from django.contrib.auth import get_user_model

    from cooperation.reference.models import Currency
    from partners.models import Contact, Organisation
    from programs.finance.models import Installment, Loan, LoanStatus
    from programs.models import Programme

    usd = Currency.objects.get(code="USD")
    officer, _ = get_user_model().objects.get_or_create(username="officer", defaults={"email": "officer@example.org"})
    borrower, created = Organisation.objects.get_or_create(
        name="Koperasi Benchmark", defaults={"kind": "22", "country_id": "ID"}
    )
    if created:
        Contact.objects.bulk_create(
            Contact(organisation=borrower, name=f"Contact {n}", email=f"c{n}@example.org", receives_reminders=True)
            for n in range(2)
        )
    programme, _ = Programme.objects.get_or_create(
        code="BENCH-001",
        defaults={"title": "Benchmark", "is_financial": True, "budget_currency": usd, "responsible_officer": officer},
    )
    loan_count = -(-installments // PER_LOAN)
    inactive = [LoanStatus.REPAID, LoanStatus.APPROVED, LoanStatus.WRITTEN_OFF]
    loans = []
    for number in range(first_loan, first_loan + loan_count):
        first_due = TODAY + datetime.timedelta(days=(number * 7) % 1095 - 730 + (3650 if far_future else 0))
        loans.append(
            Loan(
                reference=f"LN-BENCH-{number:07d}",
                programme=programme,
                borrower=borrower,
                principal=Decimal("12000"),
                currency=usd,
                annual_rate=Decimal("2"),
                frequency=12,
                installments=PER_LOAN,
                amortization="equal_principal",
                disbursement_date=first_due - datetime.timedelta(days=30),
                first_repayment_date=first_due,
                status=inactive[number % 3] if number % 10 == 9 else LoanStatus.DISBURSED,
                created_by=officer,
            )
        )
    Loan.objects.bulk_create(loans, batch_size=2000)
    loans = Loan.objects.filter(reference__in=[loan.reference for loan in loans]).order_by("reference")
    rows = []
    for index, loan in enumerate(loans.iterator(chunk_size=2000)):
        in_arrears = (first_loan + index) % 20 == 0
        for k in range(PER_LOAN):
            due = loan.first_repayment_date + datetime.timedelta(days=30 * k)
            paid = due < TODAY and not in_arrears
            rows.append(
                Installment(
                    loan=loan,
                    number=k + 1,
                    due_date=due,
                    principal_due=Decimal("1000"),
                    interest_due=Decimal("20"),
                    balance_after=Decimal(1000 * (PER_LOAN - k - 1)),
                    principal_paid=Decimal("1000") if paid else 0,
                    interest_paid=Decimal("20") if paid else 0,
                )
            )
    # The last loan may keep fewer than 12 installments, so the total is exactly what was asked.
    Installment.objects.bulk_create(rows[:installments], batch_size=5000)


def refresh_statistics() -> None:
    """Fresh planner statistics, as autovacuum (PostgreSQL) keeps them between two daily runs."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def expected_reminders(today: datetime.date) -> Counter:
    """What should go out, worked out the slow way: every installment looked at in Python."""
    from programs.finance.models import Installment, LoanStatus, ReminderLog
    from programs.finance.reminders import kinds_from, stage_kind

    logged = set(ReminderLog.objects.values_list("installment_id", "kind"))
    kinds = Counter()
    for installment in Installment.objects.select_related("loan").iterator(chunk_size=5000):
        if installment.loan.status != LoanStatus.DISBURSED or installment.is_paid:
            continue
        kind = stage_kind(installment.due_date, today)
        if kind and not any((installment.pk, later) in logged for later in kinds_from(kind)):
            kinds[kind] += 1
    return kinds


class QueryCounter:
    """Every statement the connection executes, by its first word (SELECT, INSERT, SAVEPOINT …)."""

    def __init__(self):
        self.statements: Counter = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.statements[sql.split(None, 1)[0].upper()] += 1
        return execute(sql, params, many, context)

    @property
    def total(self) -> int:
        return sum(self.statements.values())


def measure_find(today: datetime.date) -> tuple[int, int]:
    from django.db import connection

    from programs.finance.reminders import due_installments

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        rows = len(list(due_installments(today)))
    return rows, counter.total


def measure_run(today: datetime.date) -> dict:
    from django.db import connection

    from cooperation.outbox import services
    from cooperation.outbox.models import OutboxMessage
    from programs.finance.reminders import send_due_reminders

    refresh_statistics()
    counter = QueryCounter()
    written_before = OutboxMessage.objects.count()
    with (
        mock.patch.object(services, "hand_over") as hand_over,
        connection.execute_wrapper(counter),
    ):
        started = time.perf_counter()
        sent = send_due_reminders(today=today)
        seconds = time.perf_counter() - started
    return {
        "sent": Counter(reminder.log.kind for reminder in sent),
        "queries": counter.total,
        "statements": dict(counter.statements.most_common()),
        "outbox_rows": OutboxMessage.objects.count() - written_before,
        "handed_over": sum(len(call.args[0]) for call in hand_over.call_args_list),
        "seconds": seconds,
    }


def query_plan(today: datetime.date) -> str:
    from django.db import connection

    from programs.finance.reminders import in_the_window

    queryset = in_the_window(today)
    if connection.vendor == "postgresql":
        return queryset.explain()
    return "\n".join(line for line in queryset.explain().splitlines() if "finance_installment" in line)


def report(title: str, run: dict, expected: Counter) -> None:
    total = sum(run["sent"].values())
    print(
        f"{title}: {total:,} reminders sent {dict(sorted(run['sent'].items()))} (expected {sum(expected.values()):,})\n"
        f"    {run['queries']:,} queries {run['statements']}; "
        f"{run['outbox_rows']:,} outbox rows written, {run['handed_over']:,} handed to delivery after commit; "
        f"{run['seconds']:.2f}s"
    )
    assert run["sent"] == expected, (run["sent"], expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--installments", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="kerjasama-bench-"))
    configure(workdir)
    from django.db import connection

    from programs.finance.models import Installment
    from programs.finance.reminders import stages

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    build_portfolio(options.installments)
    refresh_statistics()
    total = Installment.objects.count()
    window = stages(TODAY)
    in_window = Installment.objects.filter(due_date__range=(window[-1].first_due, window[0].last_due)).count()
    print(f"built {total:,} installments in {time.perf_counter() - started:.1f}s; today {TODAY}")
    print(f"due dates in the reminder window {window[-1].first_due} … {window[0].last_due}: {in_window:,} installments")

    rows, queries = measure_find(TODAY)
    print(f"find: {queries} query, {rows:,} rows returned (the reminders due, nothing else)")
    print("plan:\n  " + query_plan(TODAY).replace("\n", "\n  "))

    expected = expected_reminders(TODAY)
    report(f"first run {TODAY} (everything in the window is new)", measure_run(TODAY), expected)
    report(f"run {TODAY} again", measure_run(TODAY), Counter())

    next_day = TODAY + datetime.timedelta(days=1)
    before_growth = measure_find(next_day)
    build_portfolio(options.installments, first_loan=10_000_000, far_future=True)
    grown = Installment.objects.count()
    refresh_statistics()
    after_growth = measure_find(next_day)
    print(
        f"find for {next_day}: {before_growth[0]:,} rows in {before_growth[1]} query with {total:,} installments; "
        f"{after_growth[0]:,} rows in {after_growth[1]} query after adding {grown - total:,} not due"
    )
    assert before_growth == after_growth
    expected = expected_reminders(next_day)
    report(f"daily run {next_day}", measure_run(next_day), expected)

    later = TODAY + datetime.timedelta(days=10)
    expected = expected_reminders(later)
    report(f"run {later} (eight days missed, caught up)", measure_run(later), expected)
    connection.close()
    if os.environ.get("BENCHMARK_DATABASE_URL"):
        print(f"database {connection.settings_dict['NAME']} kept: drop it when done")
    if options.keep:
        print(f"kept: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
