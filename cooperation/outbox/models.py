"""The outbox: every email the system promises to send, written in the transaction of the change that causes it.

A row is the promise. It is rendered when it is written (subject, body, language, one recipient), so
delivery needs nothing but the row; a module that must not send once its record changed registers a
"still wanted" check for its kind (see ``cooperation.outbox.kinds``), and delivery cancels instead of sending.

Life of a row: pending → sending (claimed by one deliverer for a lease) → sent; a failure puts it back to
pending with a later ``next_attempt_at``, and after OUTBOX_MAX_ATTEMPTS it is failed; an address refused
for good fails at once; a row its module no longer wants is cancelled. A deliverer killed mid-send leaves
the row in "sending": once the lease is over the sweep takes it again.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.fields import happened_at, user_link


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Not sent (no longer needed)")


class OutboxMessage(models.Model):
    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    # Unique: writing the same promise twice (a second run, a retried request) keeps one row.
    dedupe_key = models.CharField(_("key"), max_length=255, unique=True)
    recipient = models.CharField(_("recipient"), max_length=254)
    reply_to = models.CharField(_("reply to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    language = models.CharField(_("language"), max_length=10)
    # A body carrying a secret (a password reset link) is shown to nobody and erased once delivered.
    sensitive = models.BooleanField(_("sensitive"), default=False)

    status = models.CharField(_("state"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = happened_at(_("sent"))
    resent_by = user_link(_("sent again by"), optional=True)
    resent_at = happened_at(_("sent again"))

    # The record the message is about, so that record's page can list its messages.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("about")
    )
    object_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        # Nobody adds, edits or deletes a promise: the services write them and delivery moves them.
        default_permissions = ("view",)
        permissions = [("resend_message", _("Can send a failed message again"))]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(status=MessageStatus.PENDING), name="outbox_due_pending"
            ),
            models.Index(
                fields=["claimed_until"], condition=Q(status=MessageStatus.SENDING), name="outbox_claimed_sending"
            ),
            models.Index(fields=["content_type", "object_id"], name="outbox_about"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="outbox_about_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}"

    @property
    def can_be_sent_again(self) -> bool:
        return self.status == MessageStatus.FAILED
