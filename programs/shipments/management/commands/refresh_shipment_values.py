"""Recompute every shipment's value per currency (``ShipmentValue``) from its items and receipt lines.

The services keep the values current on every change; this is for repairs, after data was written around the
services (an import, a fix in the database by hand). It replaces the whole table in one transaction.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from programs.shipments.values import rebuild


class Command(BaseCommand):
    help = "Recompute the shipment values the managers' dashboard reads, from the items and receipt lines."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            rows = rebuild()
        elapsed = time.monotonic() - started
        self.stdout.write(f"Shipment values: {rows} rows ({elapsed:.1f} s).")
