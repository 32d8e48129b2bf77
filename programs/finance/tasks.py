"""Background jobs of the finance module. Tasks take ids and are safe to run twice or late."""

from celery import shared_task

from programs.finance.reminders import LoanReminders


@shared_task
def send_loan_reminders(today: str | None = None) -> int:
    """The daily run (Celery beat): claim every reminder that is due and not sent yet; the outbox delivers them."""
    return LoanReminders.task(today)
