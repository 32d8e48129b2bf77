"""Background jobs of the shipments module. Tasks take ids and are safe to run twice or late."""

import datetime
from smtplib import SMTPException

from celery import shared_task

from programs.shipments import alerts

# A mail server that is down or refuses for a while: retry after ~1, 2, 4 … minutes, at most an hour apart.
MAIL_RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 10,
}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@shared_task
def send_delay_alerts(today: str | None = None) -> int:
    """The daily run (Celery beat): claim every delay not alerted yet; the emails follow as tasks."""
    return len(alerts.send_delay_alerts(today=_date(today)))


@shared_task(**MAIL_RETRY)
def send_delay_alert(log_id: int, today: str) -> list[str]:
    """Email one claimed delay alert to the programme's responsible officer."""
    return alerts.deliver_delay_alert(log_id=log_id, today=_date(today))


@shared_task(**MAIL_RETRY)
def notify_consignee_of_dispatch(shipment_id: int) -> list[str]:
    """Email the consignee's contacts that their shipment left, with its waybill and expected arrival."""
    return alerts.deliver_dispatch_notice(shipment_id=shipment_id)
