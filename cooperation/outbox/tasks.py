"""Delivery tasks. They take ids, and any number of them may run at once or late: the claim decides."""

from celery import shared_task
from django.conf import settings

from cooperation.outbox import delivery


@shared_task
def deliver_message(message_id: int) -> str | None:
    """Deliver one outbox row, handed over after the commit that wrote it."""
    return delivery.deliver(message_id)


@shared_task
def deliver_messages(message_ids: list[int]) -> dict:
    """Deliver outbox rows handed over together (a daily run's), over one connection to the mail server."""
    return dict(delivery.deliver_batch(message_ids))


@shared_task
def sweep_outbox() -> dict:
    """Celery beat, every OUTBOX_SWEEP_SECONDS: deliver whatever is pending and due, and what a dead worker left.

    It stops after half the interval at most, so that sweeps do not pile up behind a long backlog.
    """
    seconds = getattr(settings, "OUTBOX_SWEEP_SECONDS", 120) / 2
    return dict(delivery.sweep_until_done(seconds=seconds))
