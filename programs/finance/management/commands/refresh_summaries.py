"""Recompute the loan summaries (``LoanFigures``, ``MonthFigures``) from the schedules and repayments.

The services keep them current on every change; this is for repairs, after data was written around the services
(an import, a fix in the database by hand). It replaces both tables in one transaction.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from programs.finance.summaries import rebuild


class Command(BaseCommand):
    help = "Recompute the loan summaries the dashboard and the overdue digest read, from scratch."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            loans, months = rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(f"Loan figures: {loans} loans; month figures: {months} rows ({elapsed:.1f} s).")
