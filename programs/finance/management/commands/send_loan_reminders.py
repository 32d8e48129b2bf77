"""Run the loan reminders now (the same service as the daily task) and print what was sent."""

from django.core.management.base import BaseCommand

from cooperation.dates import command_date
from programs.finance.reminders import describe, send_due_reminders


class Command(BaseCommand):
    help = (
        "Send every loan reminder that is due and not sent yet: one line per reminder "
        "(loan reference, installment number, kind, recipients)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        reminders = send_due_reminders(today=command_date(today) if today else None)
        for reminder in reminders:
            self.stdout.write(describe(reminder))
        self.stdout.write(self.style.SUCCESS(f"{len(reminders)} reminder(s) sent."))
