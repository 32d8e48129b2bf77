"""Send the alumni outcome invitations owed now (the same run as the daily task) and print what was sent."""

from cooperation.reminders import ReminderCommand
from programs.scholarships.alumni import AlumniInvitations


class Command(ReminderCommand):
    help = (
        "Ask alumni (and their host institution) for their outcome one, three and five years after completion: "
        "one line per invitation (scholar, milestone, due date, recipients)."
    )
    reminders = AlumniInvitations
    counted = "alumni invitation(s)"
