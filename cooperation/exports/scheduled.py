"""Scheduled reports: each recipient gets the saved view as XLSX, as they see the list, once per period.

A run (hourly, and by the ``send_scheduled_reports`` command) takes every schedule that is on, finds its
current period (the latest weekday or day of the month on or before today) and, for each recipient without a
delivery for that period, claims one by inserting the ``ScheduledDelivery`` row: the unique key decides
between concurrent runs (on PostgreSQL the second insert waits for the first run's commit, then fails and is
skipped). In the same transaction the file is kept as an export owned by the recipient (the outbox carries no
attachments: the email links to the export's page) and the email is written to the outbox. A run killed half
way leaves nothing of that delivery, and the next run sends it. A missed period is caught up by the next run,
once; periods older than the latest are not sent (the report would only repeat today's list).

A recipient who may no longer open the view or read its list is skipped (and logged), as is one whose account
is inactive or has no email address.
"""

import calendar
import datetime
import logging
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone, translation

from cooperation.exports import selectors, writers
from cooperation.exports.models import ExportJob, ExportStatus
from cooperation.exports.saved import Frequency, ReportSchedule, ScheduledDelivery
from cooperation.exports.tables import ExportRequest, table_for
from cooperation.outbox.services import compose, dedupe_key, enqueue
from cooperation.reminders import writable

logger = logging.getLogger(__name__)

SCHEDULED_REPORT = "exports.scheduled_report"
UNSUBSCRIBE_SALT = "cooperation.exports.unsubscribe"


# --- periods --------------------------------------------------------------------------------------------------------


def occurrence(schedule: ReportSchedule, today: datetime.date) -> datetime.date:
    """The day the current period's report is due: the latest scheduled day on or before ``today``."""
    if schedule.frequency == Frequency.WEEKLY:
        return today - datetime.timedelta(days=(today.weekday() - schedule.weekday) % 7)
    if today.day >= schedule.day_of_month:
        return today.replace(day=schedule.day_of_month)
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return datetime.date(year, month, min(schedule.day_of_month, calendar.monthrange(year, month)[1]))


def period_key(schedule: ReportSchedule, day: datetime.date) -> str:
    """The period a day's report stands for: its ISO week ("2026-W49") or its month ("2026-12")."""
    if schedule.frequency == Frequency.WEEKLY:
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{day.year}-{day.month:02d}"


# --- unsubscribe links ----------------------------------------------------------------------------------------------


def unsubscribe_token(schedule: ReportSchedule, recipient) -> str:
    return signing.dumps({"schedule": schedule.pk, "recipient": recipient.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_target(token: str) -> tuple[int, int] | None:
    """(schedule id, recipient id) of a genuine token; None for anything else."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["schedule"]), int(data["recipient"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


# --- the run --------------------------------------------------------------------------------------------------------


@dataclass
class Delivered:
    """A report a run sent: what a command prints."""

    delivery: ScheduledDelivery
    rows: int


class ScheduledReports:
    """One run as of ``today`` (default: the local date)."""

    def __init__(self, today: datetime.date | None = None):
        self.today = today or timezone.localdate()

    @classmethod
    def task(cls, today: str | None = None) -> int:
        return len(cls(datetime.date.fromisoformat(today) if today else None).send())

    @staticmethod
    def describe(sent: Delivered) -> str:
        delivery = sent.delivery
        view = delivery.schedule.saved_view
        return f"{view.name} ({view.source}) {delivery.period_key} → {delivery.recipient.email}: {sent.rows} rows"

    def due(self):
        """(schedule, period key, recipients without a delivery for it), for each schedule due today."""
        schedules = (
            ReportSchedule.objects.filter(active=True, starts_on__lte=self.today)
            .select_related("saved_view__owner")
            .prefetch_related("recipients")
            .order_by("pk")
        )
        for schedule in schedules:
            day = occurrence(schedule, self.today)
            if day < schedule.starts_on:
                continue
            key = period_key(schedule, day)
            sent = self.already_sent(schedule, key)
            waiting = [user for user in schedule.recipients.all() if user.pk not in sent]
            if waiting:
                yield schedule, key, sorted(waiting, key=lambda user: user.pk)

    @staticmethod
    def already_sent(schedule: ReportSchedule, key: str) -> set[int]:
        return set(
            ScheduledDelivery.objects.filter(schedule=schedule, period_key=key).values_list("recipient_id", flat=True)
        )

    def send(self) -> list[Delivered]:
        sent = []
        for schedule, key, recipients in self.due():
            for recipient in recipients:
                delivered = deliver(schedule, recipient, key)
                if delivered is not None:
                    sent.append(delivered)
        return sent


def deliver(schedule: ReportSchedule, recipient, key: str) -> Delivered | None:
    """Send ``schedule``'s report for period ``key`` to ``recipient`` unless another run did; None when nothing
    was sent."""
    view = schedule.saved_view
    if writable(recipient) is None:
        logger.info("Scheduled report %s: %s has no active account with an email address.", schedule.pk, recipient)
        return None
    if not selectors.view_visible_to(view, recipient):
        logger.warning("Scheduled report %s not sent to %s: the view is not shared with them.", schedule.pk, recipient)
        return None
    try:
        table = table_for(view.source, ExportRequest(user=recipient, GET=QueryDict(view.params)))
    except (PermissionDenied, Http404):
        logger.warning("Scheduled report %s not sent to %s: they may not read %s.", schedule.pk, recipient, view.source)
        return None
    language = settings.LANGUAGE_CODE
    with translation.override(language), transaction.atomic():
        try:
            with transaction.atomic():
                delivery = ScheduledDelivery.objects.create(schedule=schedule, recipient=recipient, period_key=key)
        except IntegrityError:
            return None  # another run claimed it: that run sends it
        job = ExportJob(
            requested_by=recipient,
            source=view.source,
            title=view.name,
            params=view.params,
            file_format=writers.XLSX,
            language=language,
        )
        with tempfile.TemporaryFile() as file:
            rows = writers.write_xlsx(table, file)
            file.seek(0)
            now = timezone.now()
            job.status, job.total_rows, job.done_rows = ExportStatus.DONE, rows, rows
            job.started_at = job.finished_at = now
            job.expires_at = now + datetime.timedelta(days=settings.EXPORT_FILE_DAYS)
            job.file.save(f"{job.pk}.{writers.XLSX}", File(file), save=False)
        try:
            job.save()
            delivery.export_job = job
            delivery.save(update_fields=["export_job"])
            enqueue([_email(delivery, job, language)])
        except BaseException:
            job.file.delete(save=False)  # the transaction rolls back: no file without its record
            raise
    return Delivered(delivery, rows)


def _email(delivery: ScheduledDelivery, job: ExportJob, language: str):
    schedule, recipient = delivery.schedule, delivery.recipient
    return compose(
        kind=SCHEDULED_REPORT,
        key=dedupe_key(SCHEDULED_REPORT, delivery.pk),
        about=delivery,
        to=recipient.email,
        template="exports/email/scheduled_report",
        context={
            "view": schedule.saved_view,
            "schedule": schedule,
            "delivery": delivery,
            "job": job,
            "recipient": recipient,
            "path": reverse("exports:job", args=[job.pk]),
            "list_url": schedule.saved_view.url,
            "unsubscribe_path": reverse("exports:unsubscribe", args=[unsubscribe_token(schedule, recipient)]),
        },
        language=language,
    )
