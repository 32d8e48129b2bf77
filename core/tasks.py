"""Celery finds each app's tasks in its ``tasks`` module: the kernel's live with the pieces they serve."""

from core.outbox.tasks import deliver_message, sweep_outbox

__all__ = ["deliver_message", "sweep_outbox"]
