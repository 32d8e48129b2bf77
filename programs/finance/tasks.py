"""Background jobs of the finance module. Tasks take ids and are safe to run twice or late."""

import datetime

from celery import shared_task

from programs.finance import reminders


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@shared_task
def send_loan_reminders(today: str | None = None) -> int:
    """The daily run (Celery beat): claim every reminder that is due and not sent yet; the outbox delivers them."""
    return len(reminders.send_due_reminders(today=_date(today)))
