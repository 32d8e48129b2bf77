"""Background jobs of the programmes module. Tasks take ids and are safe to run twice."""

from celery import shared_task

from programs import emails


@shared_task
def send_programme_updates_digest() -> int:
    """Celery beat, daily: the managers' digest of the updates posted since the last one (outbox rows)."""
    return emails.send_programme_updates_digest()
