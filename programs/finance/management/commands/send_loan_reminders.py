"""Run the loan reminders now (the same run as the daily task) and print what was sent."""

from cooperation.reminders import ReminderCommand
from programs.finance.reminders import LoanReminders


class Command(ReminderCommand):
    help = (
        "Send every loan reminder that is due and not sent yet: one line per reminder "
        "(loan reference, installment number, kind, recipients)."
    )
    reminders = LoanReminders
