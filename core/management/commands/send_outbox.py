"""Run the outbox sweep by hand: deliver every message that is pending and due, then say what happened."""

from django.core.management.base import BaseCommand

from core.outbox import delivery
from core.outbox.models import MessageStatus

DONE = {MessageStatus.SENT, MessageStatus.FAILED, MessageStatus.CANCELLED}


class Command(BaseCommand):
    help = (
        "Deliver every outgoing message that is pending and due (and any a stopped worker left claimed), "
        "batch after batch until none is left; print how many were sent, retried later, failed or cancelled."
    )

    def handle(self, *args, **options):
        totals = {}
        batch = delivery.setting("OUTBOX_SWEEP_BATCH")
        while True:
            outcomes = delivery.sweep(limit=batch)
            for state, count in outcomes.items():
                totals[state] = totals.get(state, 0) + count
            # A short batch was the last; a batch that only put messages back to wait means the mail server
            # is down: the next sweep tries again later.
            if outcomes.total() < batch or not set(outcomes) & DONE:
                break
        if not totals:
            self.stdout.write("No message was due.")
            return
        for state, count in sorted(totals.items()):
            self.stdout.write(f"{state}: {count}")
