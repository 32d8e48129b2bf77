"""Run the expiry alerts of goods not yet received now (the same run as the daily task) and print what was sent."""

from cooperation.reminders import ReminderCommand
from programs.shipments.expiry import ExpiryAlerts


class Command(ReminderCommand):
    help = (
        "Alert the officer and the consignee of goods on the way (or arrived, not yet received) that expire soon or "
        "have expired: one line per alert (waybill, expiry date, recipients)."
    )
    reminders = ExpiryAlerts
    counted = "expiry alert(s)"
