"""Recompute every programme's budget summary from its budget lines, expenditures and the modules' money flows.

The services and a task keep them current; this is for repairs, after data was written around the services (an
import, a fix in the database by hand, a change of the reporting currency's settings)."""

import time

from django.core.management.base import BaseCommand

from programs.budgets.summaries import rebuild


class Command(BaseCommand):
    help = "Recompute the budget summaries the dashboard reads, from scratch."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(f"Budget summaries: {count} programmes ({elapsed:.1f} s).")
