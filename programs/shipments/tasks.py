"""Background jobs of the shipments module. Tasks take ids and are safe to run twice or late."""

from celery import shared_task

from programs.shipments.expiry import ExpiryAlerts
from programs.shipments.reminders import DelayAlerts


@shared_task
def send_delay_alerts(today: str | None = None) -> int:
    """The daily run (Celery beat): claim every delay not alerted yet; the outbox delivers the emails."""
    return DelayAlerts.task(today)


@shared_task
def send_expiry_alerts(today: str | None = None) -> int:
    """The daily run (Celery beat): goods near their expiry date and not yet received, each date alerted once."""
    return ExpiryAlerts.task(today)
