"""Run the shipment delay alerts now (the same run as the daily task) and print what was sent."""

from cooperation.reminders import ReminderCommand
from programs.shipments.reminders import DelayAlerts


class Command(ReminderCommand):
    help = (
        "Send every shipment delay alert that is owed and not sent yet: one line per alert "
        "(waybill, expected arrival, recipients)."
    )
    reminders = DelayAlerts
    counted = "delay alert(s)"
