"""Background jobs of the shipments module. Tasks take ids and are safe to run twice or late."""

import datetime

from celery import shared_task

from programs.shipments import alerts


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@shared_task
def send_delay_alerts(today: str | None = None) -> int:
    """The daily run (Celery beat): claim every delay not alerted yet; the outbox delivers the emails."""
    return len(alerts.send_delay_alerts(today=_date(today)))
