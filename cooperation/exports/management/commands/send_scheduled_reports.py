"""Send the scheduled reports that are due now (the same run as the hourly task) and print what was sent."""

from cooperation.dates import command_date
from cooperation.exports.scheduled import ScheduledReports
from cooperation.reminders import ReminderCommand


class Command(ReminderCommand):
    help = (
        "Send every scheduled report due in its current period and not sent yet: one line per report "
        "(view, list, period, recipient, rows)."
    )
    reminders = ScheduledReports
    counted = "scheduled report(s)"

    def add_arguments(self, parser):
        parser.add_argument("--date", type=str, help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        sent = self.reminders(command_date(date, "--date") if date else None).send()
        for report in sent:
            self.stdout.write(self.reminders.describe(report))
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} {self.counted} sent."))
