"""Background jobs of the shipments module. Tasks take ids and are safe to run twice or late."""

from celery import shared_task

from programs.shipments.reminders import DelayAlerts


@shared_task
def send_delay_alerts(today: str | None = None) -> int:
    """The daily run (Celery beat): claim every delay not alerted yet; the outbox delivers the emails."""
    return DelayAlerts.task(today)
