"""The export buttons' answers, and the pages of an export written on the worker."""

import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cooperation.exports import jobs, writers
from cooperation.exports.models import ExportJob, ExportStatus
from cooperation.exports.tables import list_params, table_for
from cooperation.files import private_download


@require_GET
@login_required
def export(request, source: str, file_format: str):
    if file_format not in writers.FORMATS:
        raise Http404
    table = table_for(source, request)
    rows = table.count()
    if rows > jobs.background_threshold():
        job = jobs.export_job_queue(
            user=request.user,
            source=source,
            title=table.title or table.name,
            params=list_params(request.GET),
            file_format=file_format,
            total_rows=rows,
        )
        return redirect("exports:job", job.pk)
    name = writers.filename(table, file_format)
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"}
    if file_format == writers.CSV:
        language = translation.get_language()

        def lines():
            # Rows are written after the view returns: keep the request's language for the labels.
            with translation.override(language):
                yield from writers.csv_lines(table)

        return StreamingHttpResponse(lines(), content_type=writers.CONTENT_TYPES[file_format], headers=headers)
    file = tempfile.TemporaryFile()  # noqa: SIM115 -- the response closes it once sent
    writers.write_xlsx(table, file)
    file.seek(0)
    return FileResponse(file, content_type=writers.CONTENT_TYPES[file_format], headers=headers)


def _own_job(request, pk) -> ExportJob:
    """The requester's own export; anyone else's is a 404, as if it did not exist."""
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


@require_GET
@login_required
def job_page(request, pk):
    job = _own_job(request, pk)
    return render(request, "exports/job.html", {"job": job, "statuses": ExportStatus})


@require_GET
@login_required
def job_status(request, pk):
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "done_rows": job.done_rows,
            "total_rows": job.total_rows,
            "percent": job.percent,
        }
    )


@require_GET
@login_required
def job_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404(_("This export is not ready or has expired."))
    name = f"{job.source.replace('.', '-')}-{job.created_at:%Y-%m-%d}.{job.file_format}"
    return private_download(job.file, filename=name, content_type=writers.CONTENT_TYPES[job.file_format])


@require_GET
@login_required
def job_list(request):
    jobs_shown = ExportJob.objects.filter(requested_by=request.user).order_by("-created_at")
    page_obj = Paginator(jobs_shown, 25).get_page(request.GET.get("page"))
    context = {"page_obj": page_obj, "jobs": page_obj.object_list, "export_days": settings.EXPORT_FILE_DAYS}
    return render(request, "exports/job_list.html", context)
