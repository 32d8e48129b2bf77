"""Django finds each app's models in its ``models`` module: the kernel's live with the pieces they serve."""

from core.outbox.models import MessageStatus, OutboxMessage

__all__ = ["MessageStatus", "OutboxMessage"]
