"""Checks on what applicants send: attachments must really be PDF files, and not too large."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


def max_attachment_bytes() -> int:
    return int(getattr(settings, "ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def validate_pdf(upload) -> None:
    """Refuse anything but a PDF within the size limit: the name must end in .pdf and the content must start
    with the PDF signature (a renamed image or document is refused)."""
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".pdf"):
        raise ValidationError(_("%(name)s is not a PDF file: only PDF files are accepted.") % {"name": name})
    limit = max_attachment_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(_("%(name)s is larger than %(limit)s.") % {"name": name, "limit": filesizeformat(limit)})
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError(
            _("%(name)s is not a PDF file (its content is something else): only PDF files are accepted.")
            % {"name": name}
        )
