"""Exports on the worker: queued by the page, claimed once, written with progress, announced, expired."""

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone, translation

from cooperation.exports import writers
from cooperation.exports.models import ExportJob, ExportStatus
from cooperation.exports.tables import ExportRequest, table_for
from cooperation.outbox.services import compose, dedupe_key, enqueue
from cooperation.reminders import writable

logger = logging.getLogger(__name__)

EXPORT_READY = "exports.ready"


def background_threshold() -> int:
    return settings.EXPORT_BACKGROUND_ROWS


def export_job_queue(*, user, source: str, title: str, params: str, file_format: str, total_rows: int) -> ExportJob:
    """Queue an export of ``source`` as ``user`` sees it with ``params`` (the list's query string); the worker
    is handed the job after the commit (and the sweep starts any job the broker did not take)."""
    job = ExportJob.objects.create(
        requested_by=user,
        source=source,
        title=str(title)[:200],
        params=params,
        file_format=file_format,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        total_rows=total_rows,
    )
    transaction.on_commit(lambda: _hand_over(job.pk))
    return job


def _hand_over(job_id) -> None:
    from cooperation.exports.tasks import run_export

    try:
        run_export.apply_async((str(job_id),), retry=False)
    except Exception as error:  # a broker that is away: the sweep starts the job
        logger.warning("The task broker did not take export %s; the sweep will start it. (%s)", job_id, error)


def _claim(job_id) -> bool:
    now = timezone.now()
    return bool(
        ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
            status=ExportStatus.RUNNING, started_at=now
        )
    )


def run(job_id) -> str:
    """Write job ``job_id``'s file if no one else has claimed it; returns its status."""
    if not _claim(job_id):
        return ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        with translation.override(job.language):
            _write(job)
    except Exception as error:
        logger.exception("Export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        return ExportStatus.FAILED
    return ExportStatus.DONE


def _write(job: ExportJob) -> None:
    request = ExportRequest(user=job.requested_by, GET=QueryDict(job.params))
    table = table_for(job.source, request)
    ExportJob.objects.filter(pk=job.pk).update(total_rows=table.count())

    def progress(rows: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done_rows=rows)

    with tempfile.TemporaryFile() as file:
        rows = writers.WRITERS[job.file_format](table, file, progress=progress)
        file.seek(0)
        now = timezone.now()
        with transaction.atomic():
            job.file.save(f"{job.pk}.{job.file_format}", File(file), save=False)
            job.status, job.done_rows, job.total_rows = ExportStatus.DONE, rows, rows
            job.finished_at, job.expires_at = now, now + datetime.timedelta(days=settings.EXPORT_FILE_DAYS)
            job.save(update_fields=["file", "status", "done_rows", "total_rows", "finished_at", "expires_at"])
            _announce(job)


def _announce(job: ExportJob) -> None:
    """Tell the requester the file is ready (once: the message is keyed by the job)."""
    user = writable(job.requested_by)
    if user is None:
        return
    enqueue(
        [
            compose(
                kind=EXPORT_READY,
                key=dedupe_key(EXPORT_READY, job.pk),
                to=user.email,
                template="exports/email/ready",
                context={"job": job, "user": user, "path": reverse("exports:job", args=[job.pk])},
                language=job.language,
            )
        ]
    )


def sweep(*, now: datetime.datetime | None = None) -> dict:
    """Start the jobs the broker never took, and delete the files past their expiry."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(minutes=1)
    started = [
        run(pk)
        for pk in ExportJob.objects.filter(status=ExportStatus.QUEUED, created_at__lt=stale).values_list(
            "pk", flat=True
        )[:20]
    ]
    return {"started": len(started), "expired": expire(now=now)}


def expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of finished exports past their expiry; the job stays, marked expired."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lte=now):
        if job.file:
            job.file.delete(save=False)
        expired += ExportJob.objects.filter(pk=job.pk, status=ExportStatus.DONE).update(
            status=ExportStatus.EXPIRED, file=""
        )
    return expired
