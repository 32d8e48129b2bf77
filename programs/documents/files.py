"""What a document's file may be, and how it is streamed: checked by its content, not its name (a renamed
programme is refused), within a size limit; a PDF must only show pages."""

from django.conf import settings
from django.http import FileResponse

from cooperation.files import photo_or_pdf_problem, private_download


def max_document_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))


def file_problem(upload) -> tuple[str, str | None]:
    """(content type, what is wrong or None) for an uploaded file."""
    return photo_or_pdf_problem(upload, max_bytes=max_document_bytes(), empty_refused=True)


def version_response(version) -> FileResponse:
    """The file as a private download; a 404 when it is gone from the storage, as for a file nobody may see."""
    return private_download(version.file, filename=version.original_name, content_type=version.content_type)
