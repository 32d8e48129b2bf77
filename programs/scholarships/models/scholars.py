"""What follows an award: progress reports, stipend tranches and the reminders sent about them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.dates import BoundedDateField
from cooperation.fields import (
    currency_link,
    happened_at,
    known_choice,
    part_of,
    reason_field,
    status_field,
    unique,
    user_link,
)
from cooperation.models import SentLog, TimeStampedModel
from cooperation.tranches import BaseTranche, TrancheStatus
from programs.scholarships.models.applications import Application


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class ProgressReport(TimeStampedModel):
    """The host institution's report on a scholar's term; officers accept it or return it with a reason."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("scholar")
    )
    term_label = models.CharField(_("term"), max_length=100)
    period_end = BoundedDateField(_("end of the period"), past=True)
    result = models.CharField(_("result"), max_length=200, help_text=_("e.g. pass, fail, GPA 3.4"))
    remarks = models.TextField(_("remarks"), max_length=5000, blank=True)
    status = status_field(ReportStatus, ReportStatus.SUBMITTED)
    submitted_by = user_link(_("submitted by"))
    reviewed_by = user_link(_("reviewed by"), optional=True)
    reviewed_at = happened_at(_("reviewed"))
    return_reason = reason_field(_("reason for returning"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["application", "period_end", "pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            known_choice("status", ReportStatus, name="progressreport_status_known"),
            models.CheckConstraint(
                condition=~Q(status=ReportStatus.RETURNED) | ~Q(return_reason=""),
                name="progressreport_returned_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application.applicant_name} — {self.term_label}"


class StipendTranche(BaseTranche):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="tranches", verbose_name=_("scholar")
    )
    due_on = models.DateField(_("due on"))
    currency = currency_link()
    approved_at = happened_at(_("approved"))
    status_note = reason_field()

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("stipend tranche")
        verbose_name_plural = _("stipend tranches")
        permissions = [("approve_stipendtranche", _("Can approve stipend tranches for payment"))]
        indexes = [models.Index(fields=["status", "due_on"], name="stipend_status_due")]
        constraints = [
            unique(("application", "number"), name="stipend_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="stipend_amount_positive"),
            known_choice("status", TrancheStatus, name="stipend_status_known"),
            BaseTranche.paid_has_date(name="stipend_paid_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.application.applicant_name} #{self.number}"


class ReminderKind(models.TextChoices):
    PROGRESS_REPORT_DUE = "progress_report", _("Progress report due")
    STIPEND_DUE = "stipend", _("Stipend tranche due")


class ReminderLog(SentLog):
    """One reminder per (kind, scholar, due date)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    application = part_of(Application, _("scholar"), related_name="reminders")
    due_on = models.DateField(_("due on"))
    tranche = part_of(StipendTranche, _("tranche"), related_name="reminders", optional=True)

    class Meta(SentLog.Meta):
        verbose_name = _("scholarship reminder")
        verbose_name_plural = _("scholarship reminders")
        constraints = [
            unique(("kind", "application", "due_on"), name="scholarship_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"
