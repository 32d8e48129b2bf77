"""Run the results report reminders now (the same run as the daily task) and print what was sent."""

from cooperation.reminders import ReminderCommand
from programs.results.reminders import ResultsReminders


class Command(ReminderCommand):
    help = (
        "Send every results report reminder that is owed and not sent yet (due soon, due today, overdue, escalated "
        "to the managers): one line per reminder (kind, programme, period, partner, recipients)."
    )
    reminders = ResultsReminders
