"""Scale-out, shown: two web processes and two Celery workers against one PostgreSQL and one Redis.

    createdb -h 127.0.0.1 -U postgres kerjasama_scaleout
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kerjasama_scaleout .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kerjasama_scaleout .venv/bin/python manage.py load_demo
    .venv/bin/python benchmarks/scale_out.py --database-url postgres://postgres@127.0.0.1:5432/kerjasama_scaleout \\
        --broker redis://127.0.0.1:6379/14 --duration 30

What it does, against the database it is given (a throwaway one: the run sends the reminders of a day):

1. finds the day owed most loan reminders and, in this process inside a transaction that is rolled back, runs the
   reminder run once: the reminders and emails one process writes are what the two workers must write too;
2. starts two web processes (gunicorn) and two Celery workers on that database and the broker, and a mail server
   of its own on a loopback port that the workers deliver to over SMTP;
3. drives both web processes with the harness's load mode (signed-in clients, the dashboard, lists and APIs) and,
   while they are busy, hands the day's reminder run to the broker twice at once, so that both workers run it
   at the same moment;
4. waits for the outbox to deliver, and reports: requests and errors per web process, which worker ran what,
   the reminders logged and the emails written against the one-process run, any reminder logged twice, and any
   email delivered twice.

The exit status is 1 when anything differs: an error answer, a reminder or an email more or less than one
process writes, or one delivered twice.
"""

import argparse
import collections
import datetime
import email
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import configure  # noqa: E402  (the project's root on the path first)
from benchmarks.harness_browser import free_port, load, wait_for  # noqa: E402


class Mailbox:
    """An SMTP server on a loopback port: every message it accepts, as (recipients, subject, body)."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.delivered = []
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        body = message.get_payload(decode=True) if not message.is_multipart() else str(message.get_payload(0))
        with self._lock:
            self.delivered.append((tuple(sorted(envelope.rcpt_tos)), message["Subject"] or "", body))
        return "250 OK"

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()


def one_process_run(day: datetime.date) -> tuple[set, int]:
    """The reminders (installment, kind) and the number of emails one process writes for ``day``; rolled back."""
    from django.db import transaction

    from cooperation.outbox.models import OutboxMessage
    from programs.finance import reminders
    from programs.finance.models import ReminderLog

    with transaction.atomic():
        before_logs = set(ReminderLog.objects.values_list("pk", flat=True))
        before_mail = OutboxMessage.objects.count()
        reminders.send_due_reminders(today=day)
        logged = set(ReminderLog.objects.exclude(pk__in=before_logs).values_list("installment_id", "kind"))
        emails = OutboxMessage.objects.count() - before_mail
        transaction.set_rollback(True)
    return logged, emails


def start(command: list[str], environment: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603  (this project's own commands)
        command, env=environment, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a throwaway PostgreSQL database with the demo data")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--username", default="manager")
    parser.add_argument("--password", default=os.environ.get("BENCHMARK_PASSWORD", "kerjasama-demo"))
    options = parser.parse_args(argv)

    os.environ["CELERY_BROKER_URL"] = options.broker
    configure(options.database_url)
    from django.db import connection
    from django.utils import timezone

    from benchmarks.harness_entries.jobs import reminder_day
    from config.celery import app as celery_app
    from cooperation.outbox.models import MessageStatus, OutboxMessage
    from programs.finance.models import ReminderLog

    connection.ensure_connection()
    day = reminder_day(connection.connection.cursor())
    expected_logs, expected_emails = one_process_run(day)
    print(f"reminder day {day}: one process logs {len(expected_logs):,} reminders, writes {expected_emails:,} emails")
    celery_app.control.purge()

    logs = Path(tempfile.mkdtemp(prefix="kerjasama-scale-out-"))
    processes = []
    with Mailbox() as mailbox:
        environment = os.environ | {
            "DATABASE_URL": options.database_url,
            "CELERY_BROKER_URL": options.broker,
            "DEBUG": "0",
            "AXES_ENABLED": "0",
            "KERJASAMA_2FA_ENFORCED": "0",
            "LOG_LEVEL": "WARNING",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mailbox.port),
            "EMAIL_USE_TLS": "0",
        }
        ports = [free_port(), free_port()]
        try:
            for number, port in enumerate(ports, start=1):
                gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
                processes.append(start([*gunicorn, "--threads", "4"], environment, logs / f"web{number}.log"))
                worker = [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", "1"]
                worker += ["--prefetch-multiplier", "1", "-n", f"worker{number}@%h", "--without-gossip", "-l", "INFO"]
                processes.append(start(worker, environment, logs / f"worker{number}.log"))
            servers = [f"http://127.0.0.1:{port}" for port in ports]
            for server in servers:
                wait_for(f"{server}/healthz")
            waited = time.monotonic()
            while len(celery_app.control.ping(timeout=1.0) or []) < 2:
                if time.monotonic() - waited > 60:
                    raise SystemExit(f"the two workers did not answer within a minute (logs in {logs})")

            started = timezone.now()
            result = {}
            driving = threading.Thread(
                target=lambda: result.setdefault(
                    "load",
                    load(
                        servers,
                        duration=options.duration,
                        clients=options.clients,
                        username=options.username,
                        password=options.password,
                    ),
                )
            )
            driving.start()
            time.sleep(options.duration / 3)  # the servers are busy: now both workers run the day at once
            for _ in range(2):
                celery_app.send_task("programs.finance.tasks.send_loan_reminders", args=[day.isoformat()])
            driving.join()

            new_logs = ReminderLog.objects.filter(created_at__gte=started)
            emails = OutboxMessage.objects.filter(created_at__gte=started)
            waited = time.monotonic()
            while emails.exclude(status=MessageStatus.SENT).exists() or len(mailbox.delivered) < emails.count():
                if time.monotonic() - waited > 300:
                    break
                time.sleep(1)
            time.sleep(3)  # anything a second run or a second delivery would add comes now
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=60)

        report = result["load"]
        logged = list(new_logs.values_list("installment_id", "kind"))
        runs = collections.Counter(new_logs.values_list("run", flat=True))
        twice_logged = [key for key, count in collections.Counter(logged).items() if count > 1]
        twice_delivered = [key for key, count in collections.Counter(mailbox.delivered).items() if count > 1]
        written = emails.count()
        unsent = emails.exclude(status=MessageStatus.SENT).count()
        print(report.text())
        print(
            f"reminders: two workers logged {len(logged):,} in {len(runs)} run(s) "
            f"({', '.join(f'{count:,}' for count in runs.values()) or 'none'}); one process logs "
            f"{len(expected_logs):,}; the same reminders: {set(logged) == expected_logs}; logged twice: "
            f"{len(twice_logged)}"
        )
        print(
            f"emails: written {written:,} (one process writes {expected_emails:,}), delivered over SMTP "
            f"{len(mailbox.delivered):,}, not sent {unsent:,}, delivered twice: {len(twice_delivered)}"
        )
        task = "programs.finance.tasks.send_loan_reminders"
        received = {
            path.stem: sum(1 for line in path.read_text().splitlines() if task in line and "received" in line)
            for path in sorted(logs.glob("worker*.log"))
        }
        print("reminder runs received: " + ", ".join(f"{name} {count}" for name, count in received.items()))
        print(f"process logs: {logs}")
        same = set(logged) == expected_logs and written == expected_emails == len(mailbox.delivered)
        failed = report.errors or twice_logged or twice_delivered or unsent or not same
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
