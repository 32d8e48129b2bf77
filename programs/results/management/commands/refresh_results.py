"""Recompute how far every indicator has come (``IndicatorStanding``) from the frameworks, the periods and the
approved values.

The services keep it current on every change; this is for repairs, after data was written around the services
(an import, a fix in the database by hand). It replaces the whole table in one transaction.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from programs.results.summaries import rebuild


class Command(BaseCommand):
    help = "Recompute the indicators' progress the dashboard counts, from scratch."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            indicators = rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(f"Indicator standings: {indicators} indicators ({elapsed:.1f} s).")
