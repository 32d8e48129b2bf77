"""What a document's file may be, and how it is streamed: checked by its content, not its name (a renamed
programme is refused), within a size limit; a PDF must only show pages."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cooperation.pdf import inspect_pdf

# Content signature → (what the file is, the extensions its name may have).
SIGNATURES = {
    b"\xff\xd8\xff": ("image/jpeg", (".jpg", ".jpeg")),
    b"\x89PNG\r\n\x1a\n": ("image/png", (".png",)),
    b"%PDF-": ("application/pdf", (".pdf",)),
}


def max_document_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))


def file_problem(upload) -> tuple[str, str | None]:
    """(content type, what is wrong or None) for an uploaded file."""
    name = getattr(upload, "name", "") or ""
    limit = max_document_bytes()
    if not upload.size:
        return "", _("%(name)s is empty.") % {"name": name}
    if upload.size > limit:
        return "", _("%(name)s is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)}
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, (content_type, extensions) in SIGNATURES.items():
        if head.startswith(signature):
            if not name.lower().endswith(extensions):
                break
            if content_type == "application/pdf" and inspect_pdf(upload) is not None:
                return content_type, _(
                    "%(name)s cannot be accepted: save it again as a plain PDF, without scripts, forms or files "
                    "inside it."
                ) % {"name": name}
            return content_type, None
    return "", _("%(name)s is not a PDF document or a photo (JPEG or PNG).") % {"name": name}


def version_response(version) -> FileResponse:
    """The file as a private download; a 404 when it is gone from the storage, as for a file nobody may see."""
    try:
        handle = version.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=version.original_name, content_type=version.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
