"""Background jobs of the finance module. Tasks take ids and are safe to run twice or late."""

import datetime
from smtplib import SMTPException

from celery import shared_task

from programs.finance import reminders

# A mail server that is down or refuses for a while: retry after ~1, 2, 4 … minutes, at most an hour apart.
MAIL_FAILURES = (SMTPException, OSError)
MAIL_RETRY = {
    "autoretry_for": MAIL_FAILURES,
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "retry_jitter": True,
    "max_retries": 10,
}


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


@shared_task
def send_loan_reminders(today: str | None = None) -> int:
    """The daily run (Celery beat): claim every reminder that is due and not sent yet; emails follow as tasks.

    It also hands back to the mail task any reminder claimed long ago whose email never went out.
    """
    reminders.requeue_stuck_reminders()
    return len(reminders.send_due_reminders(today=_date(today)))


@shared_task(**MAIL_RETRY)
def send_loan_reminder(log_id: int, today: str) -> list[str]:
    """Email one claimed reminder to the borrower's contacts (and the officer when overdue)."""
    return reminders.deliver_reminder(log_id=log_id, today=_date(today))


@shared_task(**MAIL_RETRY)
def send_overdue_digest(log_ids: list[int], today: str) -> list[str]:
    """Email the managers one digest of the overdue reminders a run claimed."""
    return reminders.deliver_overdue_digest(log_ids=log_ids, today=_date(today))
