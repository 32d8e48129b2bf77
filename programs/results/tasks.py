"""Background jobs of the results module. Tasks take ids and are safe to run twice or late."""

from celery import shared_task

from programs.results.reminders import ResultsReminders


@shared_task
def send_results_reminders(today: str | None = None) -> int:
    """The daily run (Celery beat): write every report reminder owed and not sent yet; the outbox delivers them."""
    return ResultsReminders.task(today)
