"""Background jobs of the scholarships module. Tasks take ids and are safe to run twice or late."""

import datetime

from celery import shared_task

from programs.scholarships import reminders


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@shared_task
def send_scholarship_reminders(today: str | None = None) -> int:
    """The daily run (Celery beat): claim every reminder owed and not sent yet; the outbox delivers the emails."""
    return len(reminders.send_scholarship_reminders(today=_date(today)))
