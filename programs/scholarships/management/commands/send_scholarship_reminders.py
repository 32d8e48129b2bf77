"""Run the scholarship reminders now (the same run as the daily task) and print what was sent."""

from cooperation.reminders import ReminderCommand
from programs.scholarships.reminders import ScholarshipReminders


class Command(ReminderCommand):
    help = (
        "Send every scholarship reminder that is owed and not sent yet (progress reports due, stipend tranches "
        "due): one line per reminder (kind, scholar, due date, recipients)."
    )
    reminders = ScholarshipReminders
