"""Run the scholarship reminders now (the same service as the daily task) and print what was sent."""

from django.core.management.base import BaseCommand

from cooperation.dates import command_date
from programs.scholarships.reminders import describe, send_scholarship_reminders


class Command(BaseCommand):
    help = (
        "Send every scholarship reminder that is owed and not sent yet (progress reports due, stipend tranches "
        "due): one line per reminder (kind, scholar, due date, recipients)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=str, help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        reminders = send_scholarship_reminders(today=command_date(today) if today else None)
        for reminder in reminders:
            self.stdout.write(describe(reminder))
        self.stdout.write(self.style.SUCCESS(f"{len(reminders)} reminder(s) sent."))
