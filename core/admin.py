"""The admin finds each app's screens in its ``admin`` module: the kernel's live with the pieces they serve."""

from core.outbox import admin as outbox_admin  # noqa: F401 - registers the outbox's screens
