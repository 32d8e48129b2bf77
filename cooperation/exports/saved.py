"""Saved views and scheduled reports.

A saved view is a list's filters and sort under a name: private to its owner, or shared with everyone of one
role, and opened from the list page. A view can be scheduled, weekly or monthly, to chosen users: each gets the
list as an XLSX file written as they see it, once per period (``ScheduledDelivery`` is the proof, unique per
schedule, recipient and period), and may unsubscribe from the link in the email.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperation.roles import Role

# Whom a view can be shared with: every role, by the role's name as stored in its group.
ROLE_LABELS = {
    Role.OFFICER: _("Programme officers"),
    Role.MANAGER: _("Managers"),
    Role.AUDITOR: _("Auditors"),
    Role.ADMINISTRATOR: _("Administrators"),
    Role.PARTNER: _("Partner users"),
}
SHARED_CHOICES = [(role.value, label) for role, label in ROLE_LABELS.items()]


class SavedView(models.Model):
    """A list's filters and sort, under a name its owner chose."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("list"), max_length=80)
    list_path = models.CharField(_("list page"), max_length=200)
    params = models.TextField(_("filters and sort"), blank=True, max_length=2000)
    shared_with_role = models.CharField(
        _("shared with"), max_length=40, blank=True, choices=SHARED_CHOICES, help_text=_("Empty: only you.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ("name", "pk")
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(
                fields=("owner", "source", "name"),
                name="saved_view_unique_name",
                violation_error_message=_("You already have a view of this list with this name."),
            ),
        ]
        indexes = [models.Index(fields=("source", "shared_with_role"), name="saved_view_shared")]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"{self.list_path}?{self.params}" if self.params else self.list_path


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


LAST_DAY_OF_MONTH = 28  # every month has it


class ReportSchedule(models.Model):
    """A saved view sent as XLSX to its recipients weekly (on a weekday) or monthly (on a day of the month).

    A period is due from its day on; a run that was missed is caught up by the next one, once, for the latest
    period only. ``starts_on``: periods whose day falls before it are not sent (the schedule did not exist, or
    was off)."""

    saved_view = models.OneToOneField(
        SavedView, on_delete=models.CASCADE, related_name="schedule", verbose_name=_("saved view")
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="scheduled_reports", blank=True, verbose_name=_("recipients")
    )
    active = models.BooleanField(_("on"), default=True)
    starts_on = models.DateField(_("starts on"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("scheduled report")
        verbose_name_plural = _("scheduled reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency=Frequency.WEEKLY, weekday__lte=6)
                | Q(frequency=Frequency.MONTHLY, day_of_month__gte=1, day_of_month__lte=LAST_DAY_OF_MONTH),
                name="report_schedule_day",
                violation_error_message=_(
                    "Choose a weekday for a weekly report, a day from 1 to 28 for a monthly one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.saved_view} ({self.get_frequency_display()})"


class ScheduledDelivery(models.Model):
    """One report sent to one recipient for one period ("2026-W49", "2026-12"): written once, in the
    transaction that writes its file and its email."""

    schedule = models.ForeignKey(
        ReportSchedule, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("scheduled report")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    period_key = models.CharField(_("period"), max_length=10)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    export_job = models.ForeignKey(
        "exports.ExportJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("file")
    )

    class Meta:
        ordering = ("-sent_at", "-pk")
        verbose_name = _("scheduled report sent")
        verbose_name_plural = _("scheduled reports sent")
        constraints = [
            models.UniqueConstraint(fields=("schedule", "recipient", "period_key"), name="scheduled_delivery_once"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} → {self.recipient} ({self.period_key})"
