"""Large exports: written on the worker with progress, announced, private to their requester, then expired."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from cooperation.exports import jobs, writers
from cooperation.exports.models import ExportJob, ExportStatus
from cooperation.exports.tables import Column, Table
from cooperation.outbox.models import OutboxMessage
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

URL = reverse("exports:export", args=["programs.programmes", "xlsx"])


@pytest.fixture
def many_programmes(settings):
    settings.EXPORT_BACKGROUND_ROWS = 2
    return [ProgrammeFactory(code=f"BIG-{number}") for number in range(3)]


def _ask(client, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(URL, params)
    return response


def test_an_export_above_the_threshold_runs_on_the_worker(
    client, manager, many_programmes, django_capture_on_commit_callbacks
):
    client.force_login(manager)

    response = _ask(client, django_capture_on_commit_callbacks, ordering="code")

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("exports:job", args=[job.pk])
    assert (job.requested_by, job.source, job.params, job.status) == (
        manager,
        "programs.programmes",
        "ordering=code",
        ExportStatus.DONE,
    )
    page = client.get(response.url).content.decode()
    assert reverse("exports:job_download", args=[job.pk]) in page
    download = client.get(reverse("exports:job_download", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["BIG-0", "BIG-1", "BIG-2"]
    assert client.get(reverse("exports:job_status", args=[job.pk])).json()["percent"] == 100


def test_the_requester_is_told_through_the_outbox(client, manager, many_programmes, django_capture_on_commit_callbacks):
    client.force_login(manager)

    _ask(client, django_capture_on_commit_callbacks)

    job = ExportJob.objects.get()
    message = OutboxMessage.objects.get(kind=jobs.EXPORT_READY)
    assert message.recipient == manager.email
    assert reverse("exports:job", args=[job.pk]) in message.body


def test_nobody_else_reaches_an_export(client, manager, auditor, many_programmes, django_capture_on_commit_callbacks):
    client.force_login(manager)
    _ask(client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    client.force_login(auditor)

    for name in ("exports:job", "exports:job_status", "exports:job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert reverse("exports:job", args=[job.pk]) not in client.get(reverse("exports:jobs")).content.decode()


def test_progress_is_reported_while_the_file_is_written(client, manager):
    job = ExportJob.objects.create(
        requested_by=manager,
        source="programs.programmes",
        title="Programmes",
        file_format="xlsx",
        language="en",
        status=ExportStatus.RUNNING,
        total_rows=200,
        done_rows=50,
    )
    client.force_login(manager)

    status = client.get(reverse("exports:job_status", args=[job.pk])).json()
    page = client.get(reverse("exports:job", args=[job.pk])).content.decode()

    assert (status["status"], status["percent"], status["done_rows"]) == ("running", 25, 50)
    assert 'value="25"' in page


def test_writers_report_progress_as_rows_are_written(monkeypatch):
    monkeypatch.setattr(writers, "PROGRESS_EVERY", 2)
    table = Table("t", [Column("n", lambda row: row)], list(range(7)))
    reported = []

    writers.write_xlsx(table, io.BytesIO(), progress=reported.append)
    writers.write_csv(table, io.BytesIO(), progress=reported.append)

    assert reported == [2, 4, 6, 2, 4, 6]


def test_a_job_is_written_once_however_often_it_is_run(manager, many_programmes):
    job = jobs.export_job_queue(
        user=manager, source="programs.programmes", title="Programmes", params="", file_format="csv", total_rows=3
    )

    assert jobs.run(job.pk) == ExportStatus.DONE
    assert jobs.run(job.pk) == ExportStatus.DONE

    assert OutboxMessage.objects.filter(kind=jobs.EXPORT_READY).count() == 1


def test_the_sweep_starts_a_job_the_broker_never_took(manager, many_programmes):
    job = jobs.export_job_queue(
        user=manager, source="programs.programmes", title="Programmes", params="", file_format="csv", total_rows=3
    )

    swept = jobs.sweep(now=timezone.now() + datetime.timedelta(minutes=5))

    job.refresh_from_db()
    assert swept["started"] == 1 and job.status == ExportStatus.DONE and job.file


def test_files_expire_after_the_configured_days(client, manager, many_programmes, settings):
    settings.EXPORT_FILE_DAYS = 3
    job = jobs.export_job_queue(
        user=manager, source="programs.programmes", title="Programmes", params="", file_format="csv", total_rows=3
    )
    jobs.run(job.pk)
    job.refresh_from_db()
    stored = job.file.path
    assert job.expires_at.date() == (timezone.now() + datetime.timedelta(days=3)).date()

    assert jobs.expire(now=job.expires_at - datetime.timedelta(minutes=1)) == 0
    assert jobs.expire(now=job.expires_at) == 1

    job.refresh_from_db()
    client.force_login(manager)
    assert job.status == ExportStatus.EXPIRED
    assert not __import__("os").path.exists(stored)
    assert client.get(reverse("exports:job_download", args=[job.pk])).status_code == 404
    assert "expired" in client.get(reverse("exports:job", args=[job.pk])).content.decode()


def test_a_failed_export_says_so(manager, many_programmes, monkeypatch):
    job = jobs.export_job_queue(
        user=manager, source="programs.programmes", title="Programmes", params="", file_format="csv", total_rows=3
    )
    manager.groups.clear()  # lost the right to read the list since asking

    assert jobs.run(job.pk) == ExportStatus.FAILED
    job.refresh_from_db()
    assert job.error.startswith("PermissionDenied")
