"""Files people upload that must never be public (applicants' documents, evidence of results): stored under
``PRIVATE_MEDIA_ROOT``, outside MEDIA_ROOT and static, with no URL; a view streams each one to those allowed to
see it."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cooperation.pdf import inspect_pdf


class PrivateStorage(FileSystemStorage):
    """The private folder, read from the settings at each use (tests give each run a folder of its own)."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL.")


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


# Content signature → (what the file is, the extensions its name may have): photos and PDF documents.
PHOTO_OR_PDF = {
    b"\xff\xd8\xff": ("image/jpeg", (".jpg", ".jpeg")),
    b"\x89PNG\r\n\x1a\n": ("image/png", (".png",)),
    b"%PDF-": ("application/pdf", (".pdf",)),
}


def photo_or_pdf_problem(upload, *, max_bytes: int, empty_refused: bool = False) -> tuple[str, str | None]:
    """(content type, what is wrong or None) for an uploaded photo (JPEG, PNG) or PDF: checked by its content, so a
    renamed file is refused; a PDF must only show pages (no scripts, forms or files inside); at most
    ``max_bytes``."""
    name = getattr(upload, "name", "") or ""
    if empty_refused and not upload.size:
        return "", _("%(name)s is empty.") % {"name": name}
    if upload.size is None or upload.size > max_bytes:
        return "", _("%(name)s is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(max_bytes)}
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, (content_type, extensions) in PHOTO_OR_PDF.items():
        if head.startswith(signature):
            if not name.lower().endswith(extensions):
                break
            if content_type == "application/pdf" and inspect_pdf(upload) is not None:
                return content_type, _(
                    "%(name)s cannot be accepted: save it again as a plain PDF, without scripts, forms or files "
                    "inside it."
                ) % {"name": name}
            return content_type, None
    return "", _("%(name)s is not a photo (JPEG or PNG) or a PDF document.") % {"name": name}


PHOTOS = {signature: kind for signature, kind in PHOTO_OR_PDF.items() if kind[0].startswith("image/")}


def photo_problem(upload, *, max_bytes: int) -> tuple[str, str | None]:
    """(content type, what is wrong or None) for an uploaded photo: a JPEG or PNG by its content (a renamed file
    is refused), not empty, at most ``max_bytes``."""
    name = getattr(upload, "name", "") or ""
    if not upload.size:
        return "", _("%(name)s is empty.") % {"name": name}
    if upload.size > max_bytes:
        return "", _("%(name)s is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(max_bytes)}
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, (content_type, extensions) in PHOTOS.items():
        if head.startswith(signature) and name.lower().endswith(extensions):
            return content_type, None
    return "", _("%(name)s is not a photo (JPEG or PNG).") % {"name": name}


def private_download(file, *, filename: str, content_type: str) -> FileResponse:
    """A private file streamed as a download to someone already allowed to see it; a 404 when it is gone from the
    storage, as for a file nobody may see."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
