"""Background jobs of the scholarships module. Tasks take ids and are safe to run twice or late."""

import datetime
from smtplib import SMTPException

from celery import shared_task

from programs.scholarships import reminders

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
def send_scholarship_reminders(today: str | None = None) -> int:
    """The daily run (Celery beat): claim every reminder owed and not sent yet; the emails follow as tasks."""
    return len(reminders.send_scholarship_reminders(today=_date(today)))


@shared_task(**MAIL_RETRY)
def send_scholarship_reminder(log_id: int, today: str) -> list[str]:
    """Email one claimed reminder: report due to the host's contacts, tranche due to the responsible officer."""
    return reminders.deliver_reminder(log_id=log_id, today=_date(today))
