"""Evidence files on a report: photos (JPEG, PNG) and PDF documents, checked by their content (a renamed file is
refused; a PDF must only show pages), within a size limit, a few per report, added and removed only while the
report can be changed."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from cooperation.files import photo_or_pdf_problem
from cooperation.refusals import enforce, refuse
from cooperation.workflow import lock_row
from programs.results.models import Evidence, Report
from programs.results.services.guards import ResultsRefusal, report_move_refusal

MAX_FILES = 10


def max_evidence_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 8 * 1024 * 1024))


def evidence_problem(upload) -> tuple[str, str | None]:
    """(content type, what is wrong or None) for an uploaded file."""
    return photo_or_pdf_problem(upload, max_bytes=max_evidence_bytes())


@transaction.atomic
def evidence_add(*, report: Report, uploaded_by, file) -> Evidence:
    lock_row(report)
    enforce(report_move_refusal(report, uploaded_by, "save"))
    if report.evidence.count() >= MAX_FILES:
        raise refuse(ResultsRefusal.LOCKED, _("A report keeps at most %(count)d files.") % {"count": MAX_FILES}, "file")
    content_type, problem = evidence_problem(file)
    if problem:
        raise refuse(ResultsRefusal.INVALID_FILE, problem, "file")
    evidence = Evidence(
        report=report,
        original_name=(getattr(file, "name", "") or "")[-200:],
        content_type=content_type,
        size=file.size,
        uploaded_by=uploaded_by,
    )
    evidence.file.save(file.name, file, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, removed_by) -> None:
    report = lock_row(evidence.report)
    enforce(report_move_refusal(report, removed_by, "save"))
    evidence.file.delete(save=False)
    evidence.delete()
