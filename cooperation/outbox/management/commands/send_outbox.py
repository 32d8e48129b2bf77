"""Run the outbox sweep by hand: deliver every message that is pending and due, then say what happened."""

from django.core.management.base import BaseCommand

from cooperation.outbox import delivery


class Command(BaseCommand):
    help = (
        "Deliver every outgoing message that is pending and due (and any a stopped worker left claimed), "
        "batch after batch until none is left; print how many were sent, retried later, failed or cancelled."
    )

    def handle(self, *args, **options):
        totals = delivery.sweep_until_done()
        if not totals:
            self.stdout.write("No message was due.")
        for state, count in sorted(totals.items()):
            self.stdout.write(f"{state}: {count}")
