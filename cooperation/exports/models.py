import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cooperation.files import private_storage


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportJob(models.Model):
    """A large export written on the worker: private to whoever asked, deleted after ``EXPORT_FILE_DAYS`` days."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("requested by")
    )
    source = models.CharField(_("list"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    params = models.TextField(_("filters and sort"), blank=True)
    file_format = models.CharField(_("format"), max_length=8)
    language = models.CharField(_("language"), max_length=16)
    status = models.CharField(_("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    done_rows = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), storage=private_storage, upload_to="exports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [
            models.Index(fields=("requested_by", "-created_at"), name="export_requester_recent"),
            models.Index(fields=("status", "expires_at"), name="export_status_expiry"),
        ]

    def __str__(self):
        return f"{self.title} ({self.file_format.upper()})"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.done_rows * 100 // self.total_rows) if self.total_rows else 0


from cooperation.exports.saved import (  # noqa: E402 -- the app's other models, kept in their own file
    Frequency,
    ReportSchedule,
    SavedView,
    ScheduledDelivery,
    Weekday,
)

__all__ = ["ExportJob", "ExportStatus", "Frequency", "ReportSchedule", "SavedView", "ScheduledDelivery", "Weekday"]
